"""Procedures as data: every shipped definition parses; each broken one is refused with a message
naming the problem, in the reader's language; the admin adds versions and never changes one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from torelik.cases import events as case_events
from torelik.cases.models import ProcedureVersion
from torelik.cases.outcomes import OUTCOME_CODES
from torelik.cases.procedure import ProcedureError, parse
from torelik.cases.procedure_store import current_version, procedure_of
from torelik.cases.procedures import CIVIL_CLAIM, DEFINITIONS, n, stage

Definition = dict[str, Any]


def _parse(definition: Any) -> Any:
    return parse(definition, outcomes=OUTCOME_CODES, event_kinds=frozenset(case_events.registered_kinds()))


@pytest.mark.parametrize("definition", DEFINITIONS, ids=[d["code"] for d in DEFINITIONS])
def test_every_shipped_definition_parses(definition: Definition) -> None:
    procedure = _parse(definition)
    assert procedure.code == definition["code"]
    assert len(procedure.stages) == len(definition["stages"])
    assert len(procedure.transitions) == len(definition["transitions"])
    assert any(s.closed for s in procedure.stages.values())


@pytest.mark.django_db
def test_every_stored_version_parses() -> None:
    """The data migration stored the same definitions as the first versions."""
    stored = {v.code: v for v in ProcedureVersion.objects.all()}
    assert set(stored) == {d["code"] for d in DEFINITIONS}
    for version in stored.values():
        assert procedure_of(version).code == version.code


# ---------------------------------------------------------------- broken definitions


def _civil(change: Callable[[Definition], None]) -> Definition:
    definition = copy.deepcopy(CIVIL_CLAIM)
    change(definition)
    return definition


def _transition(definition: Definition, code: str) -> Definition:
    return next(t for t in definition["transitions"] if t["code"] == code)


def _stage(definition: Definition, code: str) -> Definition:
    return next(s for s in definition["stages"] if s["code"] == code)


def _move(code: str, source: str, target: str) -> Definition:
    return {
        "code": code,
        "name": n("Қадам", "Шаг", "Step"),
        "from": [source],
        "to": target,
        "roles": ["judge"],
    }


def _to_unknown_stage(d: Definition) -> None:
    _transition(d, "accept")["to"] = "nowhere"


def _unreachable_stage(d: Definition) -> None:
    d["stages"].append(stage("limbo", n("Белгісіз", "Неизвестно", "Limbo"), closed=True))


def _two_steps_with_one_name(d: Definition) -> None:
    d["transitions"].append({**_transition(d, "accept"), "to": "returned"})


def _cycle_never_left(d: Definition) -> None:
    d["stages"] += [stage("loop_a", n("А", "А", "A")), stage("loop_b", n("Б", "Б", "B"))]
    d["transitions"] += [
        _move("into_loop", "assigned", "loop_a"),
        _move("round", "loop_a", "loop_b"),
        _move("and_round", "loop_b", "loop_a"),
    ]


def _no_closed_stage(d: Definition) -> None:
    for s in d["stages"]:
        s["closed"] = False


def _procedure_without_kazakh(d: Definition) -> None:
    del d["name"]["kk"]


def _stage_without_kazakh(d: Definition) -> None:
    _stage(d, "preparation")["name"]["kk"] = "  "


def _step_without_kazakh(d: Definition) -> None:
    del _transition(d, "accept")["name"]["kk"]


def _unknown_role(d: Definition) -> None:
    _transition(d, "accept")["roles"] = ["judge", "bailiff"]


def _unknown_outcome(d: Definition) -> None:
    _transition(d, "announce_decision")["requires"]["outcomes"].append("won")


def _undeclared_event_kind(d: Definition) -> None:
    _transition(d, "accept")["events"] = ["case.teleported"]


def _unknown_act_kind(d: Definition) -> None:
    _transition(d, "decision_in_full")["requires"]["act"] = "verdict"


def _stage_twice(d: Definition) -> None:
    d["stages"].append(copy.deepcopy(_stage(d, "archived")))


def _unknown_initial_stage(d: Definition) -> None:
    d["initial"] = "filed"


def _step_from_nowhere(d: Definition) -> None:
    _transition(d, "archive")["from"] = []


BROKEN: list[tuple[Callable[[Definition], None], str, str]] = [
    (
        _to_unknown_stage,
        "stage_unknown",
        "Transition “accept” names the stage “nowhere”, which is not among the stages.",
    ),
    (_unreachable_stage, "stage_unreachable", "No transition leads to the stage “limbo”."),
    (
        _two_steps_with_one_name,
        "transition_duplicate",
        "Two transitions named “accept” leave the stage “assigned”.",
    ),
    (
        _cycle_never_left,
        "stage_cannot_end",
        "A case at the stage “loop_a” could never reach a closed stage.",
    ),
    (_no_closed_stage, "procedure_never_ends", "The procedure has no closed stage: no case could ever end."),
    (
        _procedure_without_kazakh,
        "procedure_name_missing",
        "The procedure needs a name in Kazakh, Russian and English.",
    ),
    (
        _stage_without_kazakh,
        "procedure_name_missing",
        "Stage “preparation” needs a name in Kazakh, Russian and English.",
    ),
    (
        _step_without_kazakh,
        "procedure_name_missing",
        "Transition “accept” needs a name in Kazakh, Russian and English.",
    ),
    (
        _unknown_role,
        "transition_roles_invalid",
        "Transition “accept” must name who performs it: admin, chair, clerk, judge, system.",
    ),
    (_unknown_outcome, "outcome_unknown", "Transition “announce_decision” names an unknown outcome “won”."),
    (
        _undeclared_event_kind,
        "event_kind_unknown",
        "Transition “accept” writes the case event “case.teleported”, which no app declares.",
    ),
    (
        _unknown_act_kind,
        "act_kind_unknown",
        "Transition “decision_in_full” requires an unknown kind of act “verdict”.",
    ),
    (_stage_twice, "stage_duplicate", "The stage “archived” is listed twice."),
    (_unknown_initial_stage, "stage_unknown", "The initial stage “filed” is not among the stages."),
    (_step_from_nowhere, "transition_no_source", "Transition “archive” leaves from no stage."),
]


def _refusal(definition: Definition, language: str) -> ProcedureError:
    with override(language), pytest.raises(ProcedureError) as err:
        _parse(definition)
    return err.value


@pytest.mark.parametrize(
    ("change", "code", "english"), BROKEN, ids=[b[0].__name__.strip("_") for b in BROKEN]
)
def test_a_broken_definition_is_refused_naming_the_problem(
    change: Callable[[Definition], None], code: str, english: str
) -> None:
    definition = _civil(change)
    error = _refusal(definition, "en")
    assert (error.code, error.field, str(error.message)) == (code, "definition", english)
    kazakh, russian = (str(_refusal(definition, lang).message) for lang in ("kk", "ru"))
    assert len({english, kazakh, russian}) == 3, (kazakh, russian)
    assert _refusal(definition, "kk").code == _refusal(definition, "ru").code == code


def test_the_broken_variants_break_only_what_they_name() -> None:
    """Each variant starts from the civil procedure, which parses: the refusal is the change's."""
    assert _parse(_civil(lambda d: None)).code == "civil_claim"


# ---------------------------------------------------------------- the admin: append-only versions

ADD = "/admin/cases/procedureversion/add/"


@pytest.fixture
def admin_user(db: None) -> Any:
    from torelik.identity.models import User

    return User.objects.create_superuser(username="root", password="root-password-1", role="admin")


@pytest.fixture
def admin(client: Any, admin_user: Any) -> Any:
    client.force_login(admin_user)
    return client


def _post(
    admin: Any, definition: Any, *, code: str = "civil_claim", reason: str = "ГПК 2026", lang: str = "en"
) -> Any:
    body = definition if isinstance(definition, str) else json.dumps(definition, ensure_ascii=False)
    return admin.post(ADD, {"code": code, "definition": body, "reason": reason}, HTTP_ACCEPT_LANGUAGE=lang)


def _versions() -> list[tuple[str, int]]:
    return list(ProcedureVersion.objects.order_by("code", "version").values_list("code", "version"))


def _form_errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200
    return dict(response.context["adminform"].form.errors)


def test_the_add_form_starts_from_the_latest_version(admin: Any) -> None:
    response = admin.get(ADD, {"code": "civil_claim"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Исковое производство (первая инстанция)" in page  # shown as it is, not \u-escaped
    assert (
        response.context["adminform"].form.initial["definition"] == current_version("civil_claim").definition
    )


@pytest.mark.parametrize(
    ("change", "code", "english"),
    [BROKEN[0], BROKEN[3], BROKEN[8]],
    ids=["unknown_stage", "cycle", "unknown_role"],
)
def test_a_broken_definition_is_refused_in_the_admin_and_nothing_saved(
    admin: Any, change: Callable[[Definition], None], code: str, english: str
) -> None:
    before = _versions()
    definition = _civil(change)
    assert _form_errors(_post(admin, definition)) == {"definition": [english]}
    kazakh = str(_refusal(definition, "kk").message)
    assert _form_errors(_post(admin, definition, lang="kk")) == {"definition": [kazakh]}
    assert kazakh != english
    assert _versions() == before


def test_the_admin_refuses_no_reason_bad_json_and_a_code_that_is_not_the_procedures(admin: Any) -> None:
    before = _versions()
    assert set(_form_errors(_post(admin, CIVIL_CLAIM, reason="  "))) == {"reason"}
    assert set(_form_errors(_post(admin, '{"code": "civil_claim",'))) == {"definition"}
    assert _form_errors(_post(admin, CIVIL_CLAIM, code="court_order")) == {
        "definition": ["The definition's code “civil_claim” is not the procedure's code “court_order”."]
    }
    russian = _form_errors(_post(admin, CIVIL_CLAIM, code="court_order", lang="ru"))["definition"][0]
    assert russian.startswith("Код в описании «civil_claim»")
    assert _versions() == before


def test_a_new_version_is_numbered_after_the_last_with_its_author_and_reason(
    admin: Any, admin_user: Any, new_case: Any
) -> None:
    old_case = new_case()
    assert old_case.procedure.version == 1
    edited = _civil(lambda d: _stage(d, "preparation")["name"].update(en="Preparing the trial"))
    started = timezone.now()
    response = _post(admin, edited, reason="Renamed the preparation stage")
    assert response.status_code == 302, _form_errors(response)
    assert _post(admin, edited, reason="Once more").status_code == 302
    versions = list(ProcedureVersion.objects.filter(code="civil_claim").order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3]
    new = versions[1]
    assert (new.created_by_id, new.reason, new.definition) == (
        admin_user.pk,
        "Renamed the preparation stage",
        edited,
    )
    assert new.created_at >= started
    assert versions[0].definition == CIVIL_CLAIM  # the first version is as it was
    # New cases follow the latest version; a case registered before keeps its own.
    assert current_version("civil_claim").version == 3
    assert new_case().procedure.version == 3
    old_case.refresh_from_db()
    assert old_case.procedure.version == 1
    with override("en"):
        assert procedure_of(versions[2]).stage("preparation").name == "Preparing the trial"


def test_existing_versions_are_read_only(admin: Any) -> None:
    version = ProcedureVersion.objects.get(code="civil_claim", version=1)
    url = f"/admin/cases/procedureversion/{version.pk}/change/"
    response = admin.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin.post(url, {"code": "civil_claim", "definition": "{}", "reason": "x"}).status_code == 403
    assert admin.get(f"/admin/cases/procedureversion/{version.pk}/delete/").status_code == 403
    changelist = admin.get("/admin/cases/procedureversion/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    version.refresh_from_db()
    assert version.definition == CIVIL_CLAIM
