"""Typed access to the signatures settings in settings.TORELIK."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DEFAULT_OCSP_TIMEOUT_SECONDS = 5.0


def pki_dir() -> Path:
    """Where the trust material lives: the test CA, demo keys and CRLs (*.crl, crl/*.crl)."""
    return Path(str(settings.TORELIK["PKI_DIR"]))


def ocsp_url() -> str:
    """An OCSP responder to ask before any named in the certificate; empty for none."""
    return str(settings.TORELIK.get("OCSP_URL", "") or "")


def ocsp_timeout() -> float:
    value = settings.TORELIK.get("OCSP_TIMEOUT_SECONDS", DEFAULT_OCSP_TIMEOUT_SECONDS)
    return float(value) if isinstance(value, int | float | str) else DEFAULT_OCSP_TIMEOUT_SECONDS
