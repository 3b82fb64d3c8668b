"""Read-only questions about users, login challenges and login attempts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.db.models import QuerySet

from torelik.identity.models import STAFF_ROLES, LoginAttempt, User

TOTP_ISSUER = "Torelik"
TOTP_STEP_PREFIX = "totp_step:"

# Failures that count towards locking an identifier. Refusals caused by a lock or a rate limit are
# recorded for the audit but do not count, otherwise a lock would extend itself for ever.
COUNTED_FAILURES = frozenset({"credentials_invalid", "totp_replayed", "challenge_mismatch"})
NOT_COUNTED_FOR_IP = frozenset({"too_many_attempts"})


def policy(name: str, default: Any) -> Any:
    return settings.TORELIK.get(name, default)


def max_failures() -> int:
    return int(policy("LOGIN_MAX_FAILURES", 5))


def lockout_duration() -> timedelta:
    return timedelta(seconds=int(policy("LOGIN_LOCKOUT_SECONDS", 15 * 60)))


def ip_max_failures() -> int:
    return int(policy("LOGIN_IP_MAX_FAILURES", 20))


def ip_window() -> timedelta:
    return timedelta(seconds=int(policy("LOGIN_IP_WINDOW_SECONDS", 15 * 60)))


def eds_username(*, iin: str, bin: str = "") -> str:
    """The username of a filer: the IIN, plus the BIN when they act for an organisation."""
    return f"iin:{iin}:bin:{bin}" if bin else f"iin:{iin}"


def user_by_username(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()


def staff_holding_iin(*, iin: str) -> User | None:
    """An active court-staff account that belongs to the person with this IIN, if any."""
    if not iin:
        return None
    return User.objects.filter(iin=iin, role__in=STAFF_ROLES, is_active=True).first()


def ip_failures(*, ip: str | None, now: datetime) -> int:
    if not ip:
        return 0
    return (
        LoginAttempt.objects.filter(ip=ip, success=False, at__gte=now - ip_window())
        .exclude(reason__in=NOT_COUNTED_FOR_IP)
        .count()
    )


def locked_until(*, identifier: str, user: User | None, now: datetime) -> datetime | None:
    """When the identifier may try again, or None if it is not locked.

    A known user carries the lock on its row. For an identifier with no user (a mistyped or guessed
    username, a first-time signer) the recent failures are counted instead, so guessing at unknown
    names behaves exactly like guessing at real ones.
    """
    if user is not None:
        if user.locked_until is not None and user.locked_until > now:
            return user.locked_until
        return None
    if not identifier:
        return None
    window = lockout_duration()
    recent = list(
        LoginAttempt.objects.filter(
            identifier=identifier, success=False, reason__in=COUNTED_FAILURES, at__gte=now - window
        )
        .order_by("-at")
        .values_list("at", flat=True)[: max_failures()]
    )
    if len(recent) < max_failures():
        return None
    # The lock lifts once the oldest of the last N failures leaves the window.
    return recent[-1] + window


def last_totp_step(*, username: str) -> int | None:
    """The time step of the one-time code used in this user's last successful password login."""
    reason = (
        LoginAttempt.objects.filter(
            method="password", identifier=username, success=True, reason__startswith=TOTP_STEP_PREFIX
        )
        .order_by("-at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    if reason is None:
        return None
    try:
        return int(reason.removeprefix(TOTP_STEP_PREFIX))
    except ValueError:
        return None


def totp_provisioning_uri(*, user: User) -> str:
    """The otpauth:// URI an authenticator app scans; empty if the user has no secret."""
    if not user.totp_secret:
        return ""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def login_attempts(*, identifier: str | None = None, ip: str | None = None) -> QuerySet[LoginAttempt]:
    qs = LoginAttempt.objects.all()
    if identifier is not None:
        qs = qs.filter(identifier=identifier)
    if ip is not None:
        qs = qs.filter(ip=ip)
    return qs.order_by("-at", "-id")


def user_summary(user: User) -> dict[str, str]:
    """What the API and pages show about the logged-in user."""
    return {
        "username": user.username,
        "role": user.role,
        "iin": user.iin,
        "bin": user.bin,
        "display_name": user.display_name,
    }
