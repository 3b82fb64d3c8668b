"""The cryptography of verifiable draws: canonical JSON, hashes, HMAC draws, the service's keys.

The distribution service holds two keys in PKI_DIR/distribution/, generated on first use:
- an Ed25519 signing key: it signs each day's commitment ("torelik-distribution-commitment|DAY|SHA256")
  and, at the reveal, the heads of every court's chain ("torelik-distribution-seal|DAY|SHA256");
  its public key is published (ServiceKey, /api/v1/distribution/public-key);
- a 256-bit AES-GCM key that encrypts the day secrets at rest until they are revealed.

A draw: HMAC-SHA256(day secret, "<case number>|<SHA-256 of the candidate snapshot>"), read as a
256-bit big-endian unsigned integer, modulo the number of judges in the draw set ordered by
judge id, gives the index of the drawn judge. Anyone with the revealed secret recomputes it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from torelik.kernel.config import pki_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

ALGORITHM_VERSION = "torelik-distribution/1"
SIGNATURE_ALGORITHM = "ed25519"
KEY_DIRECTORY = "distribution"
SIGNING_KEY_FILE = "service-key.pem"
SECRET_BOX_KEY_FILE = "secret-box.key"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, UTF-8 as is: equal data, equal text, on every engine.

    The text of `json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`,
    made by orjson, which is several times faster (every draw encodes its snapshot and record), for
    what records hold: strings, integers, booleans, null, lists and objects with string keys
    (numbers with a fraction are stored as strings). Anything else (a non-string key, an integer
    beyond 64 bits) goes to the standard library, which also refuses what JSON cannot carry.
    """
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# Dates, datetimes and dataclasses are not turned into JSON silently (the standard library refuses
# them). Floats: the two encoders agree except for the exponent notation of very small or very large
# numbers (1e-07 against 1e-7), which no setting uses; weights and loads are stored as strings.
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def draw_message(case_number: str, snapshot_sha256: str) -> bytes:
    return f"{case_number}|{snapshot_sha256}".encode()


def draw_hmac(secret: bytes, case_number: str, snapshot_sha256: str) -> str:
    return hmac.new(secret, draw_message(case_number, snapshot_sha256), hashlib.sha256).hexdigest()


def draw_index(hmac_hex: str, count: int) -> int:
    if count <= 0:
        raise ValueError("nothing to draw from")
    return int(hmac_hex, 16) % count


def commitment_message(day: date, commitment: str) -> bytes:
    return f"torelik-distribution-commitment|{day.isoformat()}|{commitment}".encode()


def seal_message(day: date, seal_sha256: str) -> bytes:
    return f"torelik-distribution-seal|{day.isoformat()}|{seal_sha256}".encode()


def new_secret() -> bytes:
    return secrets.token_bytes(32)


# ---------------------------------------------------------------- the service's keys


@dataclass(frozen=True)
class ServiceKeyMaterial:
    private_key: Ed25519PrivateKey
    key_id: str
    public_key_pem: str
    box_key: bytes

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private_key.sign(message)).decode()


_keys: dict[Path, ServiceKeyMaterial] = {}
_keys_lock = threading.Lock()


def key_directory() -> Path:
    return pki_dir() / KEY_DIRECTORY


def service_keys() -> ServiceKeyMaterial:
    """The service's signing key and secret-box key, generated into PKI_DIR on first use."""
    directory = key_directory()
    cached = _keys.get(directory)
    if cached is not None:
        return cached
    with _keys_lock:
        cached = _keys.get(directory)
        if cached is None:
            cached = _load_or_create(directory)
            _keys[directory] = cached
        return cached


def forget_keys() -> None:
    """Drops the keys cached in this process (tests point PKI_DIR elsewhere)."""
    _keys.clear()


def _load_or_create(directory: Path) -> ServiceKeyMaterial:
    directory.mkdir(parents=True, exist_ok=True)
    signing_path = directory / SIGNING_KEY_FILE
    box_path = directory / SECRET_BOX_KEY_FILE
    with _file_lock(directory / ".lock"):
        if not signing_path.exists():
            key = Ed25519PrivateKey.generate()
            _write_private(
                signing_path,
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ),
            )
        if not box_path.exists():
            _write_private(box_path, AESGCM.generate_key(bit_length=256))
    private = serialization.load_pem_private_key(signing_path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise RuntimeError(f"{signing_path} is not an Ed25519 key")
    box_key = box_path.read_bytes()
    if len(box_key) != 32:
        raise RuntimeError(f"{box_path} is not a 256-bit key")
    public = private.public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ServiceKeyMaterial(
        private_key=private, key_id=sha256_hex(der), public_key_pem=pem.decode(), box_key=box_key
    )


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def seal_secret(box_key: bytes, secret: bytes, day: date) -> str:
    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(box_key).encrypt(nonce, secret, day.isoformat().encode())).decode()


def open_secret(box_key: bytes, box: str, day: date) -> bytes:
    raw = base64.b64decode(box)
    return AESGCM(box_key).decrypt(raw[:12], raw[12:], day.isoformat().encode())


def verify_signature(public_key_pem: str, signature_b64: str, message: bytes) -> bool:
    try:
        public = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(public, Ed25519PublicKey):
            return False
        public.verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
