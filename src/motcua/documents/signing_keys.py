"""Where the agencies' signing keys come from: PKCS#12 files (production) or a demo CA (tests).

**Production.** Each issuing agency signs with its organisation certificate (*chứng thư số của cơ
quan, tổ chức*), exported as a PKCS#12 file: ``$MOTCUA_SIGNING_PKCS12_DIR/<agency code>.p12``
(or the agency's QĐ 20/2020 sharing code), else one file for the whole province
(``MOTCUA_SIGNING_PKCS12_FILE``). A certificate issued by the demo CA is refused in production.

**Development, demo and tests.** ``DemoKeyStore`` keeps a local certification authority named
``"MotCua Demo CA — không có giá trị pháp lý"`` and one certificate per agency under
``$MOTCUA_DATA_DIR/signing-demo/``, generated on first use (like the test identity provider's key,
``integrations/identity/keys.py``). Each file is written once, atomically (a hard link of a
finished temporary file), so two processes starting together end up with the same CA.

Hardware tokens at the desk and remote signing services (VNPT SmartCA, Viettel MySign…) are other
adapters behind ``documents.signing.ResultSigner``, not key stores (docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from motcua.organizations.models import Agency

#: The demo CA's name says plainly, in Vietnamese, that it has no legal value.
DEMO_CA_NAME = "MotCua Demo CA — không có giá trị pháp lý"
DEMO_ORGANISATION = "MotCua (thử nghiệm)"
#: Fixed validity so that tests that move the clock (time-machine) still sign with valid
#: certificates: from 2020 to 2050.
_DEMO_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_DEMO_UNTIL = dt.datetime(2049, 12, 31, tzinfo=dt.UTC)
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


class SigningUnavailable(Exception):  # noqa: N818 - reads as what happened
    """A configured key exists but cannot be used (wrong password, damaged, demo in production)."""


@dataclass(frozen=True)
class SigningKey:
    """A private key, its certificate and the issuers' certificates (embedded in signatures)."""

    private_key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    source: str  # "demo" or the PKCS#12 file name

    @property
    def demo(self) -> bool:
        return is_demo_certificate(self.certificate)


class KeyStore(Protocol):
    """Finds the key an agency signs its results with (None: this store has none for it)."""

    def key_for(self, agency: Agency) -> SigningKey | None: ...


def is_demo_certificate(certificate: x509.Certificate) -> bool:
    """Issued by (or being) a MotCua demo CA, whichever installation generated it."""
    names = certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    return any(str(name.value) == DEMO_CA_NAME for name in names)


def _publish_once(path: Path, content: bytes) -> bytes:
    """Write ``content`` at ``path`` unless another process did first; what is there now."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(content)
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)  # atomic, and fails when the file exists: the first one wins
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes()


def _pem(key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + certificate.public_bytes(serialization.Encoding.PEM)


def _read_pem(content: bytes) -> tuple[PrivateKeyTypes, x509.Certificate]:
    key = serialization.load_pem_private_key(content, password=None)
    return key, x509.load_pem_x509_certificate(content)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation: what a signed result must guarantee
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _fit(agency: Agency) -> str:
    """The agency's name within X.520's 64 characters (its short name when the name is longer)."""
    if len(agency.name) <= 64:
        return agency.name
    return (agency.short_name if 0 < len(agency.short_name) <= 64 else agency.name)[:64]


class DemoKeyStore:
    """The demo CA and one certificate per agency version, generated on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._ca: tuple[PrivateKeyTypes, x509.Certificate] | None = None
        self._keys: dict[str, SigningKey] = {}

    def ca_certificate(self) -> x509.Certificate:
        """The demo CA's certificate (trusted when checking signatures outside production)."""
        return self._load_ca()[1]

    def _load_ca(self) -> tuple[PrivateKeyTypes, x509.Certificate]:
        if self._ca is None:
            path = self.folder / "demo-ca.pem"
            if not path.exists():
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                name = x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
                        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
                    ]
                )
                certificate = (
                    x509.CertificateBuilder()
                    .subject_name(name)
                    .issuer_name(name)
                    .public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(_DEMO_FROM)
                    .not_valid_after(_DEMO_UNTIL + dt.timedelta(days=1))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(_usage(ca=True), critical=True)
                    .add_extension(
                        x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                        critical=False,
                    )
                    .sign(key, hashes.SHA256())
                )
                _publish_once(path, _pem(key, certificate))
            self._ca = _read_pem(path.read_bytes())
        return self._ca

    def key_for(self, agency: Agency) -> SigningKey:
        """The agency version's demo certificate (subject: its name, its parent's name, VN)."""
        label = f"{agency.code}_{agency.valid_from:%Y%m%d}"
        with self._lock:
            if label in self._keys:
                return self._keys[label]
            ca_key, ca_certificate = self._load_ca()
            file_name = label if _SAFE_NAME.fullmatch(label) else f"agency-{agency.pk}"
            path = self.folder / "agencies" / f"{file_name}.pem"
            if not path.exists():
                _publish_once(path, self._new_agency_pem(agency, ca_key, ca_certificate))
            key, certificate = _read_pem(path.read_bytes())
            found = SigningKey(key, certificate, (ca_certificate,), "demo")
            self._keys[label] = found
            return found

    @staticmethod
    def _new_agency_pem(
        agency: Agency, ca_key: PrivateKeyTypes, ca_certificate: x509.Certificate
    ) -> bytes:
        assert isinstance(ca_key, rsa.RSAPrivateKey)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        parent = agency.parent if agency.parent_id and agency.parent else agency
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(parent)),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency.code[:64]),
                x509.NameAttribute(NameOID.COMMON_NAME, _fit(agency)),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_DEMO_FROM)
            .not_valid_after(_DEMO_UNTIL)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        return _pem(key, certificate)


class Pkcs12KeyStore:
    """The agencies' own PKCS#12 files (one per agency code), else the province's one file."""

    def __init__(
        self,
        folder: Path | None,
        fallback: Path | None,
        password: str,
        *,
        production: bool,
    ) -> None:
        self.folder = folder
        self.fallback = fallback
        self.password = password.encode("utf-8") if password else None
        self.production = production
        self._lock = threading.Lock()
        self._loaded: dict[tuple[Path, int], SigningKey] = {}

    def _candidates(self, agency: Agency) -> list[Path]:
        found: list[Path] = []
        if self.folder is not None:
            for code in (agency.code, agency.sharing_code):
                if code and _SAFE_NAME.fullmatch(code):
                    found += [self.folder / f"{code}.p12", self.folder / f"{code}.pfx"]
        if self.fallback is not None:
            found.append(self.fallback)
        return found

    def key_for(self, agency: Agency) -> SigningKey | None:
        for path in self._candidates(agency):
            if path.is_file():
                return self._load(path)
        return None

    def _load(self, path: Path) -> SigningKey:
        stamp = (path, path.stat().st_mtime_ns)
        with self._lock:
            if stamp in self._loaded:
                return self._loaded[stamp]
            try:
                key, certificate, others = pkcs12.load_key_and_certificates(
                    path.read_bytes(), self.password
                )
            except (ValueError, OSError) as error:
                raise SigningUnavailable(
                    f"{path.name}: cannot be opened (wrong password or not a PKCS#12 file)"
                ) from error
            if key is None or certificate is None:
                raise SigningUnavailable(f"{path.name}: holds no private key and certificate")
            if self.production and is_demo_certificate(certificate):
                raise SigningUnavailable(
                    f"{path.name}: a MotCua demo certificate is refused in production"
                )
            found = SigningKey(key, certificate, tuple(others), path.name)
            self._loaded[stamp] = found
            return found


class ChainedKeyStore:
    """The first store that has a key for the agency (PKCS#12 files before the demo CA)."""

    def __init__(self, *stores: KeyStore) -> None:
        self.stores = stores

    def key_for(self, agency: Agency) -> SigningKey | None:
        for store in self.stores:
            found = store.key_for(agency)
            if found is not None:
                return found
        return None


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM file (trust roots); DER files hold one."""
    content = path.read_bytes()
    if b"-----BEGIN" in content:
        return x509.load_pem_x509_certificates(content)
    return [x509.load_der_x509_certificate(content)]
