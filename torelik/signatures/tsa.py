"""RFC 3161 time-stamps: a small time-stamping authority (TSA) and the client the court uses.

A time-stamp token is a CMS SignedData over a TSTInfo (the hash of the stamped data, the time,
a serial number and the requester's nonce), signed by a TSA whose certificate carries the one
critical extended key usage timeStamping. The court stamps the value of a judge's signature
(PAdES B-T, `torelik.signatures.pades`), proving the signature existed at that time.

* `TimeStampAuthority.respond(request_der)` turns a DER TimeStampReq into a DER TimeStampResp;
* `start_tsa_in_thread(pki)` serves it over HTTP (POST application/timestamp-query, answer
  application/timestamp-reply) on the loopback interface for tests; `torelik tsa` for the demo;
* `request_timestamp(url=..., message=...)` asks a TSA (NCA RK's in production) for a token and
  checks the answer: status, nonce, message imprint, the TSA's signature and certificate, and
  that the certificate chains to the court's trust store.

The demo TSA's certificate is issued by the built-in test CA and kept in PKI_DIR as `tsa.pem`
(certificate and key in one file, so a reader never pairs a new key with an old certificate).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import cms as acms
from asn1crypto import core, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from torelik.signatures import algorithms
from torelik.signatures.certificates import dn_string
from torelik.signatures.errors import SignatureError
from torelik.signatures.testca import SIGNING_KEY_USAGE, DemoPki
from torelik.signatures.truststore import build_chain, load_trust_store
from torelik.signatures.verification import identifies

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 13580
DEFAULT_URL = f"http://{HOST}:{DEFAULT_PORT}/"
CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"
MAX_REQUEST_BYTES = 16 * 1024
MAX_RESPONSE_BYTES = 256 * 1024
DEFAULT_TIMEOUT_SECONDS = 10.0

# The demo TSA's policy: an OID in the UUID arc (ITU-T X.667), which needs no registration.
DEMO_POLICY = "2.25.192168845686207384385184323298184933981"
TSA_FILE = "tsa.pem"
TSA_NAME = "Torelik Test TSA"
TSA_LIFETIME = timedelta(days=3 * 365)
TSA_RENEW_BEFORE = timedelta(days=30)

# Digests a request may carry, with their lengths.
_IMPRINT_DIGESTS: dict[str, tuple[Callable[[], Any], int]] = {
    "sha256": (hashlib.sha256, 32),
    "sha384": (hashlib.sha384, 48),
    "sha512": (hashlib.sha512, 64),
}

_IDENTITIES: dict[tuple[str, int], TsaIdentity] = {}
_IDENTITY_LOCK = threading.Lock()


class _TimeStampResp(core.Sequence):
    """TimeStampResp with the token optional, as RFC 3161 has it (a refusal carries none)."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", acms.ContentInfo, {"optional": True}),
    ]


def tsa_url() -> str:
    """The court's TSA: settings.TORELIK["TSA_URL"] or $TORELIK_TSA_URL, else the demo TSA (`torelik tsa`)."""
    return str(settings.TORELIK.get("TSA_URL", "") or os.environ.get("TORELIK_TSA_URL", "") or DEFAULT_URL)


def tsa_timeout() -> float:
    value = settings.TORELIK.get("TSA_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    return float(value) if isinstance(value, int | float | str) else DEFAULT_TIMEOUT_SECONDS


# --- the TSA's key and certificate -------------------------------------------------------------


@dataclass(frozen=True)
class TsaIdentity:
    private_key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def ensure_tsa_identity(pki: DemoPki) -> TsaIdentity:
    """The demo TSA's key and certificate in PKI_DIR, issued by the test CA; made when missing,
    when the CA changed, or when the certificate is near its end."""
    path = pki.directory / TSA_FILE
    ca_cert = pki.ca_certificate()
    with _IDENTITY_LOCK:
        identity = _load_identity(path, ca_cert)
        if identity is None:
            identity = _issue_identity(pki, ca_cert)
            _write_identity(path, identity)
            _IDENTITIES.clear()
            identity = _load_identity(path, ca_cert) or identity
        return identity


def _load_identity(path: Path, ca_cert: x509.Certificate) -> TsaIdentity | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    cache_key = (str(path), stat.st_mtime_ns)
    cached = _IDENTITIES.get(cache_key)
    if cached is None:
        try:
            data = path.read_bytes()
            cert = x509.load_pem_x509_certificate(data)
            key = serialization.load_pem_private_key(data, password=None, unsafe_skip_rsa_key_validation=True)
        except (OSError, ValueError, TypeError):
            return None
        cached = TsaIdentity(private_key=key, certificate=cert, chain=(ca_cert,))
        _IDENTITIES[cache_key] = cached
    cert = cached.certificate
    if not algorithms.issued_by(cert, ca_cert):
        return None
    if cert.not_valid_after_utc - datetime.now(UTC) < TSA_RENEW_BEFORE:
        return None
    return TsaIdentity(private_key=cached.private_key, certificate=cert, chain=(ca_cert,))


def _issue_identity(pki: DemoPki, ca_cert: x509.Certificate) -> TsaIdentity:
    ca_key = pki.ca_private_key()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC).replace(microsecond=0)
    public = key.public_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, TSA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Torelik Test CA"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + TSA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            SIGNING_KEY_USAGE,
            critical=True,
        )
        # RFC 3161 section 2.3: timeStamping, alone, and critical.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return TsaIdentity(private_key=key, certificate=cert, chain=(ca_cert,))


def _write_identity(path: Path, identity: TsaIdentity) -> None:
    key = identity.private_key
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the demo TSA has an RSA key")
    data = identity.certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    os.replace(tmp, path)


# --- the authority -----------------------------------------------------------------------------


class TimeStampAuthority:
    """Answers TimeStampReq with TimeStampResp; no I/O, so tests can call it directly."""

    def __init__(
        self,
        identity: TsaIdentity,
        *,
        policy: str = DEMO_POLICY,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.identity = identity
        self.policy = policy
        self.clock = clock or (lambda: datetime.now(UTC))

    def respond(self, request_der: bytes) -> bytes:
        try:
            request = tsp.TimeStampReq.load(request_der, strict=True)
            request.native  # noqa: B018 - parse every field now
        except (ValueError, TypeError, KeyError, IndexError):
            return _refusal("bad_data_format", "The request is not a DER TimeStampReq.")
        if request["version"].native != "v1":
            return _refusal("bad_request", "Only version 1 requests are served.")
        imprint = request["message_imprint"]
        algorithm = str(imprint["hash_algorithm"]["algorithm"].native)
        hashed = bytes(imprint["hashed_message"].native)
        spec = _IMPRINT_DIGESTS.get(algorithm)
        if spec is None:
            return _refusal("bad_alg", f"The hash algorithm {algorithm} is not accepted.")
        if len(hashed) != spec[1]:
            return _refusal("bad_data_format", "The message imprint has the wrong length.")
        policy = request["req_policy"].native
        if policy is not None and policy != self.policy:
            return _refusal("unaccepted_policy", f"Policy {policy} is not served here.")
        if request["extensions"].native:
            return _refusal("unaccepted_extensions", "No request extensions are supported.")
        token = self.token(
            hash_algorithm=algorithm,
            hashed_message=hashed,
            nonce=request["nonce"].native,
            include_certificate=bool(request["cert_req"].native),
        )
        return bytes(_TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump())

    def token(
        self, *, hash_algorithm: str, hashed_message: bytes, nonce: int | None, include_certificate: bool
    ) -> acms.ContentInfo:
        cert = ax509.Certificate.load(self.identity.certificate.public_bytes(serialization.Encoding.DER))
        gen_time = self.clock().astimezone(UTC)
        tst_info = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": self.policy,
                "message_imprint": {
                    "hash_algorithm": {"algorithm": hash_algorithm},
                    "hashed_message": hashed_message,
                },
                "serial_number": secrets.randbits(127) | (1 << 126),
                "gen_time": gen_time,
                "accuracy": {"seconds": 1},
                "nonce": nonce,
                "tsa": ax509.GeneralName({"directory_name": cert.subject}),
            }
        )
        content = tst_info.dump()
        digest_algorithm, signature_algorithm = algorithms.signing_algorithms(self.identity.private_key)
        attrs = [
            acms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            acms.CMSAttribute({"type": "signing_time", "values": [acms.Time({"utc_time": gen_time})]}),
            acms.CMSAttribute(
                {"type": "message_digest", "values": [algorithms.digest(digest_algorithm, content)]}
            ),
            acms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        tsp.SigningCertificateV2(
                            {
                                "certs": [
                                    tsp.ESSCertIDv2(
                                        {
                                            "hash_algorithm": {"algorithm": "sha256"},
                                            "cert_hash": hashlib.sha256(cert.dump()).digest(),
                                            "issuer_serial": {
                                                "issuer": [
                                                    ax509.GeneralName({"directory_name": cert.issuer})
                                                ],
                                                "serial_number": cert.serial_number,
                                            },
                                        }
                                    )
                                ]
                            }
                        )
                    ],
                }
            ),
        ]
        attrs.sort(key=lambda a: a.dump())  # DER order of a SET OF
        signed_attrs = acms.CMSAttributes(attrs)
        signature = algorithms.sign(self.identity.private_key, signed_attrs.dump())
        signer_info = acms.SignerInfo(
            {
                "version": "v1",
                "sid": {
                    "issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}
                },
                "digest_algorithm": {"algorithm": digest_algorithm},
                "signed_attrs": signed_attrs,
                "signature_algorithm": {
                    "algorithm": signature_algorithm,
                    "parameters": algorithms.signature_parameters(signature_algorithm),
                },
                "signature": signature,
            }
        )
        signed_data = acms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [{"algorithm": digest_algorithm}],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": core.ParsableOctetString(content),
                },
                "certificates": [cert] if include_certificate else None,
                "signer_infos": [signer_info],
            }
        )
        return acms.ContentInfo({"content_type": "signed_data", "content": signed_data})


def _refusal(failure: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo({"status": "rejection", "status_string": [text], "fail_info": {failure}})
    return bytes(_TimeStampResp({"status": status}).dump())


# --- HTTP --------------------------------------------------------------------------------------


def make_server(authority: TimeStampAuthority, *, host: str = HOST, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "TorelikTSA/1"

        def do_POST(self) -> None:
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type != CONTENT_TYPE_QUERY:
                self._plain(415, f"Send {CONTENT_TYPE_QUERY}.")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._plain(411, "Content-Length is required.")
                return
            if length < 0 or length > MAX_REQUEST_BYTES:
                self._plain(413, "The request is too large.")
                return
            body = authority.respond(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPE_REPLY)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._plain(405, f"POST a DER TimeStampReq as {CONTENT_TYPE_QUERY}.")

        def _plain(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("tsa %s", format % args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def start_tsa_in_thread(pki: DemoPki, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Serve the demo TSA on 127.0.0.1 from a background thread; returns (url, stop)."""
    server = make_server(TimeStampAuthority(ensure_tsa_identity(pki)), port=port)
    thread = threading.Thread(target=server.serve_forever, name="tsa", daemon=True)
    thread.start()
    bound = server.server_address[1]

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    return f"http://{HOST}:{bound}/", stop


# --- the client --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeStamp:
    """A checked time-stamp token."""

    token: acms.ContentInfo
    gen_time: datetime
    serial_number: int
    policy: str
    tsa_certificate: x509.Certificate

    @property
    def token_der(self) -> bytes:
        return bytes(self.token.dump())

    @property
    def tsa_name(self) -> str:
        return dn_string(self.tsa_certificate.subject)


def request_timestamp(*, message: bytes, url: str | None = None, timeout: float | None = None) -> TimeStamp:
    """A time-stamp over SHA-256(message) from the TSA at `url` (default `tsa_url()`), checked."""
    url = url or tsa_url()
    if not url.startswith(("http://", "https://")):
        raise SignatureError("tsa_unavailable", _("The time-stamping service address is not http(s)."))
    imprint = hashlib.sha256(message).digest()
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": imprint},
            "nonce": nonce,
            "cert_req": True,
        }
    )
    http_request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=request.dump(),
        headers={"Content-Type": CONTENT_TYPE_QUERY, "Accept": CONTENT_TYPE_REPLY},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http_request, timeout=timeout or tsa_timeout()) as reply:  # noqa: S310
            body = reply.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("TSA %s unreachable: %s", url, exc)
        raise SignatureError(
            "tsa_unavailable", _("The time-stamping service does not answer. Try again later.")
        ) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise _bad_reply(_("the answer is too large."))
    try:
        response = _TimeStampResp.load(body, strict=True)
        status = response["status"]["status"].native
    except (ValueError, TypeError, KeyError):
        raise _bad_reply(_("it is not a TimeStampResp.")) from None
    if status not in ("granted", "granted_with_mods"):
        texts = response["status"]["status_string"].native or []
        raise SignatureError(
            "tsa_refused",
            _("The time-stamping service refused: %(reason)s") % {"reason": "; ".join(texts) or status},
        )
    token = response["time_stamp_token"]
    if isinstance(token, core.Void):
        raise _bad_reply(_("it grants a time-stamp but carries no token."))
    return check_timestamp_token(token=token, message_imprint=imprint, nonce=nonce)


def _bad_reply(detail: str) -> SignatureError:
    return SignatureError(
        "tsa_response_invalid",
        _("The time-stamping service's answer cannot be accepted: %(detail)s") % {"detail": detail},
    )


def check_timestamp_token(
    *, token: acms.ContentInfo | bytes, message_imprint: bytes, nonce: int | None = None
) -> TimeStamp:
    """Check a token stamps `message_imprint` (SHA-256), is signed by a trusted TSA, and echoes `nonce`."""
    try:
        info = token if isinstance(token, acms.ContentInfo) else acms.ContentInfo.load(token, strict=True)
        if info["content_type"].native != "signed_data":
            raise _bad_reply(_("the token is not SignedData."))
        signed_data = info["content"]
        if signed_data["encap_content_info"]["content_type"].native != "tst_info":
            raise _bad_reply(_("the token does not hold a TSTInfo."))
        content = bytes(signed_data["encap_content_info"]["content"].contents)
        tst_info = tsp.TSTInfo.load(content)
        imprint = tst_info["message_imprint"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise _bad_reply(_("the token must carry one signature."))
        signer_info = signer_infos[0]
        native_tst = tst_info.native
    except SignatureError:
        raise
    except (ValueError, TypeError, KeyError, IndexError):
        raise _bad_reply(_("the token cannot be read.")) from None
    if imprint["hash_algorithm"]["algorithm"].native != "sha256" or bytes(
        imprint["hashed_message"].native
    ) != bytes(message_imprint):
        raise _bad_reply(_("the token stamps other data."))
    if nonce is not None and native_tst["nonce"] != nonce:
        raise _bad_reply(_("the token answers another request."))
    cert = _token_signer(signed_data, signer_info)
    _check_token_signature(signer_info, content, cert)
    eku = _extended_key_usage(cert)
    if eku is None or not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise _bad_reply(_("the signer's certificate is not a time-stamping certificate."))
    chain = build_chain(cert, intermediates=_other_certificates(signed_data, cert), store=load_trust_store())
    if chain is None:
        raise SignatureError(
            "tsa_untrusted",
            _("The time-stamping service's certificate was issued by “%(issuer)s”, which is not trusted.")
            % {"issuer": dn_string(cert.issuer)},
        )
    gen_time = native_tst["gen_time"]
    if not (cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc):
        raise _bad_reply(_("the time-stamp lies outside its certificate's validity."))
    return TimeStamp(
        token=info,
        gen_time=gen_time,
        serial_number=int(native_tst["serial_number"]),
        policy=str(native_tst["policy"]),
        tsa_certificate=cert,
    )


def _token_signer(signed_data: acms.SignedData, signer_info: acms.SignerInfo) -> x509.Certificate:
    sid = signer_info["sid"]
    certificates = signed_data["certificates"]
    for choice in [] if isinstance(certificates, core.Void) else certificates:
        if choice.name != "certificate":
            continue
        if identifies(sid, choice.chosen):
            return x509.load_der_x509_certificate(choice.chosen.dump())
    raise _bad_reply(_("the token does not include the service's certificate."))


def _other_certificates(signed_data: acms.SignedData, signer: x509.Certificate) -> list[x509.Certificate]:
    certificates = signed_data["certificates"]
    found: list[x509.Certificate] = []
    for choice in [] if isinstance(certificates, core.Void) else certificates:
        if choice.name == "certificate":
            cert = x509.load_der_x509_certificate(choice.chosen.dump())
            if cert != signer:
                found.append(cert)
    return found


def _check_token_signature(signer_info: acms.SignerInfo, content: bytes, cert: x509.Certificate) -> None:
    digest_algorithm = str(signer_info["digest_algorithm"]["algorithm"].native)
    signature_algorithm = str(signer_info["signature_algorithm"]["algorithm"].native)
    if not algorithms.is_supported_digest(digest_algorithm):
        raise _bad_reply(_("the token uses an unsupported digest."))
    signed_attrs = signer_info["signed_attrs"]
    if isinstance(signed_attrs, core.Void):
        raise _bad_reply(_("the token has no signed attributes."))
    digests = [a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"]
    if digests != [algorithms.digest(digest_algorithm, content)]:
        raise _bad_reply(_("the token's signature does not cover its content."))
    if not algorithms.verify(
        cert.public_key(),
        signature_algorithm=signature_algorithm,
        digest_algorithm=digest_algorithm,
        signature=bytes(signer_info["signature"].native),
        data=b"\x31" + signed_attrs.dump()[1:],
    ):
        raise _bad_reply(_("the token's signature does not verify."))


def _extended_key_usage(cert: x509.Certificate) -> x509.Extension[x509.ExtendedKeyUsage] | None:
    try:
        return cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return None
