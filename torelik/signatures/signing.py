"""Making CMS signatures: for tests, benchmarks and the local NCALayer-compatible signer.

The CMS is what NCALayer returns for `format: "cms"`: SignedData with one SignerInfo, the
signer's certificate, and signed attributes contentType, signingTime and messageDigest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import cms as acms
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.utils.translation import gettext as _

from torelik.signatures import algorithms
from torelik.signatures.certificates import SubjectInfo, subject_info
from torelik.signatures.errors import SignatureError


@dataclass(frozen=True)
class SigningKey:
    private_key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default=())

    @property
    def subject(self) -> SubjectInfo:
        return subject_info(self.certificate)

    @property
    def iin(self) -> str:
        return self.subject.iin

    @property
    def bin(self) -> str:
        return self.subject.bin


def load_p12(path: Path | str, password: str) -> SigningKey:
    """Open a PKCS#12 key store (NCA's .p12 files) holding one key and its certificate."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SignatureError(
            "key_unreadable", _("The key file %(path)s cannot be read.") % {"path": path}, field="key"
        ) from exc
    try:
        bundle = pkcs12.load_pkcs12(data, password.encode())
    except ValueError as exc:
        raise SignatureError(
            "key_unreadable",
            _("The key file %(path)s cannot be opened: wrong password or not a PKCS#12 file.")
            % {"path": path},
            field="key",
        ) from exc
    if bundle.key is None or bundle.cert is None:
        raise SignatureError(
            "key_unreadable",
            _("The key file %(path)s holds no key with a certificate.") % {"path": path},
            field="key",
        )
    return SigningKey(
        private_key=bundle.key,
        certificate=bundle.cert.certificate,
        chain=tuple(c.certificate for c in bundle.additional_certs),
    )


def sign_cms(*, key: SigningKey, data: bytes, detached: bool, signing_time: datetime | None = None) -> bytes:
    """DER CMS SignedData over `data`; with `detached` the content is left out."""
    digest_algorithm, _sig = algorithms.signing_algorithms(key.private_key)
    return _signed_data(
        key=key,
        message_digest=algorithms.digest(digest_algorithm, data),
        content=None if detached else data,
        signing_time=signing_time,
    )


def sign_cms_digest(*, key: SigningKey, message_digest: bytes, signing_time: datetime | None = None) -> bytes:
    """Detached CMS from a digest computed elsewhere (NCALayer's `digested: true`)."""
    return _signed_data(key=key, message_digest=message_digest, content=None, signing_time=signing_time)


def _signed_data(
    *, key: SigningKey, message_digest: bytes, content: bytes | None, signing_time: datetime | None
) -> bytes:
    digest_algorithm, signature_algorithm = algorithms.signing_algorithms(key.private_key)
    cert = ax509.Certificate.load(key.certificate.public_bytes(Encoding.DER))
    when = (signing_time or datetime.now(UTC)).replace(microsecond=0)
    attrs = [
        acms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        acms.CMSAttribute({"type": "signing_time", "values": [acms.Time({"utc_time": when})]}),
        acms.CMSAttribute({"type": "message_digest", "values": [message_digest]}),
    ]
    # DER sorts a SET OF by encoding; verifiers (OpenSSL among them) re-encode the attributes
    # before checking the signature, so an unsorted set would not verify there.
    attrs.sort(key=lambda a: a.dump())
    signed_attrs = acms.CMSAttributes(attrs)
    signature = algorithms.sign(key.private_key, signed_attrs.dump())
    signer_info = acms.SignerInfo(
        {
            "version": "v1",
            "sid": acms.SignerIdentifier(
                {
                    "issuer_and_serial_number": acms.IssuerAndSerialNumber(
                        {"issuer": cert.issuer, "serial_number": cert.serial_number}
                    )
                }
            ),
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
            "version": "v1",
            "digest_algorithms": [{"algorithm": digest_algorithm}],
            "encap_content_info": {"content_type": "data", "content": content},
            "certificates": [cert],
            "signer_infos": [signer_info],
        }
    )
    return bytes(acms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())
