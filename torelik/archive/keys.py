"""The archive's own signing key for tree heads (Ed25519).

Made on first use in the key directory — `<TORELIK_ARCHIVE_ROOT>/keys/` unless
settings.TORELIK["ARCHIVE_KEY_DIR"] names another — as `tree-head-ed25519.key.pem` (mode 0600)
and `tree-head-ed25519.pub.pem`. A retired key's public half goes to `retired/<key id>.pub.pem`
so that old tree heads still verify. The key ID is the hex SHA-256 of the public key's
SubjectPublicKeyInfo (DER), as Certificate Transparency names log keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from torelik.kernel.config import archive_root

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX systems lock nothing
    fcntl = None  # type: ignore[assignment]

PRIVATE_KEY_FILE = "tree-head-ed25519.key.pem"
PUBLIC_KEY_FILE = "tree-head-ed25519.pub.pem"
RETIRED_DIR = "retired"

_CACHE: dict[tuple[str, int], Ed25519PrivateKey] = {}


def key_dir() -> Path:
    configured = settings.TORELIK.get("ARCHIVE_KEY_DIR")
    return Path(configured) if configured else archive_root() / "keys"


def key_id(public_key: Ed25519PublicKey) -> str:
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def signing_key() -> Ed25519PrivateKey:
    """The archive's private key; generated (once, whatever the number of processes) if absent."""
    directory = key_dir()
    path = directory / PRIVATE_KEY_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        with _locked(directory / ".lock"):
            if not path.exists():
                key = Ed25519PrivateKey.generate()
                _write_new(
                    path,
                    key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ),
                    0o600,
                )
                public = directory / PUBLIC_KEY_FILE
                public.unlink(missing_ok=True)
                _write_new(public, public_pem(key.public_key()), 0o644)
    cache_key = (str(path), path.stat().st_mtime_ns)
    if cache_key not in _CACHE:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise TypeError(f"{path} does not hold an Ed25519 key")
        _CACHE[cache_key] = loaded
    return _CACHE[cache_key]


def current_public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def known_public_keys() -> dict[str, Ed25519PublicKey]:
    """The current key and every retired one, by key ID; makes no key."""
    keys = {}
    private = key_dir() / PRIVATE_KEY_FILE
    if private.exists():
        current = signing_key().public_key()
        keys[key_id(current)] = current
    retired = key_dir() / RETIRED_DIR
    if retired.is_dir():
        for pem in sorted(retired.glob("*.pub.pem")):
            with contextlib.suppress(ValueError):
                key = load_public_key(pem.read_bytes())
                keys[key_id(key)] = key
    return keys


def signature_valid(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
