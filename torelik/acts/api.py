"""/api/v1 endpoints of the acts app."""

from ninja import Router

router = Router(tags=["Judicial acts"])
