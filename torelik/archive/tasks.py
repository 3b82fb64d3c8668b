"""Background work of the archive: signing tree heads (scheduled after appends, see services)."""

from __future__ import annotations

from django_tasks import task

from torelik.archive.tree_heads import sign_tree_head


@task()
def sign_tree_head_if_grown() -> int | None:
    """Sign a tree head if the log grew since the last one; returns the signed size or None."""
    head = sign_tree_head(only_if_grown=True)
    return None if head is None else head.tree_size
