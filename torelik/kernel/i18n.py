"""Pick the field of a trilingual record that matches the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

FALLBACK_ORDER = ("ru", "kk", "en")


def localized(obj: Any, field: str, language: str | None = None) -> str:
    lang = (language or get_language() or "ru")[:2]
    for code in (lang, *FALLBACK_ORDER):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
