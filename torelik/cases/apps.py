from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "torelik.cases"
    label = "cases"

    def ready(self) -> None:
        # Declares the case-event kinds this app appends (torelik.cases.events registry).
        from torelik.cases import events  # noqa: F401
