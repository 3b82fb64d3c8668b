from django.apps import AppConfig


class ActsConfig(AppConfig):
    name = "torelik.acts"
    label = "acts"

    def ready(self) -> None:
        # The notices sit below the acts and never import them: we fill their registry.
        from torelik.acts.topics import TOPICS
        from torelik.notices.outbox import register_topic

        for topic in TOPICS:
            register_topic(topic)
