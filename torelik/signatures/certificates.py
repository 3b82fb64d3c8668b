"""What an NCA RK-style certificate says about its holder.

NCA puts the IIN in the subject as SERIALNUMBER=IIN<12 digits>, the organisation's BIN as
OU=BIN<12 digits>, "SURNAME NAME" in CN and the patronymic in GIVENNAME.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_IIN = re.compile(r"IIN(\d{12})")
_BIN = re.compile(r"BIN(\d{12})")

# NCA RK's key-purpose OIDs, carried in extendedKeyUsage next to clientAuth/emailProtection.
OID_NCA_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
OID_NCA_ORGANISATION = x509.ObjectIdentifier("1.2.398.3.3.4.1.2")
OID_NCA_ORGANISATION_HEAD = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.1")
SIGNING_PURPOSES = (ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH)


@dataclass(frozen=True)
class SubjectInfo:
    iin: str
    bin: str
    common_name: str
    surname: str
    patronymic: str
    organisation: str

    @property
    def full_name(self) -> str:
        """CN plus the patronymic, the way NCA-based systems print a signer."""
        if self.patronymic and not self.common_name.endswith(self.patronymic):
            return f"{self.common_name} {self.patronymic}".strip()
        return self.common_name


def _values(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(attr.value) for attr in name.get_attributes_for_oid(oid)]


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = _values(name, oid)
    return values[0] if values else ""


def subject_info(cert: x509.Certificate) -> SubjectInfo:
    subject = cert.subject
    iin = next((m.group(1) for v in _values(subject, NameOID.SERIAL_NUMBER) if (m := _IIN.fullmatch(v))), "")
    bin_ = next(
        (m.group(1) for v in _values(subject, NameOID.ORGANIZATIONAL_UNIT_NAME) if (m := _BIN.fullmatch(v))),
        "",
    )
    return SubjectInfo(
        iin=iin,
        bin=bin_,
        common_name=_first(subject, NameOID.COMMON_NAME),
        surname=_first(subject, NameOID.SURNAME),
        patronymic=_first(subject, NameOID.GIVEN_NAME),
        organisation=_first(subject, NameOID.ORGANIZATION_NAME),
    )


def extended_key_usages(cert: x509.Certificate) -> list[str]:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return []
    return [oid.dotted_string for oid in eku]


def key_usage_allows_signing(cert: x509.Certificate) -> bool:
    """No keyUsage extension means no restriction (RFC 5280); otherwise it must allow signatures."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    """OCSP responders named in the certificate's Authority Information Access."""
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [
        str(d.access_location.value)
        for d in aia
        if d.access_method == x509.AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]


def dn_string(name: x509.Name) -> str:
    """A distinguished name in certificate order ("CN=..., O=..., C=KZ"), as NCA tools print it."""
    return ", ".join(rdn.rfc4514_string() for rdn in name.rdns)
