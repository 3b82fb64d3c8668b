"""Who is calling: the acting user of an authenticated API request."""

from __future__ import annotations

from django.http import HttpRequest

from torelik.identity.models import User


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a request that passed `django_auth`.

    Routers that require authentication call this instead of reading `request.user`, whose type
    (AbstractBaseUser | AnonymousUser) the services do not take; an anonymous user here is a router
    mounted without auth, a programming error, hence the assertion and not a 401.
    """
    user = request.user
    assert isinstance(user, User)
    return user
