from __future__ import annotations

from ninja import NinjaAPI

from torelik.acts import api as acts_api
from torelik.api import efiling_api, intake_api, reference_api
from torelik.api.errors import install_error_handlers
from torelik.archive import api as archive_api
from torelik.distribution import api as distribution_api
from torelik.identity.api import router as identity_router

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
api.add_router("", reference_api.router)
api.add_router("", efiling_api.router)
api.add_router("", efiling_api.payments_router)
api.add_router("", intake_api.router)
api.add_router("", intake_api.cases_router)
api.add_router("", identity_router)
api.add_router("", archive_api.router)
api.add_router("", acts_api.router)
api.add_router("", distribution_api.router)
