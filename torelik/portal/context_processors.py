from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def ncalayer(request: HttpRequest) -> dict[str, str]:
    """Where pages find NCALayer (or the demo signer) for digital signatures."""
    return {"ncalayer_url": str(settings.TORELIK.get("NCALAYER_URL", "wss://127.0.0.1:13579"))}
