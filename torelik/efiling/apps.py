from django.apps import AppConfig


class EfilingConfig(AppConfig):
    name = "torelik.efiling"
    label = "efiling"

    def ready(self) -> None:
        # Declares the case-event kinds this app appends (torelik.cases.events registry).
        from torelik.efiling import events  # noqa: F401
