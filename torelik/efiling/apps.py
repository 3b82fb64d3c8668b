from django.apps import AppConfig


class EfilingConfig(AppConfig):
    name = "torelik.efiling"
    label = "efiling"

    def ready(self) -> None:
        # The notices sit below the Judicial Office and never import it: we fill their registry.
        from torelik.efiling.topics import TOPICS
        from torelik.notices.outbox import register_topic

        for topic in TOPICS:
            register_topic(topic)
