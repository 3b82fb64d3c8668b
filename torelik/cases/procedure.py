"""Procedure as data: the stages of a kind of proceedings and the transitions between them.

A definition is a JSON document (stored, versioned, in `ProcedureVersion`; the first versions are
in `cases/procedures.py`). This module parses and validates one; it reads no database.

    {"code": "civil_claim", "name": {"kk": …, "ru": …, "en": …},
     "applies_to": {"kinds": ["civil"], "instances": ["first"], "categories": [], "exclude": []},
     "initial": "registered",
     "stages": [{"code": "preparation", "name": {…}, "closed": false}, …],
     "transitions": [{"code": "accept", "name": {…}, "from": ["assigned"], "to": "preparation",
                      "roles": ["judge"], "requires": {"reason": false, "outcomes": [], "act": ""},
                      "after_months": 0, "events": [], "terms": {"start": [], "pause": [], "stop": []}}]}

`roles` are account roles (`identity.Role`) or "system" (the platform itself: distribution, the
appeal path, a deadline sweep). `requires.act` names the kind of judicial act that must have been
signed in the case since it entered the stage (read from the case's own `act.signed` events).
`after_months`: the transition is allowed only that many months after the case entered the stage
(the appeal term). `terms` are codes of procedural terms the transition starts, pauses or stops;
the deadline control reads them from the case event.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from torelik.kernel.errors import DomainError

LANGUAGES = ("kk", "ru", "en")
SYSTEM = "system"
ROLES = frozenset({"judge", "clerk", "chair", "admin", SYSTEM})
TERM_EFFECTS = ("start", "pause", "resume", "stop")
# The kinds of judicial act (acts.ActKind) a transition may require; acts sits above cases, so the
# codes are repeated here as data the validator checks against.
ACT_KIND_LABELS: dict[str, Promise] = {
    "decision": gettext_lazy("decision"),
    "ruling": gettext_lazy("ruling"),
    "order": gettext_lazy("order (resolution)"),
    "court_order": gettext_lazy("court order"),
}
ACT_KINDS = frozenset(ACT_KIND_LABELS)


class ProcedureError(DomainError):
    """A definition that cannot be used; the message names the problem."""


def localised(names: dict[str, str]) -> str:
    """The name in the reader's language (Russian, then English, when a name is missing)."""
    language = (get_language() or "ru")[:2]
    return names.get(language) or names.get("ru") or names.get("en") or ""


@dataclass(frozen=True)
class Stage:
    code: str
    names: dict[str, str]
    closed: bool = False  # a final stage: the case is disposed of here

    @property
    def name(self) -> str:
        return localised(self.names)


@dataclass(frozen=True)
class Transition:
    code: str
    names: dict[str, str]
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    requires_reason: bool = False
    outcomes: tuple[str, ...] = ()
    act: str = ""
    after_months: int = 0
    events: tuple[str, ...] = ()
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return localised(self.names)

    @property
    def by_people(self) -> bool:
        return bool(self.roles - {SYSTEM})


@dataclass(frozen=True)
class Procedure:
    code: str
    names: dict[str, str]
    initial: str
    stages: dict[str, Stage]
    transitions: tuple[Transition, ...]
    applies_to: dict[str, list[str]]

    @property
    def name(self) -> str:
        return localised(self.names)

    def stage(self, code: str) -> Stage:
        return self.stages[code]

    def transitions_from(self, stage: str) -> list[Transition]:
        return [t for t in self.transitions if stage in t.sources]

    def transition(self, stage: str, code: str) -> Transition | None:
        return next((t for t in self.transitions_from(stage) if t.code == code), None)

    def any_transition(self, code: str) -> Transition | None:
        return next((t for t in self.transitions if t.code == code), None)


def _fail(code: str, message: str) -> ProcedureError:
    return ProcedureError(code, message, field="definition")


def _names(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(lang), str) and raw[lang].strip() for lang in LANGUAGES
    ):
        raise _fail(
            "procedure_name_missing",
            _("%(where)s needs a name in Kazakh, Russian and English.") % {"where": where},
        )
    return {lang: raw[lang].strip() for lang in LANGUAGES}


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise _fail("procedure_malformed", _("%(where)s must be a list of codes.") % {"where": where})
    return tuple(raw)


def parse(definition: Any, *, outcomes: frozenset[str], event_kinds: frozenset[str]) -> Procedure:
    """Parses and validates a definition; raises ProcedureError naming the first problem.

    `outcomes` and `event_kinds` are the codes a transition may name (cases' outcome codes and the
    declared case-event kinds).
    """
    if not isinstance(definition, dict):
        raise _fail("procedure_malformed", _("A procedure is a JSON object."))
    code = definition.get("code")
    if not isinstance(code, str) or not code:
        raise _fail("procedure_malformed", _("The procedure has no code."))
    names = _names(definition.get("name"), _("The procedure"))
    stages: dict[str, Stage] = {}
    for raw in definition.get("stages") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"]:
            raise _fail("procedure_malformed", _("Every stage needs a code."))
        stage_code = raw["code"]
        if stage_code in stages:
            raise _fail(
                "stage_duplicate", _("The stage “%(stage)s” is listed twice.") % {"stage": stage_code}
            )
        stages[stage_code] = Stage(
            stage_code,
            _names(raw.get("name"), _("Stage “%(stage)s”") % {"stage": stage_code}),
            bool(raw.get("closed")),
        )
    if not stages:
        raise _fail("procedure_malformed", _("The procedure has no stages."))
    initial = definition.get("initial")
    if initial not in stages:
        raise _fail(
            "stage_unknown", _("The initial stage “%(stage)s” is not among the stages.") % {"stage": initial}
        )
    transitions: list[Transition] = []
    seen: set[tuple[str, str]] = set()
    for raw in definition.get("transitions") or []:
        transitions.append(_transition(raw, stages, seen, outcomes=outcomes, event_kinds=event_kinds))
    applies = definition.get("applies_to") or {}
    if not isinstance(applies, dict):
        raise _fail("procedure_malformed", _("“applies_to” must be an object."))
    procedure = Procedure(
        code=code,
        names=names,
        initial=initial,
        stages=stages,
        transitions=tuple(transitions),
        applies_to={k: list(_strings(v, "applies_to." + k)) for k, v in applies.items()},
    )
    _check_graph(procedure)
    return procedure


def _transition(
    raw: Any,
    stages: dict[str, Stage],
    seen: set[tuple[str, str]],
    *,
    outcomes: frozenset[str],
    event_kinds: frozenset[str],
) -> Transition:
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"]:
        raise _fail("procedure_malformed", _("Every transition needs a code."))
    code = raw["code"]
    where = _("Transition “%(transition)s”") % {"transition": code}
    sources = _strings(raw.get("from"), where)
    if not sources:
        raise _fail("transition_no_source", _("%(where)s leaves from no stage.") % {"where": where})
    target: str = raw["to"] if isinstance(raw.get("to"), str) else ""
    for stage in (*sources, target):
        if stage not in stages:
            raise _fail(
                "stage_unknown",
                _("%(where)s names the stage “%(stage)s”, which is not among the stages.")
                % {"where": where, "stage": stage},
            )
    for stage in sources:
        if (stage, code) in seen:
            raise _fail(
                "transition_duplicate",
                _("Two transitions named “%(transition)s” leave the stage “%(stage)s”.")
                % {"transition": code, "stage": stage},
            )
        seen.add((stage, code))
    roles = frozenset(_strings(raw.get("roles"), where))
    if not roles or not roles <= ROLES:
        raise _fail(
            "transition_roles_invalid",
            _("%(where)s must name who performs it: %(roles)s.")
            % {"where": where, "roles": ", ".join(sorted(ROLES))},
        )
    requires = raw.get("requires") or {}
    wanted_outcomes = _strings(requires.get("outcomes"), where)
    unknown = [o for o in wanted_outcomes if o not in outcomes]
    if unknown:
        raise _fail(
            "outcome_unknown",
            _("%(where)s names an unknown outcome “%(outcome)s”.") % {"where": where, "outcome": unknown[0]},
        )
    act = requires.get("act") or ""
    if act and act not in ACT_KINDS:
        raise _fail(
            "act_kind_unknown",
            _("%(where)s requires an unknown kind of act “%(act)s”.") % {"where": where, "act": act},
        )
    events = _strings(raw.get("events"), where)
    undeclared = [e for e in events if e not in event_kinds]
    if undeclared:
        raise _fail(
            "event_kind_unknown",
            _("%(where)s writes the case event “%(kind)s”, which no app declares.")
            % {"where": where, "kind": undeclared[0]},
        )
    terms_raw = raw.get("terms") or {}
    if not isinstance(terms_raw, dict) or not set(terms_raw) <= set(TERM_EFFECTS):
        raise _fail(
            "procedure_malformed",
            _("%(where)s: terms are started, paused, resumed or stopped.") % {"where": where},
        )
    after = raw.get("after_months") or 0
    if not isinstance(after, int) or after < 0:
        raise _fail(
            "procedure_malformed", _("%(where)s: “after_months” is a whole number.") % {"where": where}
        )
    return Transition(
        code=code,
        names=_names(raw.get("name"), where),
        sources=sources,
        target=target,
        roles=roles,
        requires_reason=bool(requires.get("reason")),
        outcomes=wanted_outcomes,
        act=act,
        after_months=after,
        events=events,
        terms={
            effect: _strings(terms_raw.get(effect), where) for effect in TERM_EFFECTS if terms_raw.get(effect)
        },
    )


def _check_graph(procedure: Procedure) -> None:
    """Every stage is reachable from the initial one, and from every stage a closed one can be
    reached (no cycle a case could never leave)."""
    forward: dict[str, set[str]] = {code: set() for code in procedure.stages}
    backward: dict[str, set[str]] = {code: set() for code in procedure.stages}
    for t in procedure.transitions:
        for source in t.sources:
            forward[source].add(t.target)
            backward[t.target].add(source)
    reached = _reach(procedure.initial, forward)
    for code in procedure.stages:
        if code not in reached:
            raise _fail(
                "stage_unreachable", _("No transition leads to the stage “%(stage)s”.") % {"stage": code}
            )
    closed = [code for code, stage in procedure.stages.items() if stage.closed]
    if not closed:
        raise _fail("procedure_never_ends", _("The procedure has no closed stage: no case could ever end."))
    can_end: set[str] = set()
    for code in closed:
        can_end |= _reach(code, backward)
    for code in procedure.stages:
        if code not in can_end:
            raise _fail(
                "stage_cannot_end",
                _("A case at the stage “%(stage)s” could never reach a closed stage.") % {"stage": code},
            )


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
