from django.apps import AppConfig


class ActsConfig(AppConfig):
    name = "torelik.acts"
    label = "acts"

    def ready(self) -> None:
        # Declares the case-event kinds this app appends (torelik.cases.events registry).
        from torelik.acts import events  # noqa: F401
