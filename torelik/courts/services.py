"""Writing the court system's reference data."""

from __future__ import annotations

from django.db import transaction

from .classifier import seed_classifier
from .models import CaseCategory, Specialisation


def ensure_classifier() -> int:
    """Add any seed category or specialisation that is missing; returns how many were added.

    Existing rows are left as administrators edited them. Useful after a database was emptied
    without its migrations being re-run (e.g. a flushed test database).
    """
    with transaction.atomic():
        return seed_classifier(CaseCategory, Specialisation)
