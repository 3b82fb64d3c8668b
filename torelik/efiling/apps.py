from django.apps import AppConfig


class EfilingConfig(AppConfig):
    name = "torelik.efiling"
    label = "efiling"

    def ready(self) -> None:
        # Lower apps never import this one: it fills their registries. Case-event kinds it appends
        # (torelik.cases.events) and outbox topics it publishes (torelik.notices.outbox).
        from torelik.efiling import events  # noqa: F401
        from torelik.efiling.topics import TOPICS
        from torelik.notices.outbox import register_topic

        for topic in TOPICS:
            register_topic(topic)
        # The case goes up and the higher court's ruling comes down (efiling.appeals).
        from torelik.cases.transitions import on_transition
        from torelik.efiling.appeals import after_transition

        on_transition(after_transition)
