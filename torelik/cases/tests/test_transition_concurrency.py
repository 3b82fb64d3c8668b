"""Two transitions of one case at the same moment: exactly one wins, the other is refused
("transition_not_allowed", the case has moved) and the history gains exactly one entry.

`perform_transition` locks the case row (`SELECT … FOR UPDATE`) before it reads the stage; on
SQLite the write transaction takes the database lock at `BEGIN IMMEDIATE`. Either way the second
writer waits for the first to commit and then reads the moved stage.

- PostgreSQL, threads: each thread its own connection, started together at a barrier.
- Both engines, two processes with their own connections: the race, and the second writer shown
  waiting while the first holds its transaction open. On SQLite the processes use a database file
  with the production settings (WAL, BEGIN IMMEDIATE, busy_timeout), a copy of this test's
  database: the in-memory test database is not visible to other processes, and threads sharing it
  get "database table is locked" at once instead of waiting, which is not how the file behaves.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from torelik.cases import events as case_events
from torelik.cases.models import Case, CaseEvent
from torelik.cases.transitions import TransitionInput, perform_transition
from torelik.kernel.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = "postgresql" in str(settings.DATABASES["default"]["ENGINE"])
CHILD = Path(__file__).with_name("transition_child.py")
ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 4
PAIRS = [("accept", "accept"), ("accept", "return_claim")]
REFUSED = {"refused": "transition_not_allowed"}
STAGE_AFTER = {"accept": "preparation", "return_claim": "returned"}


# What the steps need besides the actor.
INPUTS: dict[str, dict[str, Any]] = {"return_claim": {"reason": "Не подсудно", "outcome": "returned"}}


def _inputs(code: str) -> dict[str, Any]:
    return {"data": TransitionInput(**INPUTS[code])} if code in INPUTS else {}


# ---------------------------------------------------------------- PostgreSQL: threads


@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL row locks between connections of one process")
@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_threads_one_case_exactly_one_wins(
    reference_data: None, new_case: Any, judge: Any, first: str, second: str
) -> None:
    for _round in range(ROUNDS):
        case = new_case()
        before = CaseEvent.objects.filter(case=case).count()
        barrier = threading.Barrier(2)
        outcomes: dict[str, Any] = {}
        lock = threading.Lock()

        def attempt(name: str, code: str, case_id: int = case.pk) -> None:
            try:
                mine = Case.objects.get(pk=case_id)  # each thread its own object and connection
                barrier.wait(timeout=30)
                try:
                    result: Any = {
                        "ok": perform_transition(
                            case=mine, transition=code, actor=judge, **_inputs(code)
                        ).stage
                    }
                except DomainError as exc:
                    result = {"refused": exc.code}
            except BaseException as exc:  # reported by the main thread
                result = {"error": repr(exc)}
            finally:
                connection.close()
            with lock:
                outcomes[name] = (code, result)

        threads = [
            threading.Thread(target=attempt, args=("a", first)),
            threading.Thread(target=attempt, args=("b", second)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        results = sorted(outcomes.values(), key=lambda r: "refused" in r[1])
        assert [r for _code, r in results] == [{"ok": STAGE_AFTER[results[0][0]]}, REFUSED], outcomes
        winner = results[0][0]
        case.refresh_from_db()
        assert case.stage == STAGE_AFTER[winner]
        new = list(CaseEvent.objects.filter(case=case, seq__gt=before).values_list("kind", "payload"))
        assert len(new) == 1
        assert new[0][0] == case_events.CASE_TRANSITION and new[0][1]["transition"] == winner


# ---------------------------------------------------------------- both engines: processes


class Child:
    """A transition_child.py process; its answers arrive on a queue (read by a thread)."""

    def __init__(self, env: dict[str, str], stderr: Path) -> None:
        self.stderr_path = stderr
        self.stderr = stderr.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.answers: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(json.loads(line))

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 60) -> dict[str, Any]:
        try:
            return self.answers.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no answer; stderr: {self.stderr_path.read_text()[-2000:]}") from None

    def silent_for(self, seconds: float) -> bool:
        try:
            self.answers.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.stderr.close()


def _child_environment(tmp_path: Path) -> dict[str, str]:
    """The children's database: the PostgreSQL test database, or a SQLite file copied from this
    test's database (committed: the test is transactional)."""
    env = {k: v for k, v in os.environ.items() if k != "TORELIK_DATABASE_URL"}
    var = tmp_path / "var"
    var.mkdir()
    env.update(TORELIK_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="torelik.settings", PYTHONPATH=str(ROOT))
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"]) + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
        env["TORELIK_DATABASE_URL"] = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{quote(db['NAME'])}"
    else:
        target = var / "torelik.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        with closing(sqlite3.connect(target)) as copy:
            copy.execute("PRAGMA journal_mode=WAL")
    return env


def _history(env: dict[str, str], case_id: int) -> list[tuple[str, dict[str, Any]]]:
    """The case's history as the children's database holds it."""
    if connection.vendor == "postgresql":
        return list(CaseEvent.objects.filter(case_id=case_id).order_by("seq").values_list("kind", "payload"))
    with closing(sqlite3.connect(Path(env["TORELIK_VAR_DIR"]) / "torelik.sqlite3")) as db:
        rows = db.execute(
            "SELECT kind, payload FROM cases_caseevent WHERE case_id = ? ORDER BY seq", [case_id]
        )
        return [(kind, json.loads(payload)) for kind, payload in rows]


def _stage(env: dict[str, str], case_id: int) -> str:
    if connection.vendor == "postgresql":
        return Case.objects.get(pk=case_id).stage
    with closing(sqlite3.connect(Path(env["TORELIK_VAR_DIR"]) / "torelik.sqlite3")) as db:
        return db.execute("SELECT stage FROM cases_case WHERE id = ?", [case_id]).fetchone()[0]


@pytest.fixture
def two_children(reference_data: None, new_case: Any, judge: Any, tmp_path: Path) -> Iterator[Any]:
    """(env, children, cases): ROUNDS × 2 + 1 fresh cases heard by `judge`, and two processes."""
    cases = [new_case().pk for _ in range(ROUNDS * len(PAIRS) + 1)]
    env = _child_environment(tmp_path)
    children = [Child(env, tmp_path / f"child{i}.err") for i in range(2)]
    try:
        for child in children:
            assert "ready" in child.answer(timeout=180)
        yield env, children, cases
    finally:
        for child in children:
            child.stop()


def _perform(case_id: int, code: str, username: str, start_at: float, *, hold: bool = False) -> str:
    command = {"case": case_id, "transition": code, "user": username, "start_at": start_at, "hold": hold}
    return json.dumps({**command, **INPUTS.get(code, {})})


def test_two_processes_one_case_exactly_one_wins(two_children: Any, judge: Any) -> None:
    env, children, cases = two_children
    pairs = [pair for pair in PAIRS for _ in range(ROUNDS)]
    for case_id, (first, second) in zip(cases, pairs, strict=False):
        before = len(_history(env, case_id))
        start_at = time.time() + 0.3  # both spin until the same instant
        children[0].send(_perform(case_id, first, judge.username, start_at))
        children[1].send(_perform(case_id, second, judge.username, start_at))
        answers = [children[0].answer(), children[1].answer()]
        codes = [first, second]
        won = [i for i, a in enumerate(answers) if "ok" in a]
        assert len(won) == 1, answers
        loser = 1 - won[0]
        winner = codes[won[0]]
        assert answers[won[0]] == {"ok": STAGE_AFTER[winner]}
        assert answers[loser] == REFUSED, answers  # it found the case moved
        new = _history(env, case_id)[before:]
        assert [(kind, payload["transition"]) for kind, payload in new] == [
            (case_events.CASE_TRANSITION, winner)
        ]
        assert _stage(env, case_id) == STAGE_AFTER[winner]


def test_the_second_writer_waits_for_the_first_then_is_refused(two_children: Any, judge: Any) -> None:
    env, children, cases = two_children
    case_id = cases[-1]
    before = len(_history(env, case_id))
    first, second = children
    first.send(_perform(case_id, "accept", judge.username, 0, hold=True))
    assert first.answer() == {"holding": "accept"}  # moved inside its transaction, not committed
    second.send(_perform(case_id, "accept", judge.username, 0))
    if connection.vendor == "postgresql":
        # The second process's backend waits on the case row's lock.
        deadline = time.monotonic() + 30
        while not _lock_waiters():
            assert time.monotonic() < deadline, "the second writer never waited on the lock"
            time.sleep(0.05)
    # On SQLite the second waits at BEGIN IMMEDIATE (busy_timeout): it answers nothing meanwhile.
    assert second.silent_for(1.5)
    assert _stage(env, case_id) == "assigned"  # readers see the case as it was
    first.send("release")
    assert first.answer() == {"ok": "preparation"}
    assert second.answer() == REFUSED
    new = _history(env, case_id)[before:]
    assert [(kind, payload["transition"]) for kind, payload in new] == [
        (case_events.CASE_TRANSITION, "accept")
    ]


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])
