"""Pages of the electronic case file: a stored document, its signatures and its place in the log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from torelik.archive.selectors import document_for_user, document_view
from torelik.identity.models import User
from torelik.kernel.errors import NotFoundError
from torelik.kernel.services import record_access


@login_required
def document_page(request: HttpRequest, sha256: str) -> HttpResponse:
    assert isinstance(request.user, User)
    try:
        blob = document_for_user(user=request.user, sha256=sha256)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from None
    record_access(request=request, action="archive.document.read", object_type="blob", object_id=blob.sha256)
    return render(request, "archive/document.html", document_view(sha256=blob.sha256))
