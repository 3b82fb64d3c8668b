from django.apps import AppConfig


class ActsConfig(AppConfig):
    name = "torelik.acts"
    label = "acts"

    def ready(self) -> None:
        # Lower apps never import this one: it fills their registries. Case-event kinds it appends
        # (torelik.cases.events) and outbox topics it publishes (torelik.notices.outbox).
        from torelik.acts import events  # noqa: F401
        from torelik.acts.topics import TOPICS
        from torelik.notices.outbox import register_topic

        for topic in TOPICS:
            register_topic(topic)
