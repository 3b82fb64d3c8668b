from django.conf import settings
from django.contrib import admin
from django.urls import include, path

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

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("auth/", include("torelik.identity.urls")),
    path("staff/", include("torelik.workspace.urls")),
    path("distribution/", include("torelik.distribution.urls")),
    path("acts/", include("torelik.acts.urls")),
    path("archive/", include("torelik.archive.urls")),
    path("", include("torelik.portal.urls")),
]

if settings.TORELIK_DEMO:
    # The demo bank's payment page exists only in demo mode (TORELIK_DEMO=1).
    urlpatterns.insert(3, path("demo-bank/", include("torelik.efiling.demobank_urls")))
