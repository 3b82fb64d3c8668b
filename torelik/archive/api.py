"""/api/v1 endpoints of the archive app."""

from ninja import Router

router = Router(tags=["Electronic file"])
