"""`torelik run` starts every process the demo needs from one list, and wires their addresses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from torelik.demo.management.commands.run import RunOptions, services, signer_key_path


def _by_name(found: list) -> dict:
    return {s.name: s for s in found}


def test_the_demo_starts_web_worker_tsa_and_signer_and_the_web_knows_the_tsa(tmp_path: Path) -> None:
    found = services(
        RunOptions(tsa_port=14580, signer_port=14579), environ={"PATH": "/bin"}, key_dir=tmp_path
    )
    assert [s.name for s in found] == ["web", "worker", "tsa", "signer"]
    named = _by_name(found)
    assert named["tsa"].command == [sys.executable, "-m", "torelik.cli", "tsa", "--port", "14580"]
    for name in ("web", "worker"):
        env = named[name].env
        assert env["TORELIK_TSA_URL"] == "http://127.0.0.1:14580/"
        assert env["TORELIK_NCALAYER_URL"] == "ws://127.0.0.1:14579"
        assert env["TORELIK_PUBLIC_BASE_URL"] == "http://127.0.0.1:8000"
        assert env["PATH"] == "/bin"
    signer = named["signer"].command
    assert signer[signer.index("--port") + 1] == "14579"
    assert signer[signer.index("--key") + 1] == str(tmp_path / "citizen.p12")
    assert signer[signer.index("--origin") + 1] == "http://127.0.0.1:8000"


def test_a_tsa_or_signer_set_by_the_operator_is_kept(tmp_path: Path) -> None:
    environ = {"TORELIK_TSA_URL": "https://tsp.pki.gov.kz/", "TORELIK_NCALAYER_URL": "wss://127.0.0.1:13579"}
    named = _by_name(services(RunOptions(tsa=False), environ=environ, key_dir=tmp_path))
    assert "tsa" not in named
    assert named["web"].env["TORELIK_TSA_URL"] == "https://tsp.pki.gov.kz/"
    assert named["worker"].env["TORELIK_NCALAYER_URL"] == "wss://127.0.0.1:13579"


def test_outside_demo_mode_only_web_and_worker_run(tmp_path: Path) -> None:
    found = services(RunOptions(demo=False), environ={}, key_dir=tmp_path)
    assert [s.name for s in found] == ["web", "worker"]
    assert "TORELIK_TSA_URL" not in found[0].env and "TORELIK_NCALAYER_URL" not in found[0].env


def test_the_signer_holds_a_demo_identity_or_a_demo_judge_key(tmp_path: Path) -> None:
    assert signer_key_path("judge", directory=tmp_path) == tmp_path / "judge.p12"
    (tmp_path / "judges").mkdir()
    (tmp_path / "judges" / "judge-7199-03.p12").write_bytes(b"")
    assert signer_key_path("judge-7199-03", directory=tmp_path) == tmp_path / "judges" / "judge-7199-03.p12"
    with pytest.raises(CommandError, match="judge-7199-99"):
        signer_key_path("judge-7199-99", directory=tmp_path)
    found = services(RunOptions(signer_key="judge-7199-03"), environ={}, key_dir=tmp_path)
    signer = _by_name(found)["signer"].command
    assert signer[signer.index("--key") + 1].endswith("judges/judge-7199-03.p12")
