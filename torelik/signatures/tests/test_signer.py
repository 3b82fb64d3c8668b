"""The NCALayer-compatible signer, over a real WebSocket on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import ssl

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from websockets.sync.client import connect

from torelik.signatures.certificates import OID_NCA_INDIVIDUAL, OID_NCA_ORGANISATION_HEAD
from torelik.signatures.ncalayer_server import NCALAYER_VERSION, start_signer_in_thread, tls_context
from torelik.signatures.verification import verify_cms

DOC = "Ходатайство об отложении заседания".encode()
B64 = base64.b64encode(DOC).decode()


@pytest.fixture
def signer(demo_pki):
    """Signer holding the demo citizen's key; yields ws:// URL."""
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"))
    yield f"ws://127.0.0.1:{port}"
    stop()


def _call(url: str, request: dict | str, **kwargs) -> dict:
    with connect(url, **kwargs) as ws:
        greeting = json.loads(ws.recv(timeout=10))
        assert greeting == {"result": {"version": NCALAYER_VERSION}}
        ws.send(request if isinstance(request, str) else json.dumps(request))
        return json.loads(ws.recv(timeout=30))


def _basics(data, *, encapsulate=False, decode=True, iin="", bin_="", oids=None, **extra_params) -> dict:
    return {
        "module": "kz.gov.pki.knca.basics",
        "method": "sign",
        "args": {
            "allowedStorages": ["PKCS12"],
            "format": "cms",
            "data": data,
            "signingParams": {
                "decode": decode,
                "encapsulate": encapsulate,
                "digested": False,
                "tsaProfile": None,
                **extra_params,
            },
            "signerParams": {"extKeyUsageOids": oids or [], "iin": iin, "bin": bin_, "chain": []},
            "locale": "ru",
        },
    }


def test_basics_sign_detached_round_trip(trusted_pki, signer):
    ident = trusted_pki.identity("citizen")
    reply = _call(
        signer, _basics(B64, iin=ident.iin, oids=["1.3.6.1.5.5.7.3.4", OID_NCA_INDIVIDUAL.dotted_string])
    )

    assert reply["status"] is True
    [cms] = reply["body"]["result"]
    verified = verify_cms(cms=cms, content=DOC)
    assert verified.signer_iin == ident.iin
    assert verified.signer_name == ident.full_name


def test_basics_sign_attached_round_trip(trusted_pki, signer):
    reply = _call(signer, _basics(B64, encapsulate=True))
    [cms] = reply["body"]["result"]
    assert verify_cms(cms=cms).content == DOC


def test_basics_sign_text_without_decode_and_several_items(trusted_pki, signer):
    reply = _call(signer, _basics(["first", "second"], decode="false", encapsulate="true"))
    first, second = reply["body"]["result"]
    assert verify_cms(cms=first).content == b"first"
    assert verify_cms(cms=second).content == b"second"


def test_basics_sign_output_cert(trusted_pki, signer):
    reply = _call(signer, _basics(B64, outputCert=True))
    result = reply["body"]["result"]
    assert result["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert (
        verify_cms(cms=result["signatures"][0], content=DOC).signer_iin == trusted_pki.identity("citizen").iin
    )


def test_iin_mismatch_is_refused(trusted_pki, signer):
    other = trusted_pki.identity("lawyer").iin
    reply = _call(signer, _basics(B64, iin=other))
    assert reply["status"] is False
    assert reply["code"] == "SIGNING_FAILURE"
    assert "IIN" in reply["message"]
    assert other in reply["details"]


def test_bin_and_key_purpose_are_honoured(trusted_pki, demo_pki):
    entity = trusted_pki.identity("entity")
    port, stop = start_signer_in_thread(demo_pki.signing_key("entity"))
    try:
        url = f"ws://127.0.0.1:{port}"
        ok = _call(
            url, _basics(B64, iin=entity.iin, bin_=entity.bin, oids=[OID_NCA_ORGANISATION_HEAD.dotted_string])
        )
        verified = verify_cms(cms=ok["body"]["result"][0], content=DOC)
        assert (verified.signer_iin, verified.signer_bin, verified.organisation) == (
            entity.iin,
            entity.bin,
            entity.organisation,
        )
        wrong_bin = _call(url, _basics(B64, bin_="990140004654"))
        assert wrong_bin["status"] is False and "BIN" in wrong_bin["message"]
    finally:
        stop()


def test_citizen_key_lacks_the_organisation_purpose(signer):
    reply = _call(signer, _basics(B64, oids=[OID_NCA_ORGANISATION_HEAD.dotted_string]))
    assert reply["status"] is False
    assert OID_NCA_ORGANISATION_HEAD.dotted_string in reply["details"]


def test_common_utils_create_cms_from_base64(trusted_pki, signer):
    request = {
        "module": "kz.gov.pki.knca.commonUtils",
        "method": "createCMSSignatureFromBase64",
        "args": ["PKCS12", "SIGNATURE", B64, False],
    }
    reply = _call(signer, request)
    assert reply["code"] == "200"
    assert (
        verify_cms(cms=reply["responseObject"], content=DOC).signer_iin == trusted_pki.identity("citizen").iin
    )

    attached = _call(signer, {**request, "args": ["PKCS12", "SIGNATURE", B64, True]})
    assert verify_cms(cms=attached["responseObject"]).content == DOC


def test_common_utils_key_info_and_tokens(demo_pki, signer):
    info = _call(
        signer, {"module": "kz.gov.pki.knca.commonUtils", "method": "getKeyInfo", "args": ["PKCS12"]}
    )
    assert info["code"] == "200"
    assert "IIN" + demo_pki.identity("citizen").iin in info["responseObject"]["subjectDn"]
    tokens = _call(signer, {"module": "kz.gov.pki.knca.commonUtils", "method": "getActiveTokens"})
    assert tokens == {"code": "200", "message": "", "responseObject": []}


def test_declined_request_looks_like_a_cancelled_dialog(demo_pki):
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"), decline=True)
    try:
        url = f"ws://127.0.0.1:{port}"
        assert _call(url, _basics(B64)) == {"status": True, "body": {}}
        old = _call(
            url,
            {
                "module": "kz.gov.pki.knca.commonUtils",
                "method": "createCMSSignatureFromBase64",
                "args": ["PKCS12", "SIGNATURE", B64, False],
            },
        )
        assert old == {"code": "500", "message": "action.canceled"}
    finally:
        stop()


def test_protocol_odds_and_ends(signer):
    assert _call(signer, "{not json") == {"success": False, "code": "COMMON_JSON_WRAPPING_EXCEPTION"}
    assert _call(signer, {"module": "kz.digiflow.mobile.extensions", "method": "getVersion"}) == {
        "success": False,
        "errorCode": "MODULE_NOT_FOUND",
    }
    assert _call(signer, _basics(B64) | {"method": "generateCsr"})["code"] == "INVOCATION_ERROR"
    bad = _basics("%%%")
    assert _call(signer, bad)["code"] == "INVALID_SIGNING_PARAMS"
    xml = _basics("<a/>")
    xml["args"]["format"] = "xml"
    assert _call(signer, xml)["code"] == "INVALID_SIGNING_PARAMS"
    with connect(signer) as ws:
        ws.recv(timeout=10)
        ws.send("--heartbeat--")
        assert ws.recv(timeout=10) == "--heartbeat--"


def test_tls_mode(trusted_pki, demo_pki):
    port, stop = start_signer_in_thread(
        demo_pki.signing_key("citizen"),
        ssl_context=tls_context(str(demo_pki.tls_cert_path), str(demo_pki.tls_key_path)),
    )
    try:
        client = ssl.create_default_context(cafile=str(demo_pki.ca_cert_path))
        reply = _call(f"wss://127.0.0.1:{port}", _basics(B64), ssl=client)
        assert verify_cms(cms=reply["body"]["result"][0], content=DOC).revocation_status == "good"
    finally:
        stop()


def test_stop_frees_the_port(demo_pki):
    port, stop = start_signer_in_thread(demo_pki.signing_key("citizen"))
    stop()
    again, stop_again = start_signer_in_thread(demo_pki.signing_key("citizen"), port=port)
    assert again == port
    stop_again()


def test_signer_command_refuses_a_missing_key(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="cannot be read"):
        call_command("signer", "--key", str(tmp_path / "none.p12"))


def test_signer_command_refuses_a_wrong_password(demo_pki):
    with translation.override("en"), pytest.raises(CommandError, match="wrong password"):
        call_command("signer", "--key", str(demo_pki.p12_path("citizen")), "--password", "nope")


def test_signer_command_serves_until_terminated(demo_pki, tmp_path):
    """`torelik signer` as `torelik run` starts it: a separate process, stopped with SIGTERM."""
    import os
    import re
    import subprocess
    import sys

    env = {
        **os.environ,
        "TORELIK_PKI_DIR": str(demo_pki.directory),
        "DJANGO_SETTINGS_MODULE": "torelik.settings",
    }
    errors = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "torelik.cli",
            "signer",
            "--port",
            "0",
            "--key",
            str(demo_pki.p12_path("lawyer")),
        ],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline()
        match = re.search(r"ws://127\.0\.0\.1:(\d+)", line)
        assert match, line + (tmp_path / "stderr.txt").read_text()
        assert demo_pki.identity("lawyer").iin in line
        reply = _call(f"ws://127.0.0.1:{match.group(1)}", _basics(B64))
        assert reply["status"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        errors.close()
