"""Our CMS must be accepted by an independent implementation: OpenSSL's `cms -verify`."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from torelik.signatures.signing import sign_cms

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")

DATA = "Решение суда. Сот шешімі. Judgment.\n".encode()


def _openssl_verify(tmp_path, pki, cms: bytes, *, detached: bool, crl_check: bool = False):
    (tmp_path / "sig.der").write_bytes(cms)
    (tmp_path / "data.bin").write_bytes(DATA)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(pki.ca_cert_path.read_bytes())
    args = [
        "openssl",
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        str(tmp_path / "sig.der"),
        "-CAfile",
        str(ca_file),
        "-out",
        str(tmp_path / "out.bin"),
    ]
    if detached:
        args += ["-content", str(tmp_path / "data.bin")]
    if crl_check:
        # `openssl cms` reads CRLs from the CA file; append ours in PEM.
        with ca_file.open("ab") as out:
            out.write(pki.crl().public_bytes(serialization.Encoding.PEM))
        args += ["-crl_check"]
    return subprocess.run(args, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("detached", [True, False])
def test_openssl_accepts_our_cms(tmp_path, demo_pki, detached):
    cms = sign_cms(key=demo_pki.signing_key("citizen"), data=DATA, detached=detached)
    result = _openssl_verify(tmp_path, demo_pki, cms, detached=detached, crl_check=True)
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr
    assert (tmp_path / "out.bin").read_bytes() == DATA


def test_openssl_accepts_the_organisations_key(tmp_path, demo_pki):
    cms = sign_cms(key=demo_pki.signing_key("entity"), data=DATA, detached=True)
    assert _openssl_verify(tmp_path, demo_pki, cms, detached=True).returncode == 0


def test_openssl_rejects_other_content(tmp_path, demo_pki):
    cms = sign_cms(key=demo_pki.signing_key("citizen"), data=DATA + b"x", detached=True)
    result = _openssl_verify(tmp_path, demo_pki, cms, detached=True)
    assert result.returncode != 0


def test_openssl_sees_the_revocation_in_our_crl(tmp_path, demo_pki):
    cms = sign_cms(key=demo_pki.signing_key("citizen_revoked"), data=DATA, detached=True)
    result = _openssl_verify(tmp_path, demo_pki, cms, detached=True, crl_check=True)
    assert result.returncode != 0
    assert "revoked" in result.stderr


def test_openssl_rejects_the_foreign_ca(tmp_path, demo_pki):
    cms = sign_cms(key=demo_pki.signing_key("foreign"), data=DATA, detached=True)
    assert _openssl_verify(tmp_path, demo_pki, cms, detached=True).returncode != 0


def test_we_accept_what_openssl_signs(tmp_path, trusted_pki):
    """OpenSSL writes rsaEncryption as the signature algorithm and, streaming, indefinite lengths."""
    from torelik.signatures.verification import verify_cms

    key = trusted_pki.signing_key("lawyer")
    (tmp_path / "cert.pem").write_bytes(key.certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (tmp_path / "data.bin").write_bytes(DATA)
    for extra in (["-nodetach"], ["-nodetach", "-stream"], []):
        out = tmp_path / "sig.der"
        subprocess.run(
            [
                "openssl",
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sha256",
                "-in",
                str(tmp_path / "data.bin"),
                "-signer",
                str(tmp_path / "cert.pem"),
                "-inkey",
                str(tmp_path / "key.pem"),
                "-outform",
                "DER",
                "-out",
                str(out),
                *extra,
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        attached = "-nodetach" in extra
        verified = verify_cms(cms=out.read_bytes(), content=None if attached else DATA)
        assert verified.content == DATA
        assert verified.signer_iin == trusted_pki.identity("lawyer").iin
