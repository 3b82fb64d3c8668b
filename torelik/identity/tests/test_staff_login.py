"""Court staff: password and one-time code (services.login_with_password), and user management."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.db import transaction
from django.utils import timezone

from torelik.identity import selectors, services
from torelik.identity.models import LoginAttempt, Role, User
from torelik.identity.tests.conftest import STAFF_PASSWORD, TOTP_SECRET
from torelik.kernel.errors import DomainError

IP = "192.0.2.20"


def login(username: str, password: str, code: str, ip: str = IP) -> User:
    return services.login_with_password(username=username, password=password, totp_code=code, ip=ip)


def refused(username: str, password: str, code: str, ip: str = IP) -> DomainError:
    with pytest.raises(DomainError) as info:
        login(username, password, code, ip)
    return info.value


def code_at(totp: pyotp.TOTP, seconds_from_now: int) -> str:
    return totp.at(timezone.now() + timedelta(seconds=seconds_from_now))


def away_from_step_boundary(totp: pyotp.TOTP) -> None:
    """Waits out the last two seconds of a time step, so a test's codes stay in one step."""
    remaining = totp.interval - time.time() % totp.interval
    if remaining < 2:
        time.sleep(remaining + 0.05)


def test_password_and_code_log_in(clerk: User, totp: pyotp.TOTP) -> None:
    user = login("clerk1", STAFF_PASSWORD, totp.now())
    assert user.pk == clerk.pk
    attempt = LoginAttempt.objects.get()
    assert (attempt.method, attempt.identifier, attempt.success) == ("password", "clerk1", True)
    assert attempt.reason.startswith(selectors.TOTP_STEP_PREFIX)


def test_code_with_spaces_is_accepted(clerk: User, totp: pyotp.TOTP) -> None:
    code = totp.now()
    assert login("clerk1", STAFF_PASSWORD, f" {code[:3]} {code[3:]} ").pk == clerk.pk


def test_code_of_the_previous_step_is_accepted_but_not_two_steps_back(clerk: User, totp: pyotp.TOTP) -> None:
    away_from_step_boundary(totp)
    assert refused("clerk1", STAFF_PASSWORD, code_at(totp, -90)).code == "credentials_invalid"
    assert login("clerk1", STAFF_PASSWORD, code_at(totp, -30)).pk == clerk.pk


def test_wrong_password_and_wrong_code_look_the_same(clerk: User, totp: pyotp.TOTP) -> None:
    wrong_password = refused("clerk1", "not the password", totp.now())
    wrong_code = refused("clerk1", STAFF_PASSWORD, "000000" if totp.now() != "000000" else "111111")
    unknown_user = refused("nobody", STAFF_PASSWORD, totp.now())
    for exc in (wrong_password, wrong_code, unknown_user):
        assert exc.code == "credentials_invalid"
        assert exc.field is None
        assert str(exc.message) == str(wrong_password.message)
        assert services.error_status(exc) == 401
    assert LoginAttempt.objects.filter(success=False, reason="credentials_invalid").count() == 3


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_malformed_codes_are_wrong_credentials(clerk: User, code: str) -> None:
    assert refused("clerk1", STAFF_PASSWORD, code).code == "credentials_invalid"


def test_replayed_code_is_refused(clerk: User, totp: pyotp.TOTP) -> None:
    code = totp.now()
    login("clerk1", STAFF_PASSWORD, code)
    exc = refused("clerk1", STAFF_PASSWORD, code)
    assert exc.code == "totp_replayed"
    assert exc.field == "totp_code"


def test_older_code_after_a_newer_one_is_refused(clerk: User, totp: pyotp.TOTP) -> None:
    away_from_step_boundary(totp)
    login("clerk1", STAFF_PASSWORD, code_at(totp, 0))
    assert refused("clerk1", STAFF_PASSWORD, code_at(totp, -30)).code == "totp_replayed"


def test_account_without_a_code_generator(clerk: User) -> None:
    User.objects.filter(pk=clerk.pk).update(totp_secret="")
    exc = refused("clerk1", STAFF_PASSWORD, "123456")
    assert exc.code == "totp_not_configured"
    assert services.error_status(exc) == 403


def test_filers_cannot_log_in_with_a_password(db: None, totp: pyotp.TOTP) -> None:
    filer = services.create_filer_user(iin="850314312344", role=Role.CITIZEN, full_name="СЕРИКОВ АЙДАР")
    filer.set_password(STAFF_PASSWORD)
    filer.totp_secret = TOTP_SECRET
    filer.save()
    assert refused(filer.username, STAFF_PASSWORD, totp.now()).code == "credentials_invalid"


def test_disabled_staff_cannot_log_in(clerk: User, totp: pyotp.TOTP) -> None:
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert refused("clerk1", STAFF_PASSWORD, totp.now()).code == "credentials_invalid"


def test_lockout_after_repeated_failures(clerk: User, totp: pyotp.TOTP, settings: Any) -> None:
    limit = settings.TORELIK["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert refused("clerk1", "wrong password!", totp.now()).code == "credentials_invalid"
    clerk.refresh_from_db()
    assert clerk.locked_until is not None
    expected = clerk.locked_until - timezone.now()
    assert timedelta(seconds=settings.TORELIK["LOGIN_LOCKOUT_SECONDS"] - 30) < expected

    # The right password and code do not help while the lock lasts; the message says until when.
    exc = refused("clerk1", STAFF_PASSWORD, totp.now())
    assert exc.code == "account_locked"
    assert isinstance(exc, services.LoginError)
    assert exc.unlocks_at == clerk.locked_until
    assert timezone.localtime(clerk.locked_until).strftime("%H:%M") in str(exc.message)
    assert services.error_status(exc) == 429
    # Refusals during the lock neither extend it nor count towards the next one.
    clerk.refresh_from_db()
    assert clerk.failed_logins == 0
    assert clerk.locked_until == exc.unlocks_at

    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login("clerk1", STAFF_PASSWORD, totp.now()).pk == clerk.pk
    clerk.refresh_from_db()
    assert (clerk.failed_logins, clerk.locked_until) == (0, None)


def test_success_resets_the_failure_count(clerk: User, totp: pyotp.TOTP, settings: Any) -> None:
    limit = settings.TORELIK["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        refused("clerk1", "wrong password!", "123456")
    login("clerk1", STAFF_PASSWORD, totp.now())
    clerk.refresh_from_db()
    assert clerk.failed_logins == 0
    refused("clerk1", "wrong password!", "123456")
    clerk.refresh_from_db()
    assert clerk.locked_until is None


def test_unknown_usernames_lock_like_real_ones(db: None, settings: Any) -> None:
    limit = settings.TORELIK["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert refused("ghost", "whatever password", "123456").code == "credentials_invalid"
    exc = refused("ghost", "whatever password", "123456")
    assert exc.code == "account_locked"
    assert isinstance(exc, services.LoginError) and exc.unlocks_at is not None
    # When the failures leave the window, the name may be tried again.
    LoginAttempt.objects.update(
        at=timezone.now() - timedelta(seconds=settings.TORELIK["LOGIN_LOCKOUT_SECONDS"] + 1)
    )
    assert refused("ghost", "whatever password", "123456").code == "credentials_invalid"


@pytest.mark.parametrize("username", ["clerk1\x00", "a\x00b", "x" * 151])
def test_odd_usernames_are_refused_before_any_lookup(clerk: User, totp: pyotp.TOTP, username: str) -> None:
    assert refused(username, STAFF_PASSWORD, totp.now()).code == "credentials_invalid"
    assert "\x00" not in LoginAttempt.objects.get().identifier


def test_ip_rate_limit(clerk: User, totp: pyotp.TOTP, settings: Any) -> None:
    settings.TORELIK = {**settings.TORELIK, "LOGIN_IP_MAX_FAILURES": 4}
    for name in ("a1", "a2", "a3", "a4"):  # different names, so no per-name lock is reached
        refused(name, "wrong password!", "123456")
    exc = refused("clerk1", STAFF_PASSWORD, totp.now())
    assert exc.code == "too_many_attempts"
    assert services.error_status(exc) == 429
    assert login("clerk1", STAFF_PASSWORD, totp.now(), ip="198.51.100.9").pk == clerk.pk


@pytest.mark.django_db(transaction=True)
def test_failure_record_survives_the_rollback_of_the_failed_work(settings: Any) -> None:
    # Committed for real (transaction=True): the failure is written after the attempt's own work was
    # rolled back, in its own transaction.
    user = services.create_staff_user(
        username="judge1", password=STAFF_PASSWORD, role=Role.JUDGE, court=None, full_name="БЕКОВ НУРЛАН"
    )
    code = pyotp.TOTP(user.totp_secret).now()
    login("judge1", STAFF_PASSWORD, code)
    with pytest.raises(DomainError):
        login("judge1", STAFF_PASSWORD, code)  # raised inside the atomic block that would record success
    assert not transaction.get_connection().in_atomic_block
    reasons = list(LoginAttempt.objects.order_by("id").values_list("success", "reason"))
    assert reasons[0][0] is True
    assert reasons[1] == (False, "totp_replayed")


# --- creating and managing users ----------------------------------------------------------


def test_create_staff_user(db: None) -> None:
    user = services.create_staff_user(
        username="judge1",
        password=STAFF_PASSWORD,
        role=Role.JUDGE,
        court=None,
        full_name="БЕКОВ НУРЛАН САПАРОВИЧ",
        iin="701205312344",
    )
    assert user.check_password(STAFF_PASSWORD)
    assert (user.last_name, user.first_name) == ("БЕКОВ", "НУРЛАН САПАРОВИЧ")
    assert user.is_court_staff and not user.is_staff
    assert len(user.totp_secret) >= 16
    assert selectors.totp_provisioning_uri(user=user).startswith("otpauth://totp/Torelik:judge1?secret=")


def test_create_staff_user_refusals(db: None) -> None:
    services.create_staff_user(username="x1", password="p" * 12, role=Role.CLERK, court=None, full_name="X")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"username": "x1"}, "username_taken"),
        ({"role": Role.CITIZEN}, "role_invalid"),
        ({"username": "iin:123"}, "username_invalid"),
        ({"iin": "123"}, "iin_length"),
        ({"iin": "850314312345"}, "iin_checksum"),
        ({"totp_secret": "not base32 !!"}, "totp_secret_invalid"),
    ]
    for override, code in cases:
        kwargs: dict[str, Any] = {
            "username": "x2",
            "password": "p" * 12,
            "role": Role.CLERK,
            "court": None,
            "full_name": "X",
        }
        kwargs.update(override)
        with pytest.raises(DomainError) as info:
            services.create_staff_user(**kwargs)
        assert info.value.code == code


def test_admin_role_may_use_the_admin_site(db: None) -> None:
    admin = services.create_staff_user(
        username="root", password="p" * 12, role=Role.ADMIN, court=None, full_name="A"
    )
    assert admin.is_staff and admin.is_superuser


def test_create_filer_user(db: None) -> None:
    user = services.create_filer_user(
        iin="791102412347",
        bin="120540123453",
        role=Role.ENTITY,
        full_name="ЖАКУПОВА АЙГУЛЬ МАРАТОВНА",
        organisation='ТОО "ДАЛА ТРЕЙД"',
    )
    assert user.username == "iin:791102412347:bin:120540123453"
    assert not user.has_usable_password()
    with pytest.raises(DomainError) as info:
        services.create_filer_user(iin="791102412347", bin="120540123453", role=Role.ENTITY, full_name="X")
    assert info.value.code == "user_exists"
    with pytest.raises(DomainError) as info:
        services.create_filer_user(iin="7911024", role=Role.CITIZEN, full_name="X")
    assert (info.value.code, info.value.field) == ("iin_length", "iin")
    with pytest.raises(DomainError) as info:
        services.create_filer_user(iin="791102412347", role=Role.JUDGE, full_name="X")
    assert info.value.code == "role_invalid"


def test_enrol_totp_gives_a_new_secret(clerk: User) -> None:
    old = clerk.totp_secret
    uri = services.enrol_totp(user=clerk)
    clerk.refresh_from_db()
    assert clerk.totp_secret != old
    assert uri == pyotp.TOTP(clerk.totp_secret).provisioning_uri(name="clerk1", issuer_name="Torelik")


def test_set_staff_password_runs_the_validators(clerk: User) -> None:
    with pytest.raises(DomainError) as info:
        services.set_staff_password(user=clerk, password="short")
    assert (info.value.code, info.value.field) == ("password_invalid", "password")
    services.set_staff_password(user=clerk, password="a much longer passphrase")
    clerk.refresh_from_db()
    assert clerk.check_password("a much longer passphrase")


def test_unlock_user(clerk: User) -> None:
    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() + timedelta(hours=1), failed_logins=3)
    clerk.refresh_from_db()
    services.unlock_user(user=clerk)
    clerk.refresh_from_db()
    assert (clerk.failed_logins, clerk.locked_until) == (0, None)


def test_split_full_name() -> None:
    assert services.split_full_name("СЕРИКОВ АЙДАР НУРЛАНОВИЧ") == ("АЙДАР НУРЛАНОВИЧ", "СЕРИКОВ")
    assert services.split_full_name("Administrator") == ("Administrator", "")
    assert services.split_full_name("  ") == ("", "")


@pytest.mark.django_db
def test_an_account_without_a_password_or_with_a_shared_hash(totp: pyotp.TOTP) -> None:
    from django.contrib.auth.hashers import make_password

    locked = services.create_staff_user(
        username="nobody",
        password=None,
        role=Role.JUDGE,
        court=None,
        full_name="Без Пароля",
        totp_secret=TOTP_SECRET,
    )
    assert not locked.has_usable_password()
    assert refused("nobody", "", totp.now()).code == "credentials_invalid"
    shared = make_password(STAFF_PASSWORD)
    for username in ("first", "second"):
        services.create_staff_user(
            username=username,
            password=None,
            password_hash=shared,
            role=Role.JUDGE,
            court=None,
            full_name="Общий Пароль",
            totp_secret=TOTP_SECRET,
        )
    away_from_step_boundary(totp)
    assert login("second", STAFF_PASSWORD, totp.now()).username == "second"
