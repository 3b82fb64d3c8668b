"""A local signer that speaks NCALayer's WebSocket protocol, holding one PKCS#12 key.

Pages talk to it exactly as to NCALayer (wss://127.0.0.1:13579), so the portal's script works
unchanged with the real program. On connect it greets with {"result": {"version": ...}}; then:

* module kz.gov.pki.knca.basics, method sign, args {allowedStorages, format: "cms", data
  (string or list), signingParams {decode, encapsulate, digested, tsaProfile, outputCert},
  signerParams {extKeyUsageOids, iin, bin, chain}, locale} -> {"status": true, "body":
  {"result": [base64 CMS, ...]}}; failures {"status": false, "code", "message", "details"};
  a declined request {"status": true, "body": {}};
* module kz.gov.pki.knca.commonUtils (positional args) -> {"code": "200", "responseObject": ...}
  or {"code": "500", "message": ...} ("action.canceled" when declined): getActiveTokens,
  getKeyInfo, createCMSSignatureFromBase64, createCAdESFromBase64, createCAdESFromBase64Hash,
  changeLocale;
* "--heartbeat--" is echoed.

Unlike NCALayer it asks nobody: it signs with its key at once. It is a demo and test tool; it
listens on the loopback interface only. No time-stamp (tsaProfile) is added.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import ssl
import threading
from collections.abc import Callable, Sequence
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from torelik.signatures.certificates import extended_key_usages, subject_info
from torelik.signatures.signing import SigningKey, sign_cms, sign_cms_digest

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 13579
NCALAYER_VERSION = "1.4"
HEARTBEAT = "--heartbeat--"
MODULE_BASICS = "kz.gov.pki.knca.basics"
MODULE_COMMON_UTILS = "kz.gov.pki.knca.commonUtils"
# Base64 of a 20 MB attachment plus the JSON around it.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

Reply = dict[str, Any]


class _Refused(Exception):
    def __init__(self, code: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class NCALayerProtocol:
    """Turns one NCALayer JSON request into its reply; no I/O, so tests can call it directly."""

    def __init__(self, key: SigningKey, *, decline: bool = False) -> None:
        self.key = key
        # Answer as if the user pressed "Cancel" in NCALayer's dialog (for tests of that path).
        self.decline = decline

    def handle(self, text: str) -> Reply:
        try:
            request = json.loads(text)
        except ValueError:
            return {"success": False, "code": "COMMON_JSON_WRAPPING_EXCEPTION"}
        if not isinstance(request, dict):
            return {"success": False, "code": "COMMON_JSON_WRAPPING_EXCEPTION"}
        module, method = request.get("module"), str(request.get("method", ""))
        log.info("signer request %s.%s", module, method)
        if module == MODULE_BASICS:
            return self._basics(method, request.get("args"))
        if module == MODULE_COMMON_UTILS:
            reply = self._common_utils(method, request.get("args"))
            if "uuid" in request:
                reply["uuid"] = request["uuid"]
            return reply
        return {"success": False, "errorCode": "MODULE_NOT_FOUND"}

    # --- kz.gov.pki.knca.basics --------------------------------------------------------------

    def _basics(self, method: str, args: Any) -> Reply:
        if method != "sign":
            return _basics_error("INVOCATION_ERROR", f"Unknown method {method}")
        try:
            return {"status": True, "body": self._basics_sign(args)}
        except _Refused as exc:
            return _basics_error(exc.code, exc.message, exc.details)

    def _basics_sign(self, args: Any) -> dict[str, Any]:
        if not isinstance(args, dict):
            raise _Refused("INVALID_SIGNING_PARAMS", "args must be an object")
        if args.get("format", "cms") != "cms":
            raise _Refused(
                "INVALID_SIGNING_PARAMS", f"format {args.get('format')} is not supported here; use cms"
            )
        data = args.get("data")
        items = [data] if isinstance(data, str) else data
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise _Refused("INVALID_SIGNING_PARAMS", "data must be a string or a list of strings")
        params = args.get("signingParams") or {}
        signer = args.get("signerParams") or {}
        if not isinstance(params, dict) or not isinstance(signer, dict):
            raise _Refused("INVALID_SIGNING_PARAMS", "signingParams and signerParams must be objects")
        decode, encapsulate, digested = (_flag(params.get(k)) for k in ("decode", "encapsulate", "digested"))
        if digested and encapsulate:
            raise _Refused("INVALID_SIGNING_PARAMS", "a digest cannot be encapsulated")
        self._check_signer(signer)
        if self.decline:
            return {}
        signatures = [
            self._sign(item, decode=decode or digested, attached=encapsulate, digested=digested)
            for item in items
        ]
        if _flag(params.get("outputCert")):
            pem = self.key.certificate.public_bytes(Encoding.PEM).decode()
            return {"result": {"signatures": signatures, "certificate": pem}}
        return {"result": signatures}

    def _check_signer(self, signer: dict[str, Any]) -> None:
        """NCALayer offers only keys matching signerParams; this signer has one key to offer."""
        subject = subject_info(self.key.certificate)
        iin, bin_ = str(signer.get("iin") or ""), str(signer.get("bin") or "")
        if iin and iin != subject.iin:
            raise _Refused(
                "SIGNING_FAILURE",
                "No suitable key: the key's IIN does not match the one requested.",
                f"requested IIN {iin}, key IIN {subject.iin or '-'}",
            )
        if bin_ and bin_ != subject.bin:
            raise _Refused(
                "SIGNING_FAILURE",
                "No suitable key: the key's BIN does not match the one requested.",
                f"requested BIN {bin_}, key BIN {subject.bin or '-'}",
            )
        wanted = signer.get("extKeyUsageOids") or []
        if not isinstance(wanted, list):
            raise _Refused("INVALID_SIGNING_PARAMS", "extKeyUsageOids must be a list")
        missing = [str(oid) for oid in wanted if str(oid) not in extended_key_usages(self.key.certificate)]
        if missing:
            raise _Refused(
                "SIGNING_FAILURE",
                "No suitable key: the key's certificate lacks a requested key purpose.",
                ", ".join(missing),
            )

    def _sign(self, item: str, *, decode: bool, attached: bool, digested: bool) -> str:
        if decode:
            try:
                payload = base64.b64decode("".join(item.split()), validate=True)
            except (binascii.Error, ValueError):
                raise _Refused("INVALID_SIGNING_PARAMS", "data is not valid base64") from None
        else:
            payload = item.encode("utf-8")
        if digested:
            cms = sign_cms_digest(key=self.key, message_digest=payload)
        else:
            cms = sign_cms(key=self.key, data=payload, detached=not attached)
        return base64.b64encode(cms).decode("ascii")

    # --- kz.gov.pki.knca.commonUtils ---------------------------------------------------------

    def _common_utils(self, method: str, args: Any) -> Reply:
        args = args if isinstance(args, list) else []
        if method == "getActiveTokens":
            return _ok([])  # hardware tokens only; a file key store is never listed
        if method == "changeLocale":
            return _ok(None)
        if self.decline:
            return {"code": "500", "message": "action.canceled"}
        if method == "getKeyInfo":
            return _ok(self._key_info())
        if method in ("createCMSSignatureFromBase64", "createCAdESFromBase64", "createCAdESFromBase64Hash"):
            if len(args) < 3 or not isinstance(args[2], str):
                return {"code": "500", "message": "expected (storageName, keyType, base64Data[, attach])"}
            digested = method == "createCAdESFromBase64Hash"
            attached = not digested and len(args) > 3 and _flag(args[3])
            try:
                return _ok(self._sign(args[2], decode=True, attached=attached, digested=digested))
            except _Refused as exc:
                return {"code": "500", "message": exc.message}
        return {"code": "500", "message": f"Method {method} is not implemented"}

    def _key_info(self) -> dict[str, str]:
        cert = self.key.certificate
        subject = subject_info(cert)
        issuer_cn = next((str(a.value) for a in cert.issuer if a.oid.dotted_string == "2.5.4.3"), "")
        return {
            "alias": format(cert.serial_number, "x"),
            "keyId": format(cert.serial_number, "x"),
            "algorithm": "RSA",
            "subjectCn": subject.common_name,
            "subjectDn": cert.subject.rfc4514_string(),
            "issuerCn": issuer_cn,
            "issuerDn": cert.issuer.rfc4514_string(),
            "serialNumber": format(cert.serial_number, "x"),
            "certNotBefore": str(int(cert.not_valid_before_utc.timestamp() * 1000)),
            "certNotAfter": str(int(cert.not_valid_after_utc.timestamp() * 1000)),
            "authorityKeyIdentifier": "",
            "pem": cert.public_bytes(Encoding.PEM).decode(),
        }


def _flag(value: Any) -> bool:
    # NCA's own example page sends "true"/"false" strings from radio buttons.
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _ok(obj: Any) -> Reply:
    return {"code": "200", "message": "", "responseObject": obj}


def _basics_error(code: str, message: str, details: str = "") -> Reply:
    return {"status": False, "code": code, "message": message, "details": details}


# --- server ------------------------------------------------------------------------------------


async def serve_signer(
    key: SigningKey,
    *,
    port: int = DEFAULT_PORT,
    ssl_context: ssl.SSLContext | None = None,
    origins: Sequence[str] | None = None,
    decline: bool = False,
    ready: Callable[[int], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until `stop` is set (or forever); `ready` gets the bound port."""
    protocol = NCALayerProtocol(key, decline=decline)

    async def session(ws: ServerConnection) -> None:
        try:
            await ws.send(json.dumps({"result": {"version": NCALAYER_VERSION}}))
            async for message in ws:
                text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
                if text == HEARTBEAT:
                    await ws.send(HEARTBEAT)
                    continue
                # Signing is CPU work; keep the event loop free for other connections.
                reply = await asyncio.to_thread(protocol.handle, text)
                await ws.send(json.dumps(reply, ensure_ascii=False))
        except ConnectionClosed:
            pass

    allowed = None if origins is None else [Origin(o) for o in origins]
    async with serve(
        session, HOST, port, ssl=ssl_context, max_size=MAX_MESSAGE_BYTES, origins=allowed, compression=None
    ) as server:
        bound = next(iter(server.sockets)).getsockname()[1]
        log.info("signer listening on %s://%s:%s", "wss" if ssl_context else "ws", HOST, bound)
        if ready is not None:
            ready(bound)
        if stop is None:
            await server.serve_forever()
        else:
            await stop.wait()


def tls_context(cert_path: str, key_path: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


def start_signer_in_thread(
    key: SigningKey,
    port: int = 0,
    *,
    ssl_context: ssl.SSLContext | None = None,
    decline: bool = False,
    origins: Sequence[str] | None = None,
) -> tuple[int, Callable[[], None]]:
    """Run the signer on a background thread; returns (port, stop). Port 0 picks a free one."""
    started = threading.Event()
    state: dict[str, Any] = {}

    async def main() -> None:
        state["loop"] = asyncio.get_running_loop()
        state["stop"] = asyncio.Event()

        def on_ready(bound: int) -> None:
            state["port"] = bound
            started.set()

        await serve_signer(
            key,
            port=port,
            ssl_context=ssl_context,
            origins=origins,
            decline=decline,
            ready=on_ready,
            stop=state["stop"],
        )

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the caller of start_signer_in_thread
            state["error"] = exc
            started.set()

    thread = threading.Thread(target=run, name="ncalayer-signer", daemon=True)
    thread.start()
    if not started.wait(timeout=15) or "error" in state:
        raise RuntimeError(f"signer did not start: {state.get('error')!r}")

    def stop() -> None:
        loop: asyncio.AbstractEventLoop = state["loop"]
        if thread.is_alive():
            loop.call_soon_threadsafe(state["stop"].set)
            thread.join(timeout=15)

    return int(state["port"]), stop
