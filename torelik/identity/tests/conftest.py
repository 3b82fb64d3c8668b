"""Fixtures of the identity tests: the demo PKI, signed login challenges and staff users."""

from __future__ import annotations

import base64
from typing import Any

import pyotp
import pytest

from torelik.identity import services
from torelik.identity.models import Role, User
from torelik.signatures.signing import sign_cms
from torelik.signatures.testca import DemoPki
from torelik.signatures.testing import session_demo_pki, use_demo_pki

STAFF_PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _identity_urls(settings: Any) -> None:
    # Our own URLconf: the login pages and API with stand-ins for pages other apps provide.
    settings.ROOT_URLCONF = "torelik.identity.tests.urls"
    settings.LOGIN_REDIRECT_URL = "portal:home"


@pytest.fixture(scope="session")
def demo_pki() -> DemoPki:
    return session_demo_pki()


@pytest.fixture
def pki(demo_pki: DemoPki, settings: Any, db: None) -> DemoPki:
    """The demo PKI in PKI_DIR and its CA in the trust store; the CRL decides revocation."""
    return use_demo_pki(settings, demo_pki)


def signed(pki: DemoPki, key: str, data: bytes, *, detached: bool = False) -> str:
    """Base64 CMS as NCALayer returns it."""
    return base64.b64encode(sign_cms(key=pki.signing_key(key), data=data, detached=detached)).decode()


@pytest.fixture
def sign_challenge(pki: DemoPki) -> Any:
    """sign_challenge("citizen") -> (nonce, base64 CMS over the nonce) for a fresh challenge."""

    def make(key: str = "citizen") -> tuple[str, str]:
        nonce = services.issue_login_challenge().nonce
        return nonce, signed(pki, key, nonce.encode("ascii"))

    return make


@pytest.fixture
def clerk(db: None) -> User:
    return services.create_staff_user(
        username="clerk1",
        password=STAFF_PASSWORD,
        role=Role.CLERK,
        court=None,
        full_name="ТОКТАРОВА АЛИЯ ЕРЖАНОВНА",
        totp_secret=TOTP_SECRET,
    )


@pytest.fixture
def totp() -> pyotp.TOTP:
    return pyotp.TOTP(TOTP_SECRET)
