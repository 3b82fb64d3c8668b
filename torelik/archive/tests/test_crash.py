"""Kill an ingesting process with SIGKILL; afterwards the log and the blobs agree.

Runs in child processes with their own SQLite database and archive directory (the test
database of this process is not visible to them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("ingest_child.py")
ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TORELIK_DATABASE_URL"}
    env.update(
        TORELIK_VAR_DIR=str(tmp_path / "var"),
        TORELIK_ARCHIVE_ROOT=str(tmp_path / "archive"),
        DJANGO_SETTINGS_MODULE="torelik.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _torelik(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from torelik.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("kills", [2])
def test_killing_an_ingest_leaves_log_and_blobs_in_agreement(tmp_path, kills):
    env = _env(tmp_path)
    (tmp_path / "var").mkdir()
    assert _torelik(env, "migrate", "-v0").returncode == 0
    committed = -1
    for round_ in range(kills):
        child = subprocess.Popen(
            [sys.executable, str(CHILD)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        # Let it file a few documents, then kill it at a point that differs from round to round.
        for _ in range(10 + 6 * round_):
            line = child.stdout.readline()
            assert line, "the ingest process stopped by itself"
            committed = int(line)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        # After every kill: everything reported as committed is there, and verify passes.
        result = _torelik(env, "archive", "verify")
        assert result.returncode == 0, result.stderr
        assert "OK: the log, its tree heads and the stored documents agree." in result.stdout
        entries = int(result.stdout.split(" log entries")[0])
        assert entries >= committed + 1
