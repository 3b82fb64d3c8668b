from django.contrib import admin
from django.urls import include, path

from torelik.api.urls import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("demo-bank/", include("torelik.efiling.demobank_urls")),
    path("auth/", include("torelik.identity.urls")),
    path("staff/", include("torelik.workspace.urls")),
    path("distribution/", include("torelik.distribution.urls")),
    path("acts/", include("torelik.acts.urls")),
    path("archive/", include("torelik.archive.urls")),
    path("", include("torelik.portal.urls")),
]
