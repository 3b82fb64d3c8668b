"""Idempotency-Key for POSTs that create: a retry gets the first response, not a second object."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Status

from torelik.api.models import IdempotencyRecord
from torelik.identity.models import User
from torelik.kernel.errors import ConflictError, DomainError

HEADER = "Idempotency-Key"


def _request_fingerprint(request: HttpRequest) -> str:
    h = hashlib.sha256()
    h.update(request.method.encode() if request.method else b"")
    h.update(request.path.encode())
    if request.content_type and request.content_type.startswith("multipart/"):
        for key in sorted(request.POST):
            h.update(key.encode() + b"=" + "\x00".join(request.POST.getlist(key)).encode())
        for key in sorted(request.FILES):
            for f in request.FILES.getlist(key):
                for chunk in f.chunks():
                    h.update(chunk)
                f.seek(0)
    else:
        h.update(request.body)
    return h.hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > 128:
            raise DomainError(
                "idempotency_key_invalid",
                _("The Idempotency-Key is longer than 128 characters."),
                field=HEADER,
            )
        fingerprint = _request_fingerprint(request)
        user = request.user
        assert isinstance(user, User)
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is not None:
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=user, key=key, request_sha256=fingerprint)
                result = view(request, *args, **kwargs)
                status, body = (
                    (result.status_code, result.value) if isinstance(result, Status) else (200, result)
                )
                record.status_code = status
                record.response_body = json.loads(json.dumps(_plain(body), cls=DjangoJSONEncoder))
                record.save(update_fields=["status_code", "response_body"])
                return result
        except IntegrityError:
            # A concurrent request with the same key won the race; answer as it did.
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is None:
                raise
            return _replay(existing, fingerprint)

    return wrapper


def _plain(body: Any) -> Any:
    if hasattr(body, "model_dump"):
        return body.model_dump(mode="json")
    return body


def _replay(record: IdempotencyRecord, fingerprint: str) -> JsonResponse:
    if record.request_sha256 != fingerprint:
        raise ConflictError(
            "idempotency_key_reused",
            _("This Idempotency-Key was used for a different request."),
            field=HEADER,
        )
    if record.status_code is None:
        raise ConflictError("idempotency_in_progress", _("The first request with this key is still running."))
    response = JsonResponse(record.response_body, status=record.status_code, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response
