"""Kernel writes: the access audit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from torelik.kernel.models import AccessAudit


def record_access(
    *,
    request: HttpRequest,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any] | None = None,
) -> AccessAudit:
    """Writes who read or did what to a non-public record, from where; rows are never changed."""
    user = request.user if request.user.is_authenticated else None
    return AccessAudit.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip=request.META.get("REMOTE_ADDR") or None,
        detail=detail or {},
    )
