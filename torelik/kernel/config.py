"""Typed access to the TORELIK settings dictionary (the type checker sees its values as `object`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings


def torelik_setting(key: str) -> Any:
    return settings.TORELIK[key]


def archive_root() -> Path:
    return Path(torelik_setting("ARCHIVE_ROOT"))


def pki_dir() -> Path:
    return Path(torelik_setting("PKI_DIR"))
