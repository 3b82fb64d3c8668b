"""Signed tree heads of the electronic file's log: (time, size, root) signed with the archive's key.

Apart from `services` so that the worker's task can import it without importing `services`,
which schedules that task (no import cycle).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from torelik.archive import merkle
from torelik.archive.keys import key_id, signing_key
from torelik.archive.models import TreeHead
from torelik.archive.selectors import latest_tree_head, log_size, tree_root

DEFAULT_TREE_HEAD_INTERVAL_SECONDS = 300


def tree_head_interval() -> int:
    return int(settings.TORELIK.get("ARCHIVE_TREE_HEAD_INTERVAL_SECONDS", DEFAULT_TREE_HEAD_INTERVAL_SECONDS))


def sign_tree_head(*, only_if_grown: bool = False) -> TreeHead | None:
    """Sign (time, size, root) of the log as it is now with the archive's key.

    With `only_if_grown`, nothing is signed when the latest tree head already covers the log.
    Timestamps never go backwards, even if the clock does.
    """
    key = signing_key()
    with transaction.atomic():
        size = log_size()
        latest = latest_tree_head()
        if only_if_grown and latest is not None and latest.tree_size >= size:
            return None
        root = tree_root(size)
        now_ms = int(timezone.now().timestamp() * 1000)
        timestamp_ms = max(now_ms, latest.timestamp_ms + 1) if latest else now_ms
        data = merkle.tree_head_signed_data(timestamp_ms=timestamp_ms, tree_size=size, root_hash=root)
        return TreeHead.objects.create(
            tree_size=size,
            timestamp_ms=timestamp_ms,
            root_hash=root,
            signature=key.sign(data),
            key_id=key_id(key.public_key()),
        )
