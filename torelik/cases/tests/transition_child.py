"""A process that performs procedural steps on command, for the concurrency test.

It has its own connection to the database its environment names: a SQLite file
(TORELIK_VAR_DIR/torelik.sqlite3, the production settings: WAL, BEGIN IMMEDIATE, busy_timeout) or
the PostgreSQL test database (TORELIK_DATABASE_URL). It reads commands, one JSON object a line:

    {"case": 12, "transition": "accept", "user": "judge", "start_at": 1764756000.5,
     "reason": "", "outcome": "", "hold": false}

waits until `start_at` (epoch seconds: two processes given one time start together), performs the
step and answers one JSON line: {"ok": "<stage>"} or {"refused": "<error code>"}. With `hold` it
first answers {"holding": "<transition>"} from inside the transaction (the case moved, not yet
committed) and waits there for the line "release".
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torelik.settings")

import django

django.setup()

from torelik.cases import transitions  # noqa: E402
from torelik.cases.models import Case  # noqa: E402
from torelik.cases.transitions import TransitionInput, perform_transition  # noqa: E402
from torelik.identity.models import User  # noqa: E402
from torelik.kernel.errors import DomainError  # noqa: E402


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def holding(case: Case, step: Any, event: Any) -> None:
    say({"holding": step.code})
    if sys.stdin.readline().strip() != "release":
        raise SystemExit("expected release")


def main() -> None:
    say({"ready": os.getpid()})
    for line in sys.stdin:
        command = json.loads(line)
        transitions._after_transition[:] = [holding] if command.get("hold") else []
        actor = User.objects.get(username=command["user"])
        case = Case.objects.get(pk=command["case"])  # read before the other moves it, as a page would
        data = TransitionInput(reason=command.get("reason", ""), outcome=command.get("outcome", ""))
        while time.time() < command.get("start_at", 0):
            pass
        try:
            moved = perform_transition(case=case, transition=command["transition"], actor=actor, data=data)
        except DomainError as exc:
            say({"refused": exc.code})
        else:
            say({"ok": moved.stage})


if __name__ == "__main__":
    main()
