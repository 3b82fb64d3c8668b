"""/api/v1 endpoints of the distribution app."""

from ninja import Router

router = Router(tags=["Distribution"])
