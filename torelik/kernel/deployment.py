"""The start-up guard: outside demo mode Torelik refuses to run with the published demo secrets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def demo_mode() -> bool:
    """True when TORELIK_DEMO=1: demo data, demo users, the demo CA and the demo bank are allowed."""
    return bool(getattr(settings, "TORELIK_DEMO", False))


def check_deployment() -> None:
    """Raises ImproperlyConfigured, naming the environment variables to set, if a secret is the default.

    The demo bank's secret is not checked here: outside demo mode the demo bank is neither mounted
    nor registered as a payment provider, so its secret is never used.
    """
    if demo_mode():
        return
    missing: list[str] = []
    key = str(settings.SECRET_KEY or "")
    if not key or key == getattr(settings, "DEFAULT_SECRET_KEY", None) or len(key) < 32:
        missing.append("TORELIK_SECRET_KEY")
    if missing:
        raise ImproperlyConfigured(
            "Torelik is not in demo mode (TORELIK_DEMO is not 1) and still uses the published demo "
            f"secret: set {', '.join(missing)} (at least 32 random characters), or set TORELIK_DEMO=1 "
            "to serve the demo."
        )
