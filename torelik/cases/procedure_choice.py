"""Which procedure a case of a category follows: the most specific definition that applies."""

from __future__ import annotations

from collections.abc import Iterable


def choose(
    candidates: Iterable[tuple[str, dict[str, list[str]]]], *, kind: str, instance: str, category: str
) -> str | None:
    """`candidates`: (code, applies_to). A definition naming the category wins over one that
    matches by kind and instance; among equals, the first listed."""
    best: tuple[int, str] | None = None
    for code, applies in candidates:
        if category in (applies.get("exclude") or []):
            continue
        categories = applies.get("categories") or []
        if categories:
            score = 3 if category in categories else -1
        else:
            kinds, instances = applies.get("kinds") or [], applies.get("instances") or []
            if (kinds and kind not in kinds) or (instances and instance not in instances):
                score = -1
            else:
                score = 1 + bool(kinds) + bool(instances) - 1
        if score >= 0 and (best is None or score > best[0]):
            best = (score, code)
    return best[1] if best else None
