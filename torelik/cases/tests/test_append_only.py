"""Case history, filing status history and the access audit cannot be changed or removed,
not through the ORM's querysets and not with raw SQL (database triggers, SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from torelik.cases.models import AppendOnlyError, Case, CaseEvent
from torelik.cases.services import append_case_event
from torelik.courts.models import CaseCategory
from torelik.efiling import services
from torelik.efiling.models import SubmissionStatusChange
from torelik.efiling.tests.test_filing import claim_input
from torelik.kernel.models import AccessAudit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo_court):
    now = timezone.now()
    case = Case.objects.create(
        number="7140-26-00-2/1",
        court=demo_court,
        category=CaseCategory.objects.get(code="civ.alimony"),
        year=2026,
        serial=1,
        registered_at=now,
    )
    append_case_event(case=case, kind="case.registered", actor=None, occurred_at=now)
    return case


@pytest.fixture
def status_change(demo_court, citizen):
    sub = services.create_draft(filer=citizen, data=claim_input())
    return SubmissionStatusChange.objects.get(submission=sub)


@pytest.fixture
def audit(db):
    return AccessAudit.objects.create(action="case.read", object_type="case", object_id="1")


def test_querysets_refuse_update_and_delete(case, status_change, audit):
    for qs in (
        CaseEvent.objects.filter(case=case),
        SubmissionStatusChange.objects.filter(pk=status_change.pk),
        AccessAudit.objects.filter(pk=audit.pk),
    ):
        with pytest.raises(AppendOnlyError):
            qs.update(pk=qs.get().pk)
        with pytest.raises(AppendOnlyError):
            qs.delete()
        assert qs.count() == 1
    with pytest.raises(AppendOnlyError):
        status_change.delete()
    status_change.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        status_change.save()
    with pytest.raises(AppendOnlyError):
        audit.delete()


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("cases_caseevent", "kind"),
        ("efiling_submissionstatuschange", "note"),
        ("kernel_accessaudit", "action"),
    ],
)
def test_raw_sql_cannot_update_or_delete(case, status_change, audit, table, column):
    def refused(sql: str) -> None:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)

    refused(f"UPDATE {table} SET {column} = 'forged'")
    refused(f"DELETE FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = 'forged'")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] >= 1


def test_events_follow_each_other(case):
    append_case_event(
        case=case,
        kind="case.awaiting_distribution",
        actor=None,
        occurred_at=timezone.now() + dt.timedelta(seconds=1),
    )
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True)) == [1, 2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_appending_locks_the_case_row(case):
    with CaptureQueriesContext(connection) as queries:
        append_case_event(
            case=case, kind="case.awaiting_distribution", actor=None, occurred_at=timezone.now()
        )
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and '"cases_case"' in locks[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's flush is TRUNCATE: no row triggers")
def test_flush_empties_the_append_only_tables_and_keeps_them_guarded(audit):
    # Inside the test's transaction: the rollback afterwards gives the other tests their data back.
    from django.core.management import call_command

    AccessAudit.objects.create(action="case.read", object_type="case", object_id="1")
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessAudit.objects.exists()
    AccessAudit.objects.create(action="case.read", object_type="case", object_id="2")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM kernel_accessaudit")
    assert AccessAudit.objects.count() == 1
