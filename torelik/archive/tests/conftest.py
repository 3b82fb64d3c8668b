from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from torelik.archive.models import LogEntry


@pytest.fixture
def file_bytes(db: None) -> Callable[..., LogEntry]:
    """file_bytes(data, document_type="attachment", case_number="7140-26-00-2/1") -> LogEntry."""
    from torelik.archive.services import file_document, store_blob

    def _file(
        data: bytes, document_type: str = "attachment", case_number: str = "7140-26-00-2/1", **kw: Any
    ) -> LogEntry:
        blob = store_blob(data=data, content_type="application/pdf")
        return file_document(blob=blob, document_type=document_type, case_number=case_number, **kw)

    return _file


@pytest.fixture
def docs() -> Callable[[int], list[bytes]]:
    """n distinct PDF-like byte strings."""

    def _docs(n: int, size: int = 600) -> list[bytes]:
        return [b"%PDF-1.7\n" + i.to_bytes(4, "big") + os.urandom(size) for i in range(n)]

    return _docs
