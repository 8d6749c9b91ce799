"""Digital signatures of electronic results: sign PDFs (PAdES) and check them, behind one interface.

The law (secondary sources, /work/shared/domain/forms-and-codes.md §6, integrations.md §7): an
electronic result carries the competent authority's digital signature and guarantees integrity
and non-repudiation (NĐ 45/2020 Art 14.3); Vietnamese agencies sign with the organisation's
certificate (NĐ 30/2020, unconfirmed here). MotCua therefore signs a result PDF that arrives
unsigned with the competent agency's certificate before storing it, keeps a PDF that an agency
already signed (its own USB token) as it is, and records what a check of the signatures found.

``ResultSigner`` is the interface: ``sign_pdf(data, agency=…)`` and ``verify_pdf(data)``.
``PyHankoSigner`` implements it with pyHanko (PAdES baseline B: CMS signature with the signing
certificate attribute, ``ETSI.CAdES.detached``, SHA-256, invisible signature field), keys from
``documents.signing_keys``. A remote signing service (VNPT SmartCA, Viettel MySign…) or a
PKCS#11 token would be another implementation of the same interface.

Known limits (docs/documents.md): no time-stamp authority (the signing time is the server's
clock, as the signer states it), no long-term validation data (LTV) and no revocation check
(OCSP/CRL) — certificates are checked against the configured roots at the time of checking.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    async_validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params

from motcua.core import clock
from motcua.documents.models import SignatureStatus
from motcua.documents.signing_keys import (
    ChainedKeyStore,
    DemoKeyStore,
    KeyStore,
    Pkcs12KeyStore,
    SigningKey,
    SigningUnavailable,
    is_demo_certificate,
    load_certificates,
)
from motcua.organizations.models import Agency

__all__ = [
    "NoCertificate",
    "PyHankoSigner",
    "ResultSigner",
    "SignatureInfo",
    "SignatureReport",
    "SigningUnavailable",
    "UnsignablePdf",
    "configured_signer",
    "seal_result",
]

logger = logging.getLogger(__name__)

#: The name of the signature field MotCua adds.
FIELD_NAME = "MotCua-KyKetQua"


class NoCertificate(Exception):  # noqa: N818 - reads as what happened
    """No certificate is configured for this agency: the result stays unsigned."""


class UnsignablePdf(Exception):  # noqa: N818 - reads as what happened
    """The file is not a PDF that can be read (damaged, encrypted)."""


@dataclass(frozen=True)
class SignatureInfo:
    """One signature found in a PDF and what checking it showed."""

    field: str
    signer: str  # the certificate's common name: the agency (or person) that signed
    organisation: str  # the certificate's organisation (O)
    issuer: str  # the certification authority's common name
    serial: str  # the certificate's serial number, hex
    signed_at: dt.datetime | None  # as the signer states it (no time-stamp authority)
    intact: bool  # the signed bytes are unchanged and the signature is mathematically right
    trusted: bool  # the certificate chains to a configured root and was valid when checked
    whole_document: bool  # nothing but signatures was added after it
    reason: str
    demo: bool  # issued by a MotCua demo CA (no legal value)

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted and self.whole_document

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "organisation": self.organisation,
            "issuer": self.issuer,
            "serial": self.serial,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "intact": self.intact,
            "trusted": self.trusted,
            "whole_document": self.whole_document,
            "reason": self.reason,
            "demo": self.demo,
            "valid": self.valid,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureInfo:
        signed_at = data.get("signed_at")
        return cls(
            field=str(data.get("field", "")),
            signer=str(data.get("signer", "")),
            organisation=str(data.get("organisation", "")),
            issuer=str(data.get("issuer", "")),
            serial=str(data.get("serial", "")),
            signed_at=dt.datetime.fromisoformat(signed_at) if signed_at else None,
            intact=bool(data.get("intact")),
            trusted=bool(data.get("trusted")),
            whole_document=bool(data.get("whole_document")),
            reason=str(data.get("reason", "")),
            demo=bool(data.get("demo")),
        )


@dataclass(frozen=True)
class SignatureReport:
    """What a file's signatures are worth: one entry per signature, oldest first."""

    is_pdf: bool
    signatures: tuple[SignatureInfo, ...] = ()
    error: str = ""  # why a PDF could not be read
    applied: bool = False  # MotCua signed it when storing it
    checked_at: dt.datetime | None = None

    @property
    def status(self) -> SignatureStatus:
        if not self.is_pdf:
            return SignatureStatus.NOT_PDF
        if self.error:
            return SignatureStatus.INVALID
        if not self.signatures:
            return SignatureStatus.UNSIGNED
        if not all(s.intact and s.whole_document for s in self.signatures):
            return SignatureStatus.INVALID
        if not all(s.trusted for s in self.signatures):
            return SignatureStatus.UNTRUSTED
        return SignatureStatus.VALID

    @property
    def valid(self) -> bool:
        return self.status == SignatureStatus.VALID

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "is_pdf": self.is_pdf,
            "applied": self.applied,
            "error": self.error,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "signatures": [s.as_dict() for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureReport:
        checked_at = data.get("checked_at")
        return cls(
            is_pdf=bool(data.get("is_pdf", True)),
            signatures=tuple(SignatureInfo.from_dict(s) for s in data.get("signatures", [])),
            error=str(data.get("error", "")),
            applied=bool(data.get("applied")),
            checked_at=dt.datetime.fromisoformat(checked_at) if checked_at else None,
        )


class ResultSigner(Protocol):
    """Signs result PDFs for an agency and checks the signatures of any PDF."""

    def sign_pdf(self, data: bytes, *, agency: Agency, reason: str = "") -> bytes:
        """``data`` with the agency's signature added (an incremental update of the PDF).

        Raises ``NoCertificate`` when no certificate is configured for the agency,
        ``SigningUnavailable`` when the configured one cannot be used and ``UnsignablePdf``
        when the file cannot be read as a PDF."""
        ...

    def verify_pdf(self, data: bytes) -> SignatureReport:
        """Every signature of ``data`` with its checks (never raises on a bad file)."""
        ...


def _run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine to its end, also from a thread that runs an event loop
    (Playwright's sync API in the browser tests): then in a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _name_part(name: Any, part: str) -> str:
    try:
        return str(name.native.get(part, "") or "")
    except (AttributeError, ValueError):
        return ""


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's ``SimpleSigner`` with the private key parsed once.

    ``SimpleSigner.sign_raw`` parses the DER key on every call, and ``cryptography`` checks an
    RSA key's consistency when it parses it (≈ 0.13 s for 2048 bits, twice per PDF: the size
    estimate and the signature); this keeps the parsed key (RSA and EC; others as pyHanko does).
    """

    def __init__(self, *, loaded_key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loaded_key = loaded_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        key = self._loaded_key
        if isinstance(key, rsa.RSAPrivateKey) and algorithm == "rsassa_pkcs1v15":
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if isinstance(key, rsa.RSAPrivateKey) and algorithm == "rsassa_pss":
            pss, hash_algorithm = process_pss_params(mechanism["parameters"])
            return key.sign(data, pss, hash_algorithm)
        if isinstance(key, ec.EllipticCurvePrivateKey) and algorithm == "ecdsa":
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return bytes(super().sign_raw(data, digest_algorithm))


class PyHankoSigner:
    """``ResultSigner`` with local keys (PKCS#12 files or the demo CA), implemented with pyHanko."""

    def __init__(self, keys: KeyStore, trust_roots: Sequence[x509.Certificate]) -> None:
        self.keys = keys
        self.trust_roots = [_asn1_certificate(c) for c in trust_roots]
        self._signers: dict[bytes, signers.SimpleSigner] = {}

    def _signer(self, key: SigningKey) -> signers.SimpleSigner:
        fingerprint = key.certificate.fingerprint(key.certificate.signature_hash_algorithm)  # type: ignore[arg-type]
        if fingerprint not in self._signers:
            der_key = key.private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            self._signers[fingerprint] = _LoadedKeySigner(
                loaded_key=key.private_key,
                signing_cert=_asn1_certificate(key.certificate),
                signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
                cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                    [_asn1_certificate(c) for c in key.chain]
                ),
            )
        return self._signers[fingerprint]

    def sign_pdf(self, data: bytes, *, agency: Agency, reason: str = "") -> bytes:
        key = self.keys.key_for(agency)
        if key is None:
            raise NoCertificate(agency.code)
        now = clock.now()
        certificate = key.certificate
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise SigningUnavailable(
                f"{key.source}: the certificate is valid from "
                f"{certificate.not_valid_before_utc:%Y-%m-%d} to "
                f"{certificate.not_valid_after_utc:%Y-%m-%d}"
            )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        except Exception as error:
            raise UnsignablePdf(str(error) or type(error).__name__) from error
        if writer.prev.encrypted:
            raise UnsignablePdf("encrypted PDF")
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        pdf_signer = signers.PdfSigner(metadata, signer=self._signer(key))
        try:
            output = _run(pdf_signer.async_sign_pdf(writer))
        except SigningUnavailable:
            raise
        except Exception as error:
            raise UnsignablePdf(str(error) or type(error).__name__) from error
        return bytes(output.getvalue())

    def verify_pdf(self, data: bytes) -> SignatureReport:
        now = clock.now()
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            if reader.encrypted:
                return SignatureReport(is_pdf=True, error="encrypted PDF", checked_at=now)
            embedded = list(reader.embedded_signatures)
        except Exception as error:  # noqa: BLE001 - any failure to parse means unreadable
            return SignatureReport(
                is_pdf=True, error=str(error) or type(error).__name__, checked_at=now
            )
        found = tuple(self._check(signature) for signature in embedded)
        return SignatureReport(is_pdf=True, signatures=found, checked_at=now)

    def _check(self, embedded: EmbeddedPdfSignature) -> SignatureInfo:
        context = ValidationContext(
            trust_roots=self.trust_roots, allow_fetching=False, revocation_mode="soft-fail"
        )
        reason = str(embedded.sig_object.get("/Reason", "") or "")
        try:
            certificate = embedded.signer_cert
            subject, issuer = certificate.subject, certificate.issuer
            serial = format(certificate.serial_number, "x")
            demo = is_demo_certificate(x509.load_der_x509_certificate(certificate.dump()))
        except Exception:  # noqa: BLE001 - a damaged signature container
            logger.info("signature %s: no readable signer certificate", embedded.field_name)
            return SignatureInfo(
                embedded.field_name or "", "", "", "", "", None, False, False, False, reason, False
            )
        try:
            status = _run(async_validate_pdf_signature(embedded, signer_validation_context=context))
        except Exception:
            logger.info("signature %s could not be validated", embedded.field_name, exc_info=True)
            intact = trusted = whole = False
            signed_at = embedded.self_reported_timestamp
        else:
            intact = bool(status.intact and status.valid)
            trusted = bool(status.trusted) and not bool(getattr(status, "revoked", False))
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
                status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                and status.docmdp_ok is True
                and status.modification_level is not None
                and status.modification_level <= ModificationLevel.FORM_FILLING
            )
            signed_at = status.signer_reported_dt
        return SignatureInfo(
            field=embedded.field_name or "",
            signer=_name_part(subject, "common_name"),
            organisation=_name_part(subject, "organization_name"),
            issuer=_name_part(issuer, "common_name"),
            serial=serial,
            signed_at=signed_at,
            intact=intact,
            trusted=trusted,
            whole_document=whole,
            reason=reason,
            demo=demo,
        )


def seal_result(
    data: bytes, *, is_pdf: bool, agency: Agency | None, reason: str, signer: ResultSigner
) -> tuple[bytes, SignatureReport]:
    """The bytes to store for a result and what their signatures are worth.

    A PDF without signatures is signed for ``agency`` (when a certificate is configured for it;
    otherwise it stays unsigned and says so); a PDF that already carries signatures (signed
    with the agency's own token) is kept byte for byte and checked; other files carry no
    signature. Raises ``UnsignablePdf`` for a PDF that cannot be read and
    ``SigningUnavailable`` when the configured certificate cannot be used.
    """
    if not is_pdf:
        return data, SignatureReport(is_pdf=False, checked_at=clock.now())
    found = signer.verify_pdf(data)
    if found.error:
        raise UnsignablePdf(found.error)
    if found.signatures or agency is None:
        return data, found
    try:
        signed = signer.sign_pdf(data, agency=agency, reason=reason)
    except NoCertificate:
        return data, found
    return signed, replace(signer.verify_pdf(signed), applied=True)


@functools.cache
def _configured(
    production: bool,
    demo: bool,
    data_dir: Path,
    pkcs12_dir: str,
    pkcs12_file: str,
    password: str,
    roots_file: str,
) -> PyHankoSigner:
    stores: list[KeyStore] = []
    roots: list[x509.Certificate] = load_certificates(Path(roots_file)) if roots_file else []
    if pkcs12_dir or pkcs12_file:
        stores.append(
            Pkcs12KeyStore(
                Path(pkcs12_dir) if pkcs12_dir else None,
                Path(pkcs12_file) if pkcs12_file else None,
                password,
                production=production,
            )
        )
    if demo:
        demo_store = DemoKeyStore(data_dir / "signing-demo")
        stores.append(demo_store)
        roots.append(demo_store.ca_certificate())
    if production:  # a demo root in the production trust list would make demo keys "valid"
        roots = [root for root in roots if not is_demo_certificate(root)]
    return PyHankoSigner(ChainedKeyStore(*stores), roots)


def configured_signer() -> ResultSigner:
    """The signer of this installation (settings ``MOTCUA_SIGNING_*``; docs/configuration.md).

    The demo CA is refused in production, and never trusted there."""
    if settings.PRODUCTION and settings.MOTCUA_SIGNING_DEMO_CA:
        raise ImproperlyConfigured(
            "MOTCUA_SIGNING_DEMO_CA: the demo certification authority is refused in production"
        )
    return _configured(
        bool(settings.PRODUCTION),
        bool(settings.MOTCUA_SIGNING_DEMO_CA),
        Path(settings.DATA_DIR),
        str(settings.MOTCUA_SIGNING_PKCS12_DIR),
        str(settings.MOTCUA_SIGNING_PKCS12_FILE),
        str(settings.MOTCUA_SIGNING_PKCS12_PASSWORD),
        str(settings.MOTCUA_SIGNING_TRUST_ROOTS),
    )
