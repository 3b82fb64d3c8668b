"""Logging in and managing users.

Filers (citizens, organisations' representatives, lawyers, prosecutors) log in by signing a one-time
challenge with their NCA RK key in NCALayer; court staff log in with a password and a one-time code
(TOTP). Both methods share the same rate limits and account lock, kept in the database so every web
process sees them.

The login functions are not wrapped in a transaction on purpose: the record of a failed attempt
and a consumed challenge must stay written when the attempt itself is refused. Callers must not
wrap them in `transaction.atomic()` either, or a refusal would roll those records back.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from torelik.courts.models import Court
from torelik.identity import selectors
from torelik.identity.models import FILER_ROLES, STAFF_ROLES, LoginAttempt, LoginChallenge, Role, User
from torelik.kernel.errors import ConflictError, DomainError
from torelik.kernel.identifiers import IdentifierError, validate_bin, validate_iin
from torelik.signatures.verification import VerifiedSignature, verify_cms

NONCE_BYTES = 32
NONCE_RE = re.compile(r"[0-9a-f]{64}")
# A login CMS holds a 64-byte nonce and a certificate chain: a few kilobytes. Anything far larger is
# not a login and is refused before any parsing work is spent on it.
MAX_LOGIN_CMS_BYTES = 256 * 1024
TOTP_VALID_WINDOW = 1  # one time step either side, for clocks a little out of step
# Expired challenges are kept a while so a late reply still gets "expired" rather than "unknown".
CHALLENGE_RETENTION = timedelta(hours=1)

# HTTP status for each refusal, used by the API and the login pages.
ERROR_STATUS: dict[str, int] = {
    "too_many_attempts": 429,
    "account_locked": 429,
    "credentials_invalid": 401,
    "totp_replayed": 401,
    "challenge_mismatch": 401,
    "signature_content_mismatch": 401,
    "signature_invalid": 401,
    "certificate_untrusted": 401,
    "certificate_expired": 401,
    "certificate_not_yet_valid": 401,
    "certificate_revoked": 401,
    "revocation_unknown": 401,
    "certificate_no_iin": 401,
    "certificate_key_usage": 401,
    "signer_certificate_missing": 401,
    "staff_use_password": 403,
    "account_inactive": 403,
    "totp_not_configured": 403,
}

MESSAGES: dict[str, Promise] = {
    "challenge_unknown": _("This login request is not known. Reload the page and try again."),
    "challenge_expired": _("This login request has expired. Try again."),
    "challenge_used": _("This login request has already been used. Try again."),
    "challenge_mismatch": _("The signature is not over this login request. Try again."),
    "cms_malformed": _("The signature could not be read."),
    "staff_use_password": _("Court staff log in with a password and a one-time code."),
    "account_inactive": _("This account is disabled. Contact the court's administrator."),
    "too_many_attempts": _("Too many failed login attempts from your network. Try again in a few minutes."),
    "credentials_invalid": _("The username, password or one-time code is wrong."),
    "totp_replayed": _("This one-time code has already been used. Wait for the next code."),
    "totp_not_configured": _(
        "No one-time code generator is set up for this account. Contact the court's administrator."
    ),
}


class LoginError(DomainError):
    """A login was refused. `unlocks_at` is set when an account lock is the reason."""

    def __init__(
        self,
        code: str,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        unlocks_at: datetime | None = None,
    ) -> None:
        super().__init__(code, message if message is not None else MESSAGES[code], field=field)
        self.status_code = ERROR_STATUS.get(code, 400)
        self.unlocks_at = unlocks_at


def error_status(exc: DomainError) -> int:
    """The HTTP status for a refused login, whichever layer raised the error."""
    return ERROR_STATUS.get(exc.code, exc.status_code)


def _format_lazy_percent(message: Promise, **params: str) -> Promise:
    # Translated when displayed, in the language active then, like the plain messages.
    def render() -> str:
        return str(message) % params

    return cast("Promise", lazy(render, str)())


def _locked_error(until: datetime) -> LoginError:
    local = timezone.localtime(until)
    when = (
        local.strftime("%H:%M") if local.date() == timezone.localdate() else local.strftime("%d.%m.%Y %H:%M")
    )
    message = _format_lazy_percent(
        _("Too many failed login attempts. The account is locked until %(time)s."), time=when
    )
    return LoginError("account_locked", message, unlocks_at=until)


# --- challenges -------------------------------------------------------------------------------


def issue_login_challenge() -> LoginChallenge:
    """A fresh nonce for the browser to have signed; valid for LOGIN_CHALLENGE_TTL_SECONDS."""
    now = timezone.now()
    ttl = timedelta(seconds=int(selectors.policy("LOGIN_CHALLENGE_TTL_SECONDS", 120)))
    with transaction.atomic():
        # Anyone may ask for a challenge, so old ones are swept here to keep the table small.
        LoginChallenge.objects.filter(expires_at__lt=now - CHALLENGE_RETENTION).delete()
        return LoginChallenge.objects.create(nonce=secrets.token_hex(NONCE_BYTES), expires_at=now + ttl)


def _consume_challenge(*, nonce: str, now: datetime) -> None:
    """Marks the challenge used, or says why it cannot be.

    The challenge is consumed before the signature is checked and stays consumed whatever the
    outcome: a nonce is good for exactly one attempt, so a captured or guessed reply cannot be tried
    again. The browser asks for a new challenge on every click. The conditional UPDATE is atomic in
    the database, so of two requests racing with one nonce only one can win.
    """
    with transaction.atomic():
        won = LoginChallenge.objects.filter(nonce=nonce, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
    if won == 1:
        return
    challenge = LoginChallenge.objects.filter(nonce=nonce).first()
    if challenge is None:
        raise LoginError("challenge_unknown", field="nonce")
    if challenge.used_at is not None:
        raise LoginError("challenge_used", field="nonce")
    raise LoginError("challenge_expired", field="nonce")


# --- attempts, rate limits and locks ----------------------------------------------------------


@dataclass
class _Attempt:
    method: str
    ip: str | None
    identifier: str = ""
    user_pk: int | None = None


def _clean_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None


def _check_ip(attempt: _Attempt, now: datetime) -> None:
    if attempt.ip and selectors.ip_failures(ip=attempt.ip, now=now) >= selectors.ip_max_failures():
        raise LoginError("too_many_attempts")


def _check_lock(attempt: _Attempt, user: User | None, now: datetime) -> None:
    until = selectors.locked_until(identifier=attempt.identifier, user=user, now=now)
    if until is not None:
        raise _locked_error(until)


def _record_failure(attempt: _Attempt, code: str) -> None:
    """Writes the failure in its own transaction, after the failed work was rolled back."""
    now = timezone.now()
    with transaction.atomic():
        LoginAttempt.objects.create(
            method=attempt.method,
            identifier=attempt.identifier[:150],
            ip=attempt.ip,
            success=False,
            reason=code[:64],
        )
        if attempt.user_pk is not None and code in selectors.COUNTED_FAILURES:
            User.objects.filter(pk=attempt.user_pk).update(failed_logins=F("failed_logins") + 1)
            # The counter restarts with the lock, so after it lifts the user has a full set of tries.
            User.objects.filter(pk=attempt.user_pk, failed_logins__gte=selectors.max_failures()).update(
                locked_until=now + selectors.lockout_duration(), failed_logins=0
            )


def _record_success(attempt: _Attempt, *, user: User, reason: str = "") -> None:
    LoginAttempt.objects.create(
        method=attempt.method, identifier=user.username, ip=attempt.ip, success=True, reason=reason
    )
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins = 0
    user.locked_until = None


# --- login with a digital signature -----------------------------------------------------------


def login_with_signature(*, nonce: str, cms: bytes | str, ip: str | None) -> User:
    """The filer who signed the challenge `nonce`; creates their account on first login.

    `cms` is an attached CMS (DER or base64) whose content is the ASCII hex nonce. Raises
    LoginError or the signature module's SignatureError; either way nothing but the consumed
    challenge, the attempt record and the account's failure count is written.
    """
    attempt = _Attempt(method="eds", ip=_clean_ip(ip))
    try:
        return _login_with_signature(attempt, nonce=nonce, cms=cms)
    except DomainError as exc:
        _record_failure(attempt, exc.code)
        raise


def _login_with_signature(attempt: _Attempt, *, nonce: str, cms: bytes | str) -> User:
    now = timezone.now()
    _check_ip(attempt, now)
    nonce = (nonce or "").strip().lower()
    if not NONCE_RE.fullmatch(nonce):
        raise LoginError("challenge_unknown", field="nonce")
    _consume_challenge(nonce=nonce, now=now)

    signature = _verify_login_cms(cms)
    iin, bin = signature.signer_iin or "", signature.signer_bin or ""
    username = selectors.eds_username(iin=iin, bin=bin)
    attempt.identifier = username
    user = selectors.user_by_username(username=username)
    attempt.user_pk = user.pk if user is not None else None
    _check_lock(attempt, user, now)

    if not hmac.compare_digest(bytes(signature.content), nonce.encode("ascii")):
        raise LoginError("challenge_mismatch", field="cms")
    if (user is not None and user.is_court_staff) or selectors.staff_holding_iin(iin=iin) is not None:
        raise LoginError("staff_use_password")
    if user is not None and not user.is_active:
        raise LoginError("account_inactive")

    with transaction.atomic():
        user = _filer_from_signature(username=username, signature=signature)
        _record_success(attempt, user=user)
    return user


def _verify_login_cms(cms: bytes | str) -> VerifiedSignature:
    # Only text is trimmed: DER may well end in a byte that looks like white space.
    raw = cms.strip().encode("ascii", errors="replace") if isinstance(cms, str) else bytes(cms)
    if not raw or len(raw) > MAX_LOGIN_CMS_BYTES:
        raise LoginError("cms_malformed", field="cms")
    # No `content`: the signed bytes must travel inside the CMS, so the signature cannot be
    # checked against content of the client's choosing.
    return verify_cms(cms=raw, content=None)


def _filer_from_signature(*, username: str, signature: VerifiedSignature) -> User:
    """Finds or creates the filer; names and organisation follow the certificate."""
    iin, bin = signature.signer_iin or "", signature.signer_bin or ""
    first, last = split_full_name(signature.signer_name or "")
    organisation = (signature.organisation or "")[:255] if bin else ""
    user, created = User.objects.select_for_update().get_or_create(
        username=username,
        defaults={
            "role": Role.ENTITY if bin else Role.CITIZEN,
            "iin": iin,
            "bin": bin,
            "first_name": first,
            "last_name": last,
            "organisation_name": organisation,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user
    # An existing user keeps their role (lawyers and prosecutors are registered as such).
    changed = {
        name: value
        for name, value in (("first_name", first), ("last_name", last), ("organisation_name", organisation))
        if value and getattr(user, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
    return user


def split_full_name(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) from a name written surname first, as in NCA RK certificates."""
    parts = full_name.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0][:150], ""
    return " ".join(parts[1:])[:150], parts[0][:150]


# --- login with a password and a one-time code ------------------------------------------------


def login_with_password(*, username: str, password: str, totp_code: str, ip: str | None) -> User:
    """The court staff member with these credentials.

    A wrong password and a wrong one-time code give the same "credentials_invalid", so a guesser
    does not learn which one was right. A code is accepted once: its time step is remembered with
    the successful login and any code of that step or an earlier one is refused afterwards.
    """
    typed = (username or "").strip()
    # Control characters (NUL above all, which PostgreSQL refuses to store) never reach a query.
    printable = "".join(ch for ch in typed if unicodedata.category(ch) != "Cc")
    attempt = _Attempt(method="password", ip=_clean_ip(ip), identifier=printable[:150])
    try:
        if printable != typed or len(typed) > 150:
            raise LoginError("credentials_invalid")
        return _login_with_password(attempt, password=password or "", totp_code=totp_code or "")
    except DomainError as exc:
        _record_failure(attempt, exc.code)
        raise


def _login_with_password(attempt: _Attempt, *, password: str, totp_code: str) -> User:
    now = timezone.now()
    _check_ip(attempt, now)
    if not attempt.identifier or not password:
        raise LoginError("credentials_invalid")
    user = selectors.user_by_username(username=attempt.identifier)
    attempt.user_pk = user.pk if user is not None else None
    _check_lock(attempt, user, now)
    if user is None:
        # Hash anyway, so the time taken does not tell a guesser whether the username exists.
        User().set_password(password)
        raise LoginError("credentials_invalid")
    if not (user.check_password(password) and user.is_active and user.is_court_staff):
        raise LoginError("credentials_invalid")
    if not user.totp_secret:
        raise LoginError("totp_not_configured")
    step = _matching_totp_step(secret=user.totp_secret, code=totp_code, now=now)
    if step is None:
        raise LoginError("credentials_invalid")

    with transaction.atomic():
        # The row lock makes two logins of one user take turns, so one code cannot win twice.
        user = User.objects.select_for_update().get(pk=user.pk)
        last = selectors.last_totp_step(username=user.username)
        if last is not None and step <= last:
            raise LoginError("totp_replayed", field="totp_code")
        _record_success(attempt, user=user, reason=f"{selectors.TOTP_STEP_PREFIX}{step}")
    return user


def _matching_totp_step(*, secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals `code`, within TOTP_VALID_WINDOW steps of now."""
    code = re.sub(r"\s+", "", code)
    totp = pyotp.TOTP(secret)
    if not code.isdigit() or len(code) != totp.digits:
        return None
    current = totp.timecode(now)
    matched = None
    for step in range(current - TOTP_VALID_WINDOW, current + TOTP_VALID_WINDOW + 1):
        # Every candidate is compared, in constant time, so timing reveals nothing.
        if hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


# --- managing users ---------------------------------------------------------------------------


def _check_identifier(value: str, field: str) -> str:
    try:
        info = validate_iin(value) if field == "iin" else validate_bin(value)
    except IdentifierError as exc:
        raise DomainError(exc.code, exc.message, field=field) from exc
    return info.value


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str | None,
    role: str,
    court: Court | None,
    full_name: str,
    totp_secret: str | None = None,
    iin: str = "",
    password_hash: str = "",
) -> User:
    """A court staff account. A one-time code secret is generated unless one is given.

    The password is not run through the password validators: this is the operator's and the
    demo loader's tool. Staff changing their own password go through `set_staff_password`.
    `password` None gives an account no password opens (until the operator sets one);
    `password_hash`, a password already hashed (`make_password`), spares hashing one password
    again for every account that shares it (the demo's published password).
    """
    username = username.strip()
    if role not in STAFF_ROLES:
        raise DomainError("role_invalid", _("This role is not a court staff role."), field="role")
    if not username or username.startswith("iin:"):
        raise DomainError("username_invalid", _("Choose another username."), field="username")
    if iin:
        iin = _check_identifier(iin, "iin")
    if User.objects.filter(username=username).exists():
        raise ConflictError("username_taken", _("This username is taken."), field="username")
    secret = (totp_secret or pyotp.random_base32()).strip().replace(" ", "").upper()
    try:
        pyotp.TOTP(secret).now()
    except Exception as exc:  # pyotp raises binascii.Error and others for bad base32
        raise DomainError(
            "totp_secret_invalid", _("The one-time code secret is not valid base32."), field="totp_secret"
        ) from exc
    first, last = split_full_name(full_name)
    user = User(
        username=username,
        role=role,
        court=court,
        iin=iin,
        first_name=first,
        last_name=last,
        totp_secret=secret,
        # Only administrators use the admin site.
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password_hash:
        user.password = password_hash
    elif password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def create_filer_user(*, iin: str, bin: str = "", role: str, full_name: str, organisation: str = "") -> User:
    """A filer registered ahead of their first login (e.g. lawyers, prosecutors); no password."""
    iin = _check_identifier(iin, "iin")
    bin = _check_identifier(bin, "bin") if bin else ""
    if role not in FILER_ROLES:
        raise DomainError("role_invalid", _("This role is not a filer role."), field="role")
    username = selectors.eds_username(iin=iin, bin=bin)
    if User.objects.filter(username=username).exists():
        raise ConflictError("user_exists", _("This person is already registered."), field="iin")
    first, last = split_full_name(full_name)
    user = User(
        username=username,
        role=role,
        iin=iin,
        bin=bin,
        organisation_name=(organisation or "")[:255],
        first_name=first,
        last_name=last,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def set_staff_password(*, user: User, password: str) -> None:
    """Sets a court staff member's password after the configured password validators accept it."""
    if not user.is_court_staff:
        raise DomainError("role_invalid", _("Only court staff log in with a password."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "password_invalid", " ".join(str(m) for m in exc.messages), field="password"
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def enrol_totp(*, user: User) -> str:
    """Gives the user a new one-time code secret; returns the otpauth:// URI for their app."""
    if not user.is_court_staff:
        raise DomainError("role_invalid", _("Only court staff use one-time codes."))
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret"])
    return selectors.totp_provisioning_uri(user=user)


@transaction.atomic
def unlock_user(*, user: User) -> None:
    """Lifts a lock set after failed logins (the admin's "unlock" action)."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins = 0
    user.locked_until = None
