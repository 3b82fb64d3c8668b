"""Signed tree heads: scheduled through django-tasks after a filing commits, and by command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.archive import services
from torelik.archive.models import TreeHead
from torelik.archive.tasks import sign_tree_head_if_grown

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.TORELIK = {**settings.TORELIK, "ARCHIVE_TREE_HEAD_INTERVAL_SECONDS": 120}
    services._scheduled_boundaries.clear()
    backend = sign_tree_head_if_grown.get_backend()
    backend.clear()
    return backend


def test_a_filing_schedules_one_signing_at_the_next_interval_boundary(
    file_bytes, deferred_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_bytes(b"a")
    with django_capture_on_commit_callbacks(execute=True):
        file_bytes(b"b")
    assert len(deferred_tasks.results) == 1  # the second filing falls in the same interval
    run_after = deferred_tasks.results[0].task.run_after
    assert run_after is not None and run_after.timestamp() % 120 == 0
    assert 0 < (run_after - timezone.now()).total_seconds() <= 120
    assert not TreeHead.objects.exists()  # nothing signed until the worker runs the task
    assert sign_tree_head_if_grown.call() == 2
    assert sign_tree_head_if_grown.call() is None  # the log did not grow: nothing more is signed
    assert TreeHead.objects.count() == 1


def test_the_command_signs_a_tree_head_and_timestamps_never_go_back(file_bytes):
    file_bytes(b"a")
    out = io.StringIO()
    call_command("archive", "sign-tree-head", stdout=out)
    assert "Signed tree head: size 1" in out.getvalue()
    out = io.StringIO()
    call_command("archive", "sign-tree-head", "--if-grown", stdout=out)
    assert "nothing signed" in out.getvalue()
    call_command("archive", "sign-tree-head", stdout=io.StringIO())
    first, second = TreeHead.objects.order_by("id")
    assert second.timestamp_ms > first.timestamp_ms and second.tree_size == first.tree_size


def test_an_empty_log_has_the_rfc_empty_root(db):
    import hashlib

    head = services.sign_tree_head()
    assert head.tree_size == 0 and bytes(head.root_hash) == hashlib.sha256(b"").digest()
