"""`torelik tsa` serves the demo TSA that the court's signing uses (TSA_URL)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from torelik.signatures.testca import DemoPki
from torelik.signatures.tsa import request_timestamp

pytestmark = pytest.mark.django_db


def test_the_tsa_command_answers_time_stamp_requests(trusted_pki: DemoPki) -> None:
    env = {**os.environ, "TORELIK_PKI_DIR": str(trusted_pki.directory), "PYTHONUNBUFFERED": "1"}
    manage = Path(sys.executable).parent / "torelik"
    process = subprocess.Popen(
        [str(manage), "tsa", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
        assert found, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        stamp = request_timestamp(message=b"act signature", url=found.group(1))
        assert "Torelik Test TSA" in stamp.tsa_name
    finally:
        process.terminate()
        process.wait(timeout=10)
