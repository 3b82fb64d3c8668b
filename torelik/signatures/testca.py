"""The built-in test CA: a root, demo keys for every role, a CRL and a TLS certificate.

Nothing here may be trusted in production: the CA's private key lies unencrypted in PKI_DIR so
the CRL, the OCSP test responder and the signer's TLS certificate can be re-issued from it.
Files (all in one directory; every .p12 has the password DEMO_P12_PASSWORD):
  torelik-test-ca.pem / .cer   root "Torelik Test CA" (PEM and DER)
  torelik-test-ca.key.pem      its private key
  torelik-test-ca.crl          DER CRL signed by the CA; lists the citizen2 certificate
  foreign-ca.pem               "Foreign CA", which no trust store holds
  <identity>.p12               see demo_identities.DEMO_IDENTITIES
  signer-tls.pem / .key.pem    TLS certificate for wss://127.0.0.1 (`torelik signer --tls`)
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from torelik.signatures.certificates import (
    OID_NCA_INDIVIDUAL,
    OID_NCA_ORGANISATION,
    OID_NCA_ORGANISATION_HEAD,
    subject_info,
)
from torelik.signatures.demo_identities import DEMO_IDENTITIES, DEMO_P12_PASSWORD, DemoIdentity, demo_identity
from torelik.signatures.signing import SigningKey, load_p12

if TYPE_CHECKING:
    from torelik.signatures.models import TrustedCertificate

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX systems lock nothing
    fcntl = None  # type: ignore[assignment]

CA_NAME = "Torelik Test CA"
FOREIGN_CA_NAME = "Foreign CA"
CA_CERT_FILE = "torelik-test-ca.pem"
CA_DER_FILE = "torelik-test-ca.cer"
CA_KEY_FILE = "torelik-test-ca.key.pem"
CRL_FILE = "torelik-test-ca.crl"
FOREIGN_CA_CERT_FILE = "foreign-ca.pem"
TLS_CERT_FILE = "signer-tls.pem"
TLS_KEY_FILE = "signer-tls.key.pem"
README_FILE = "README.txt"

CA_KEY_SIZE = 3072
LEAF_KEY_SIZE = 2048
# People's keys are valid from this long before the PKI is made, so the living demo's history
# (`torelik.demo.living`, which starts up to seven months back) is signed within their validity.
LEAF_VALID_BEFORE = timedelta(days=400)
LEAF_LIFETIME = timedelta(days=3 * 365)
# A CRL closer than this to its nextUpdate is re-issued by ensure_demo_pki.
CRL_LIFETIME = timedelta(days=365)
CRL_RENEW_BEFORE = timedelta(days=30)

# Keys are the slow part (RSA generation); a process makes each one once, whatever the directory.
_KEYS: dict[str, rsa.RSAPrivateKey] = {}
_KEYS_LOCK = threading.Lock()
_ENSURED: dict[Path, DemoPki] = {}
_SIGNING_KEYS: dict[tuple[str, int], SigningKey] = {}


@dataclass(frozen=True)
class DemoPki:
    directory: Path
    password: str = DEMO_P12_PASSWORD

    @property
    def ca_cert_path(self) -> Path:
        return self.directory / CA_CERT_FILE

    @property
    def ca_key_path(self) -> Path:
        return self.directory / CA_KEY_FILE

    @property
    def crl_path(self) -> Path:
        return self.directory / CRL_FILE

    @property
    def foreign_ca_cert_path(self) -> Path:
        return self.directory / FOREIGN_CA_CERT_FILE

    @property
    def tls_cert_path(self) -> Path:
        return self.directory / TLS_CERT_FILE

    @property
    def tls_key_path(self) -> Path:
        return self.directory / TLS_KEY_FILE

    def p12_path(self, key: str) -> Path:
        return self.directory / demo_identity(key).p12_filename

    def identity(self, key: str) -> DemoIdentity:
        return demo_identity(key)

    def ca_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.ca_cert_path.read_bytes())

    def ca_der(self) -> bytes:
        return self.ca_certificate().public_bytes(serialization.Encoding.DER)

    def ca_private_key(self) -> rsa.RSAPrivateKey:
        # Our own file: skip the slow RSA consistency check.
        key = serialization.load_pem_private_key(
            self.ca_key_path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
        )
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError(f"{self.ca_key_path} does not hold an RSA key")
        return key

    def crl(self) -> x509.CertificateRevocationList:
        return x509.load_der_x509_crl(self.crl_path.read_bytes())

    def signing_key(self, key: str) -> SigningKey:
        """The identity's key, opened once per process (PKCS#12 decryption is deliberately slow)."""
        path = self.p12_path(key)
        cache_key = (str(path), path.stat().st_mtime_ns)
        if cache_key not in _SIGNING_KEYS:
            _SIGNING_KEYS[cache_key] = load_p12(path, self.password)
        return _SIGNING_KEYS[cache_key]


# Key usage of an end-entity signing key (people, the time-stamping service): sign and commit.
SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def ensure_demo_pki(pki_dir: Path, *, force: bool = False) -> DemoPki:
    """Write the demo PKI into `pki_dir`, keeping what is already there unless `force`.

    Safe to call from several processes at once (a file lock serialises the writers) and cheap
    to call again in the same process.
    """
    pki_dir = Path(pki_dir).resolve()
    pki = _ENSURED.get(pki_dir)
    if pki is not None and not force and pki.ca_cert_path.exists():
        return pki
    pki_dir.mkdir(parents=True, exist_ok=True)
    pki = DemoPki(directory=pki_dir)
    with _locked(pki_dir / ".lock"):
        _generate(pki, force=force)
    _ENSURED[pki_dir] = pki
    return pki


def install_demo_trust(pki: DemoPki) -> TrustedCertificate:
    """Put the test CA into the trust store (the database); idempotent."""
    from torelik.signatures.services import trust_certificate

    return trust_certificate(der=pki.ca_der(), name=CA_NAME)


# --- generation -------------------------------------------------------------------------------


def _generate(pki: DemoPki, *, force: bool) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    if force or not (pki.ca_cert_path.exists() and pki.ca_key_path.exists()):
        # A new CA invalidates everything it issued before.
        for name in [
            CA_CERT_FILE,
            CA_DER_FILE,
            CA_KEY_FILE,
            CRL_FILE,
            FOREIGN_CA_CERT_FILE,
            TLS_CERT_FILE,
            TLS_KEY_FILE,
        ] + [i.p12_filename for i in DEMO_IDENTITIES]:
            (pki.directory / name).unlink(missing_ok=True)
        ca_key = _key("ca", CA_KEY_SIZE)
        ca_cert = _ca_certificate(CA_NAME, ca_key, now)
        _write(pki.ca_key_path, _private_pem(ca_key), mode=0o600)
        _write(pki.ca_cert_path, ca_cert.public_bytes(serialization.Encoding.PEM))
        _write(pki.directory / CA_DER_FILE, ca_cert.public_bytes(serialization.Encoding.DER))
    ca_cert = pki.ca_certificate()
    ca_key = pki.ca_private_key()

    for ident in DEMO_IDENTITIES:
        if ident.key == "foreign" or pki.p12_path(ident.key).exists():
            continue
        _check_iin(ident.iin)
        if ident.bin:
            _check_iin(ident.bin)
        if ident.key == "expired":
            # It ended before the other keys began: never valid at a moment they are.
            not_before = now - LEAF_VALID_BEFORE - timedelta(days=400)
            not_after = now - LEAF_VALID_BEFORE - timedelta(days=30)
        else:
            not_before, not_after = now - LEAF_VALID_BEFORE, now + LEAF_LIFETIME
        leaf_key = _key(ident.key, LEAF_KEY_SIZE)
        cert = _leaf_certificate(ident, leaf_key, ca_cert, ca_key, not_before, not_after)
        _write(pki.p12_path(ident.key), _p12(ident, leaf_key, cert, ca_cert, pki.password), mode=0o600)

    if not (pki.p12_path("foreign").exists() and pki.foreign_ca_cert_path.exists()):
        foreign_ca_key = _key("foreign_ca", LEAF_KEY_SIZE)
        foreign_ca = _ca_certificate(FOREIGN_CA_NAME, foreign_ca_key, now)
        ident = demo_identity("foreign")
        leaf_key = _key("foreign", LEAF_KEY_SIZE)
        cert = _leaf_certificate(
            ident,
            leaf_key,
            foreign_ca,
            foreign_ca_key,
            now - timedelta(days=1),
            now + timedelta(days=3 * 365),
        )
        _write(pki.foreign_ca_cert_path, foreign_ca.public_bytes(serialization.Encoding.PEM))
        _write(pki.p12_path("foreign"), _p12(ident, leaf_key, cert, foreign_ca, pki.password), mode=0o600)

    revoked = load_p12(pki.p12_path("citizen_revoked"), pki.password).certificate
    if _crl_needs_renewal(pki, ca_cert, revoked, now):
        _write(pki.crl_path, _crl(ca_cert, ca_key, [revoked], now).public_bytes(serialization.Encoding.DER))

    if not (pki.tls_cert_path.exists() and pki.tls_key_path.exists()):
        tls_key = _key("tls", LEAF_KEY_SIZE)
        _write(pki.tls_key_path, _private_pem(tls_key), mode=0o600)
        tls_cert = _tls_certificate(tls_key, ca_cert, ca_key, now)
        _write(pki.tls_cert_path, tls_cert.public_bytes(serialization.Encoding.PEM))

    _write(pki.directory / README_FILE, _readme(pki).encode())


def _key(name: str, size: int) -> rsa.RSAPrivateKey:
    with _KEYS_LOCK:
        if name not in _KEYS:
            _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=size)
        return _KEYS[name]


def _ca_certificate(name: str, key: rsa.RSAPrivateKey, now: datetime) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3 * 365))
        .not_valid_after(now + timedelta(days=15 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _subject(ident: DemoIdentity | PersonSubject) -> x509.Name:
    # NCA RK order: CN, SURNAME, SERIALNUMBER, C, O, OU, GIVENNAME.
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, ident.common_name),
        x509.NameAttribute(NameOID.SURNAME, ident.surname),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{ident.iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if ident.organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, ident.organisation))
    if ident.bin:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{ident.bin}"))
    if ident.patronymic:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, ident.patronymic))
    return x509.Name(attrs)


@dataclass(frozen=True)
class PersonSubject:
    """Who a key issued by `issue_person_key` belongs to: a person outside DEMO_IDENTITIES."""

    iin: str
    surname: str
    given_name: str
    patronymic: str = ""
    organisation: str = ""
    bin: str = ""

    @classmethod
    def of_full_name(cls, full_name: str, *, iin: str) -> PersonSubject:
        """From "SURNAME NAME PATRONYMIC" (as the register of judges writes a name)."""
        parts = full_name.split()
        if len(parts) < 2:
            raise ValueError(f"{full_name!r} is not a full name")
        return cls(iin=iin, surname=parts[0], given_name=parts[1], patronymic=" ".join(parts[2:]))

    @property
    def common_name(self) -> str:
        return f"{self.surname} {self.given_name}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


def issue_person_key(pki: DemoPki, person: PersonSubject, *, p12_path: Path | None = None) -> SigningKey:
    """A signing key of `person` from the test CA (the living demo's judges sign with these).

    With `p12_path` the key is kept there (password DEMO_P12_PASSWORD, as every demo key) and a
    key already there is reused while it is the same person's and chains to the current CA; the
    demo signer can then hold it (`torelik signer --key`). Without, the key lives in memory only.
    """
    if p12_path is not None and p12_path.exists():
        found = load_p12(p12_path, pki.password)
        ca = pki.ca_certificate()
        if found.certificate.issuer == ca.subject and subject_info(found.certificate).iin == person.iin:
            return found
    now = datetime.now(UTC).replace(microsecond=0)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=LEAF_KEY_SIZE)
    ca_cert = pki.ca_certificate()
    cert = _leaf_certificate(
        person, leaf_key, ca_cert, _ca_key(pki), now - LEAF_VALID_BEFORE, now + LEAF_LIFETIME
    )
    if p12_path is not None:
        p12_path.parent.mkdir(parents=True, exist_ok=True)
        _write(p12_path, _p12(person, leaf_key, cert, ca_cert, pki.password), mode=0o600)
    return SigningKey(private_key=leaf_key, certificate=cert, chain=(ca_cert,))


_CA_KEYS: dict[Path, rsa.RSAPrivateKey] = {}


def _ca_key(pki: DemoPki) -> rsa.RSAPrivateKey:
    if pki.directory not in _CA_KEYS:
        _CA_KEYS[pki.directory] = pki.ca_private_key()
    return _CA_KEYS[pki.directory]


def _leaf_certificate(
    ident: DemoIdentity | PersonSubject,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    # One key both authenticates and signs (NCA issues separate AUTH and SIGN keys; the demo
    # keeps one per person): clientAuth + emailProtection plus NCA's holder-type purpose.
    purposes = [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
    purposes += [OID_NCA_ORGANISATION, OID_NCA_ORGANISATION_HEAD] if ident.bin else [OID_NCA_INDIVIDUAL]
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_subject(ident))
        .issuer_name(issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            SIGNING_KEY_USAGE,
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(purposes), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )


def _tls_certificate(
    key: rsa.RSAPrivateKey, issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey, now: datetime
) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )


def _crl(
    ca_cert: x509.Certificate, ca_key: rsa.RSAPrivateKey, revoked: list[x509.Certificate], now: datetime
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + CRL_LIFETIME)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - timedelta(hours=2))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256())


def _crl_needs_renewal(
    pki: DemoPki, ca_cert: x509.Certificate, revoked: x509.Certificate, now: datetime
) -> bool:
    if not pki.crl_path.exists():
        return True
    try:
        crl = pki.crl()
    except ValueError:
        return True
    next_update = crl.next_update_utc
    return (
        crl.issuer != ca_cert.subject
        or not crl.is_signature_valid(ca_cert.public_key())  # type: ignore[arg-type]
        or crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is None
        or next_update is None
        or next_update - now < CRL_RENEW_BEFORE
    )


def _p12(
    ident: DemoIdentity | PersonSubject,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    ca: x509.Certificate,
    password: str,
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=ident.full_name.encode(),
        key=key,
        cert=cert,
        cas=[ca],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    # Write then rename, so a reader in another process never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.chmod(mode)
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _iin_check_digit(first11: str) -> int | None:
    """Check digit of an IIN/BIN: weights 1..11, then 3..11,1,2 when the first pass gives 10."""
    digits = [int(c) for c in first11]
    for weights in (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def _check_iin(number: str) -> None:
    if len(number) != 12 or not number.isdigit() or _iin_check_digit(number[:11]) != int(number[11]):
        raise ValueError(f"demo identity number {number} has a wrong check digit")


def _readme(pki: DemoPki) -> str:
    lines = [
        "Torelik demo PKI -- for development and tests only; never trust this CA in production.",
        "",
        f"Root: {CA_NAME} ({CA_CERT_FILE}, DER {CA_DER_FILE}); CRL: {CRL_FILE}.",
        f"Every .p12 file has the password: {pki.password}",
        "Trust the CA in a database with: torelik trust-ca " + str(pki.ca_cert_path),
        "",
        "File                      Key               IIN           BIN           Name",
    ]
    for ident in DEMO_IDENTITIES:
        number = ident.bin or "-"
        lines.append(
            f"{ident.p12_filename:<25} {ident.key:<17} {ident.iin:<13} {number:<13} {ident.full_name}"
        )
    lines += [
        "",
        "citizen2-revoked.p12 is listed in the CRL; expired.p12 is out of date; foreign.p12 is issued",
        f"by {FOREIGN_CA_NAME} ({FOREIGN_CA_CERT_FILE}), which is not trusted.",
        f"{TLS_CERT_FILE} serves `torelik signer --tls` on wss://127.0.0.1:13579",
        "(the browser must trust the CA for that).",
        "",
    ]
    return "\n".join(lines)
