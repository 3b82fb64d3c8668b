from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "torelik.distribution"
    label = "distribution"

    def ready(self) -> None:
        # Declares the case-event kinds this app appends (torelik.cases.events registry).
        from torelik.distribution import events  # noqa: F401
