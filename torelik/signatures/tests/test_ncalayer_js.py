"""torelik/static/js/ncalayer.js in a real Chromium, against the signer over a real WebSocket."""

from __future__ import annotations

import base64
import shutil
import socket
from pathlib import Path

import pytest

from torelik.signatures.ncalayer_server import start_signer_in_thread
from torelik.signatures.verification import verify_cms

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "ncalayer.js"
DOC = "Апелляционная жалоба".encode()


def _page_html(ws_url: str) -> str:
    return (
        f'<!doctype html><html lang="kk"><head><meta name="ncalayer-url" content="{ws_url}"></head>'
        f"<body><script>{SCRIPT.read_text()}</script></body></html>"
    )


def _run_in_browser(ws_url: str, scripts: list[str]) -> list[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed")
    results: list[object] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content(_page_html(ws_url))
            for script in scripts:
                results.append(page.evaluate(script))
        finally:
            browser.close()
    return results


def _outcome(call: str) -> str:
    # Resolve to {ok: cms} or {error, code, cancelled} so failures come back as data.
    return (
        f"{call}.then(cms => ({{ok: cms}}), e => ({{error: e.message, code: e.code, cancelled: e.cancelled,"
        f" isError: e instanceof NCALayer.NCALayerError}}))"
    )


def test_sign_and_sign_file_round_trip(trusted_pki):
    ident = trusted_pki.identity("citizen")
    port, stop = start_signer_in_thread(trusted_pki.signing_key("citizen"))
    b64 = base64.b64encode(DOC).decode()
    try:
        detached, attached, from_file, mismatch = _run_in_browser(
            f"ws://127.0.0.1:{port}",
            [
                _outcome(f"NCALayer.sign('{b64}', {{attached: false, iin: '{ident.iin}'}})"),
                _outcome(f"NCALayer.sign('{b64}', {{attached: true}})"),
                _outcome(
                    "NCALayer.signFile(new File([new TextEncoder().encode('Апелляционная жалоба')], 'a.txt'),"
                    " {attached: true})"
                ),
                _outcome(f"NCALayer.sign('{b64}', {{iin: '{trusted_pki.identity('judge').iin}'}})"),
            ],
        )
    finally:
        stop()
    assert verify_cms(cms=detached["ok"], content=DOC).signer_iin == ident.iin  # type: ignore[index]
    assert verify_cms(cms=attached["ok"]).content == DOC  # type: ignore[index]
    # signFile always signs detached, whatever the options say.
    assert verify_cms(cms=from_file["ok"], content=DOC).signer_name == ident.full_name  # type: ignore[index]
    assert mismatch["code"] == "SIGNING_FAILURE"  # type: ignore[index]
    assert "IIN" in mismatch["error"] and mismatch["isError"] and not mismatch["cancelled"]  # type: ignore[index]


def test_cancelled_and_not_running(demo_pki):
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"), decline=True)
    try:
        [cancelled] = _run_in_browser(f"ws://127.0.0.1:{port}", [_outcome("NCALayer.sign('AAAA', {})")])
    finally:
        stop()
    assert cancelled == {
        "error": "Signing was cancelled.",
        "code": "cancelled",
        "cancelled": True,
        "isError": True,
    }

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    [down] = _run_in_browser(f"ws://127.0.0.1:{free}", [_outcome("NCALayer.sign('AAAA', {})")])
    assert down["code"] == "not_running"  # type: ignore[index]
    assert "not running" in down["error"]  # type: ignore[index]
