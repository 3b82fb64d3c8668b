"""The outbox registry: which topics exist, and who reacts to each.

Notices sit low in the layers, so they never import the apps that publish or consume
messages. Instead each higher app fills this registry from its `AppConfig.ready()`:

- a publishing app declares its topics (`<app>/topics.py`: a name, a label, a payload
  `TypedDict`) and calls `register_topic` for each; `enqueue_outbox` refuses any other topic,
  so a misspelt topic fails loudly instead of writing messages nobody will ever read;
- a reacting app calls `register_handler(TOPIC, handler)`. A topic with no handler is legal:
  its messages wait, pending, until a handler is registered (`torelik outbox report` shows them).

Handlers must be idempotent: a message is delivered at least once to each handler. A handler's
own writes and its delivery record commit together, so after a successful run it is not called
again for that message, but a crash between the handler's external effect (an SMS sent) and the
commit means it runs again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise

P = TypeVar("P", bound=Mapping[str, object])


class UnknownTopicError(LookupError):
    """A message was enqueued for a topic that no app declared (a programming error)."""


class PayloadShapeError(ValueError):
    """A message's payload does not have the keys its topic declares (a programming error)."""


class RegistryConflictError(ValueError):
    """Two different declarations under one topic or handler name."""


@dataclass(frozen=True)
class OutboxTopic(Generic[P]):
    """A kind of message an app publishes. The payload holds codes and ids, never sentences:
    the consumer words it in the recipient's language when it delivers."""

    name: str
    label: str | Promise = field(compare=False)
    payload: type[P]

    def check_payload(self, payload: Mapping[str, Any]) -> None:
        required: frozenset[str] = getattr(self.payload, "__required_keys__", frozenset())
        optional: frozenset[str] = getattr(self.payload, "__optional_keys__", frozenset())
        missing = required - payload.keys()
        unexpected = payload.keys() - required - optional
        if missing or unexpected:
            raise PayloadShapeError(
                f"Outbox topic {self.name!r}: payload keys do not match {self.payload.__name__} "
                f"(missing: {sorted(missing)}, unexpected: {sorted(unexpected)})."
            )


@dataclass(frozen=True)
class RegisteredHandler:
    """A handler under a stable name: the name is what delivery records remember."""

    name: str
    handler: Callable[[Any], None]


_TOPICS: dict[str, OutboxTopic[Any]] = {}
_HANDLERS: dict[str, list[RegisteredHandler]] = {}


def register_topic(topic: OutboxTopic[Any]) -> OutboxTopic[Any]:
    """Declares a topic; registering the same declaration again is harmless."""
    known = _TOPICS.get(topic.name)
    if known is not None and known != topic:
        raise RegistryConflictError(f"Outbox topic {topic.name!r} is already declared differently.")
    _TOPICS[topic.name] = topic
    return topic


def register_handler(topic: OutboxTopic[P], handler: Callable[[P], None], *, name: str | None = None) -> None:
    """Lets `handler` react to every message of `topic`, in the worker, after the commit.

    `name` identifies the handler in delivery records; keep it stable across releases (the
    default is the function's dotted path), or an already delivered message is delivered again.
    """
    register_topic(topic)  # the consuming app's ready() may run before the publishing app's
    qualname = getattr(handler, "__qualname__", type(handler).__qualname__)  # an instance: its class
    key = name or f"{handler.__module__}.{qualname}"
    handlers = _HANDLERS.setdefault(topic.name, [])
    for existing in handlers:
        if existing.name == key:
            if existing.handler is not handler:
                raise RegistryConflictError(
                    f"Outbox handler {key!r} is already registered for {topic.name!r}"
                )
            return
    handlers.append(RegisteredHandler(name=key, handler=handler))


def get_topic(name: str) -> OutboxTopic[Any]:
    try:
        return _TOPICS[name]
    except KeyError:
        raise UnknownTopicError(
            f"Outbox topic {name!r} is not registered; declare it in the publishing app's topics "
            "module and register it in its AppConfig.ready()."
        ) from None


def registered_topics() -> list[OutboxTopic[Any]]:
    return sorted(_TOPICS.values(), key=lambda t: t.name)


def handlers_for(topic: str) -> list[RegisteredHandler]:
    return list(_HANDLERS.get(topic, []))


def handled_topics() -> list[str]:
    return sorted(name for name, handlers in _HANDLERS.items() if handlers)
