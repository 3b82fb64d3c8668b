"""The authentication backend for Torelik's sessions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from torelik.identity.models import User


class SessionOnlyBackend(ModelBackend):
    """Loads the logged-in user for each request and answers permission questions, but
    authenticates nobody by itself.

    Every login goes through `torelik.identity.services` (a signed challenge, or a password with
    a one-time code, with rate limits and locks). Listing this backend alone in
    AUTHENTICATION_BACKENDS closes the side doors that call `authenticate()` with a bare password,
    such as the admin site's own login form.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return None


def session_backend() -> str:
    """The backend path to store in the session at login: ours if configured, else the first."""
    path = f"{SessionOnlyBackend.__module__}.{SessionOnlyBackend.__qualname__}"
    configured = list(settings.AUTHENTICATION_BACKENDS)
    return path if path in configured else configured[0]
