"""The one NinjaAPI instance behind /api/v1, with the error handling every router shares.

The routers live in their apps (an endpoint sits beside the services it calls); the project
URLconf, torelik/urls.py, mounts them here. torelik.api imports no app above identity and courts,
so that every app may use its helpers.
"""

from __future__ import annotations

from ninja import NinjaAPI

from torelik.api.errors import install_error_handlers

api = NinjaAPI(
    title="Torelik API",
    version="1",
    description=(
        "The court information system's API. Log in through /api/v1/auth (digital signature or, for court "
        "staff, password and one-time code); the session cookie and the X-CSRFToken header authenticate "
        "later calls. POSTs that create accept an Idempotency-Key header."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
