"""URLconf of the identity tests: our pages and API router, plus stand-ins for the pages of other
apps that base.html links to, so these tests do not depend on those apps being finished."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from torelik.api.errors import install_error_handlers
from torelik.identity.api import router
from torelik.identity.permissions import filer_required, staff_required


def stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stand-in")


@staff_required
def staff_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff page")


@filer_required
def filers_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("filer page")


api = NinjaAPI(title="identity tests", version="test", urls_namespace="identity_tests_api")
install_error_handlers(api)
api.add_router("", router)

portal = (
    [
        path("", stand_in, name="home"),
        path("mine/", stand_in, name="my_submissions"),
        path("new/", stand_in, name="new_submission"),
        path("filers-only/", filers_only, name="filers_only"),
    ],
    "portal",
)
workspace = (
    [
        path("", stand_in, name="intake_queue"),
        path("cases/", stand_in, name="cases"),
        path("staff-only/", staff_only, name="staff_only"),
    ],
    "workspace",
)

distribution = (
    [path("", stand_in, name="public"), path("staff/", stand_in, name="staff")],
    "distribution",
)
acts = (
    [path("", stand_in, name="judge_cases"), path("verify/", stand_in, name="verify")],
    "acts",
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("auth/", include("torelik.identity.urls")),
    path("staff/", include(workspace)),
    path("distribution/", include(distribution)),
    path("acts/", include(acts)),
    path("", include(portal)),
]
