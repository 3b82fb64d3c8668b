"""The REST API: every app's router mounted into the one NinjaAPI instance.

A project module, above every layer (torelik.api, the infrastructure, sits below most apps). Apart
from `torelik.urls` because routers can be added only once, and the URLconf is re-imported when
tests switch settings.
"""

from torelik.acts import api as acts_api
from torelik.api.instance import api
from torelik.archive import api as archive_api
from torelik.cases import api as cases_api
from torelik.courts import api as courts_api
from torelik.distribution import api as distribution_api
from torelik.efiling import api as efiling_api
from torelik.efiling import intake_api
from torelik.identity import api as identity_api

# Each app's router, mounted here: the project URLconf sits above every layer, torelik.api below
# most. The order is the order of the OpenAPI document's paths and tags; keep it.
for router in (
    courts_api.router,
    efiling_api.reference_router,
    efiling_api.router,
    efiling_api.payments_router,
    intake_api.router,
    cases_api.router,
    identity_api.router,
    archive_api.router,
    acts_api.router,
    distribution_api.router,
):
    api.add_router("", router)
