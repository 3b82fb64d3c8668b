from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from torelik.api_urls import api

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
