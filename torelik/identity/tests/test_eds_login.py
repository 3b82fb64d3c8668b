"""Logging in with a signed challenge (services.login_with_signature)."""

from __future__ import annotations

import base64
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from torelik.identity import services
from torelik.identity.models import LoginAttempt, LoginChallenge, Role, User
from torelik.identity.tests.conftest import signed
from torelik.kernel.errors import DomainError
from torelik.signatures.demo_identities import demo_identity
from torelik.signatures.signing import sign_cms
from torelik.signatures.testca import DemoPki

IP = "192.0.2.10"


def login(nonce: str, cms: str | bytes, ip: str = IP) -> User:
    return services.login_with_signature(nonce=nonce, cms=cms, ip=ip)


def refused(nonce: str, cms: str | bytes, ip: str = IP) -> DomainError:
    with pytest.raises(DomainError) as info:
        login(nonce, cms, ip)
    return info.value


def test_citizen_first_login_creates_the_account(sign_challenge: Any) -> None:
    nonce, cms = sign_challenge("citizen")
    ident = demo_identity("citizen")

    user = login(nonce, cms)

    assert user.username == f"iin:{ident.iin}"
    assert (user.role, user.iin, user.bin) == (Role.CITIZEN, ident.iin, "")
    assert (user.last_name, user.first_name) == (ident.surname, f"{ident.given_name} {ident.patronymic}")
    assert not user.has_usable_password()
    assert LoginChallenge.objects.get(nonce=nonce).used_at is not None
    attempt = LoginAttempt.objects.get()
    assert (attempt.method, attempt.identifier, attempt.success, attempt.ip) == (
        "eds",
        user.username,
        True,
        IP,
    )


def test_second_login_finds_the_same_account(sign_challenge: Any) -> None:
    first = login(*sign_challenge("citizen"))
    second = login(*sign_challenge("citizen"))
    assert first.pk == second.pk
    assert User.objects.count() == 1


def test_entity_director_logs_in_as_the_organisation_representative(sign_challenge: Any) -> None:
    ident = demo_identity("entity")
    user = login(*sign_challenge("entity"))
    assert user.username == f"iin:{ident.iin}:bin:{ident.bin}"
    assert (user.role, user.iin, user.bin) == (Role.ENTITY, ident.iin, ident.bin)
    assert user.organisation_name == ident.organisation


def test_registered_lawyer_keeps_the_role(sign_challenge: Any) -> None:
    ident = demo_identity("lawyer")
    registered = services.create_filer_user(iin=ident.iin, role=Role.LAWYER, full_name=ident.full_name)
    user = login(*sign_challenge("lawyer"))
    assert user.pk == registered.pk
    assert user.role == Role.LAWYER


def test_der_bytes_are_accepted_as_well_as_base64(pki: DemoPki) -> None:
    nonce = services.issue_login_challenge().nonce
    der = sign_cms(key=pki.signing_key("citizen"), data=nonce.encode(), detached=False)
    assert login(nonce, der).iin == demo_identity("citizen").iin


def test_challenge_is_64_hex_digits_and_expires_after_the_ttl(db: None) -> None:
    before = timezone.now()
    challenge = services.issue_login_challenge()
    assert len(challenge.nonce) == 64
    int(challenge.nonce, 16)
    assert timedelta(seconds=119) < challenge.expires_at - before <= timedelta(seconds=121)


# --- refusals -------------------------------------------------------------------------------


def assert_nothing_created(code: str, exc: DomainError) -> None:
    assert exc.code == code, (exc.code, exc.message)
    assert str(exc.message)
    assert not User.objects.exists()
    attempt = LoginAttempt.objects.get()
    assert (attempt.success, attempt.reason, attempt.method) == (False, code, "eds")


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("citizen_revoked", "certificate_revoked"),
        ("expired", "certificate_expired"),
        ("foreign", "certificate_untrusted"),
    ],
)
def test_certificate_problems_are_refused_and_consume_the_challenge(
    sign_challenge: Any, key: str, code: str
) -> None:
    nonce, cms = sign_challenge(key)
    exc = refused(nonce, cms)
    assert_nothing_created(code, exc)
    # Consumed on any attempt: the same nonce cannot be tried again.
    assert LoginChallenge.objects.get(nonce=nonce).used_at is not None
    assert refused(nonce, signed_again(key, nonce)).code == "challenge_used"


def signed_again(key: str, nonce: str) -> str:
    from torelik.signatures.testing import session_demo_pki

    return signed(session_demo_pki(), key, nonce.encode())


def test_signature_over_other_bytes_is_a_mismatch(pki: DemoPki) -> None:
    nonce = services.issue_login_challenge().nonce
    other = services.issue_login_challenge().nonce
    exc = refused(nonce, signed(pki, "citizen", other.encode()))
    assert_nothing_created("challenge_mismatch", exc)
    assert LoginChallenge.objects.get(nonce=nonce).used_at is not None
    # The other challenge was not touched by an attempt that named this one.
    assert LoginChallenge.objects.get(nonce=other).used_at is None


def test_signature_over_the_base64_of_the_nonce_is_a_mismatch(pki: DemoPki) -> None:
    # NCALayer must be told to decode: the signed bytes are the nonce itself, not its base64.
    nonce = services.issue_login_challenge().nonce
    exc = refused(nonce, signed(pki, "citizen", base64.b64encode(nonce.encode())))
    assert_nothing_created("challenge_mismatch", exc)


def test_detached_signature_is_refused(pki: DemoPki) -> None:
    nonce = services.issue_login_challenge().nonce
    exc = refused(nonce, signed(pki, "citizen", nonce.encode(), detached=True))
    assert_nothing_created("signature_content_missing", exc)
    assert services.error_status(exc) == 400


@pytest.mark.parametrize(
    "cms", ["", "not base64 at all!", base64.b64encode(b"\x30\x03\x02\x01\x01").decode()]
)
def test_garbage_cms_is_malformed(db: None, cms: str) -> None:
    nonce = services.issue_login_challenge().nonce
    exc = refused(nonce, cms)
    assert_nothing_created("cms_malformed", exc)
    assert exc.field in ("cms", "signature")


def test_oversized_cms_is_refused_before_parsing(db: None) -> None:
    nonce = services.issue_login_challenge().nonce
    exc = refused(nonce, "A" * (services.MAX_LOGIN_CMS_BYTES + 4))
    assert_nothing_created("cms_malformed", exc)


def test_reused_challenge(sign_challenge: Any, pki: DemoPki) -> None:
    nonce, cms = sign_challenge("citizen")
    login(nonce, cms)
    exc = refused(nonce, cms)
    assert exc.code == "challenge_used"
    assert exc.field == "nonce"
    assert User.objects.count() == 1


def test_expired_challenge_is_refused_and_not_consumed(sign_challenge: Any) -> None:
    nonce, cms = sign_challenge("citizen")
    LoginChallenge.objects.filter(nonce=nonce).update(expires_at=timezone.now() - timedelta(seconds=1))
    exc = refused(nonce, cms)
    assert_nothing_created("challenge_expired", exc)
    assert LoginChallenge.objects.get(nonce=nonce).used_at is None


@pytest.mark.parametrize("nonce", ["", "xyz", "ab" * 32, "AB" * 31 + "zz"])
def test_unknown_challenge(pki: DemoPki, nonce: str) -> None:
    exc = refused(nonce, signed(pki, "citizen", nonce.encode()))
    assert_nothing_created("challenge_unknown", exc)


def test_court_staff_must_use_password(sign_challenge: Any, clerk: User) -> None:
    ident = demo_identity("clerk")
    User.objects.filter(pk=clerk.pk).update(iin=ident.iin)
    nonce, cms = sign_challenge("clerk")
    exc = refused(nonce, cms)
    assert exc.code == "staff_use_password"
    assert services.error_status(exc) == 403
    assert User.objects.count() == 1


def test_disabled_account_is_refused(sign_challenge: Any) -> None:
    user = login(*sign_challenge("citizen"))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert refused(*sign_challenge("citizen")).code == "account_inactive"


def test_repeated_mismatches_lock_the_account(pki: DemoPki, settings: Any) -> None:
    user = login(*_fresh(pki, "citizen"))
    for _ in range(settings.TORELIK["LOGIN_MAX_FAILURES"]):
        nonce = services.issue_login_challenge().nonce
        assert refused(nonce, signed(pki, "citizen", b"0" * 64)).code == "challenge_mismatch"
    user.refresh_from_db()
    assert user.locked_until is not None and user.locked_until > timezone.now()
    exc = refused(*_fresh(pki, "citizen"))
    assert exc.code == "account_locked"
    assert services.error_status(exc) == 429
    # Lifts when the time is up.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login(*_fresh(pki, "citizen")).pk == user.pk


def _fresh(pki: DemoPki, key: str) -> tuple[str, str]:
    nonce = services.issue_login_challenge().nonce
    return nonce, signed(pki, key, nonce.encode())


def test_ip_rate_limit(pki: DemoPki, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "LOGIN_IP_MAX_FAILURES": 3}
    for _ in range(3):
        assert refused(services.issue_login_challenge().nonce, "garbage").code == "cms_malformed"
    nonce, cms = _fresh(pki, "citizen")
    exc = refused(nonce, cms)
    assert exc.code == "too_many_attempts"
    assert services.error_status(exc) == 429
    # Refused before the challenge was looked at: it is still good, from another network.
    assert LoginChallenge.objects.get(nonce=nonce).used_at is None
    assert login(nonce, cms, ip="198.51.100.7").iin == demo_identity("citizen").iin
    # Refusals for the limit itself do not extend it.
    assert LoginAttempt.objects.filter(ip=IP, reason="too_many_attempts").count() == 1


def test_old_failures_leave_the_ip_window(pki: DemoPki, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "LOGIN_IP_MAX_FAILURES": 2}
    for _ in range(2):
        refused(services.issue_login_challenge().nonce, "garbage")
    LoginAttempt.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert login(*_fresh(pki, "citizen")).role == Role.CITIZEN


def test_expired_challenges_are_swept(db: None) -> None:
    old = services.issue_login_challenge()
    LoginChallenge.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=2))
    services.issue_login_challenge()
    assert not LoginChallenge.objects.filter(pk=old.pk).exists()


def _wait_when_locked(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    # In-memory SQLite shares one cache between threads and reports a lock at once where a
    # database file would wait up to busy_timeout; retrying the statement is that wait.
    deadline = time.monotonic() + 20
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_cannot_both_use_one_challenge(demo_pki: DemoPki, settings: Any) -> None:
    from torelik.signatures.testing import use_demo_pki

    use_demo_pki(settings, demo_pki)
    nonce = services.issue_login_challenge().nonce
    cms = signed(demo_pki, "citizen", nonce.encode())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            try:
                with connection.execute_wrapper(_wait_when_locked):
                    login(nonce, cms)
                result = "ok"
            except DomainError as exc:
                result = exc.code
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["challenge_used", "ok"]
    assert User.objects.count() == 1
