"""For tests of any app: the demo PKI, made once per test process, and trust in it.

    from torelik.signatures.testing import session_demo_pki, use_demo_pki

    def test_filing(settings, db):
        pki = use_demo_pki(settings, session_demo_pki())
        key = pki.signing_key("citizen")          # signing.SigningKey
        cms = sign_cms(key=key, data=payload, detached=True)

Each pytest-xdist worker is its own process and gets its own temporary directory.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from torelik.signatures.testca import DemoPki, ensure_demo_pki, install_demo_trust

_session_dir: Path | None = None


def session_demo_pki() -> DemoPki:
    """The demo PKI in a temporary directory private to this process, removed at exit."""
    global _session_dir
    if _session_dir is None:
        _session_dir = Path(tempfile.mkdtemp(prefix="torelik-pki-"))
        atexit.register(shutil.rmtree, _session_dir, True)
    return ensure_demo_pki(_session_dir)


def use_demo_pki(settings: Any, pki: DemoPki, *, ocsp_url: str = "") -> DemoPki:
    """Point PKI_DIR (and OCSP_URL) at `pki` for one test and trust its CA in the database.

    `settings` is pytest-django's fixture, so the change is undone after the test.
    """
    settings.TORELIK = {**settings.TORELIK, "PKI_DIR": pki.directory, "OCSP_URL": ocsp_url}
    install_demo_trust(pki)
    return pki
