"""Signing result PDFs (PAdES) and checking them: validity, integrity, trust, keys, production."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.models import SignatureStatus
from motcua.documents.signing import (
    NoCertificate,
    PyHankoSigner,
    SignatureReport,
    UnsignablePdf,
    configured_signer,
    seal_result,
)
from motcua.documents.signing_keys import (
    DEMO_CA_NAME,
    ChainedKeyStore,
    DemoKeyStore,
    Pkcs12KeyStore,
    SigningKey,
    SigningUnavailable,
    _usage,
)
from motcua.documents.tests.pdfs import simple_pdf
from motcua.organizations.models import Agency, AgencyKind, AgencyLevel

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50


def agency(code: str = "000.00.12.H01", name: str = "Sở Tư pháp tỉnh An Giang") -> Agency:
    """An agency version as the key stores see it (never saved: no database needed)."""
    return Agency(
        code=code,
        name=name,
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
        valid_from=dt.date(2025, 7, 1),
    )


@pytest.fixture
def demo_keys(tmp_path: Path) -> DemoKeyStore:
    return DemoKeyStore(tmp_path / "signing-demo")


@pytest.fixture
def signer(demo_keys: DemoKeyStore) -> PyHankoSigner:
    return PyHankoSigner(demo_keys, [demo_keys.ca_certificate()])


def foreign_key(ca_name: str = "Unknown CA") -> SigningKey:
    """A certificate from a certification authority MotCua does not trust."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name_ = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    start, end = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2049, 1, 1, tzinfo=dt.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name_)
        .issuer_name(ca_name_)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ai đó")]))
        .issuer_name(ca_name_)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(ca_key, hashes.SHA256())
    )
    return SigningKey(key, leaf, (ca,), "foreign")


class OneKey:
    def __init__(self, key: SigningKey) -> None:
        self.key = key

    def key_for(self, agency: Agency) -> SigningKey:
        return self.key


def test_a_signed_result_verifies_as_valid_with_signer_time_and_reason(signer):
    signed = signer.sign_pdf(simple_pdf(pages=2), agency=agency(), reason="Kết quả, mã X-KQ1")
    report = signer.verify_pdf(signed)
    assert report.status == SignatureStatus.VALID
    (signature,) = report.signatures
    assert signature.signer == "Sở Tư pháp tỉnh An Giang"
    assert signature.issuer == DEMO_CA_NAME
    assert signature.demo
    assert signature.intact
    assert signature.trusted
    assert signature.whole_document
    assert signature.reason == "Kết quả, mã X-KQ1"
    assert signature.signed_at is not None
    assert abs(signature.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_the_signed_file_is_the_original_plus_an_incremental_update(signer):
    original = simple_pdf()
    signed = signer.sign_pdf(original, agency=agency())
    assert signed.startswith(original)  # PAdES: the original revision is kept byte for byte
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_one_changed_byte_breaks_integrity(signer):
    signed = bytearray(signer.sign_pdf(simple_pdf(), agency=agency()))
    at = signed.index(b"Ket qua")
    signed[at] = ord("X")
    report = signer.verify_pdf(bytes(signed))
    assert report.status == SignatureStatus.INVALID
    assert not report.signatures[0].intact


def test_content_added_after_signing_is_not_covered_by_the_signature(signer):
    signed = signer.sign_pdf(simple_pdf(), agency=agency())
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(
        90
    )  # a change to the document itself, not another signature
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = signer.verify_pdf(out.getvalue())
    assert report.status == SignatureStatus.INVALID
    assert report.signatures[0].intact  # the signed revision itself is unchanged
    assert not report.signatures[0].whole_document


def test_a_pdf_signed_by_an_unknown_ca_is_untrusted(signer):
    stranger = PyHankoSigner(OneKey(foreign_key()), [])
    signed = stranger.sign_pdf(simple_pdf(), agency=agency())
    report = signer.verify_pdf(signed)
    assert report.status == SignatureStatus.UNTRUSTED
    (signature,) = report.signatures
    assert signature.intact
    assert not signature.trusted
    assert signature.issuer == "Unknown CA"
    assert not signature.demo


def test_another_installations_demo_ca_is_not_trusted(signer, tmp_path):
    elsewhere = DemoKeyStore(tmp_path / "other-install")
    signed = PyHankoSigner(elsewhere, []).sign_pdf(simple_pdf(), agency=agency())
    assert signer.verify_pdf(signed).status == SignatureStatus.UNTRUSTED


def test_an_already_signed_pdf_is_kept_as_it_is(signer):
    token_signed = PyHankoSigner(OneKey(foreign_key()), []).sign_pdf(simple_pdf(), agency=agency())
    stored, report = seal_result(
        token_signed, is_pdf=True, agency=agency(), reason="", signer=signer
    )
    assert stored == token_signed  # not signed a second time
    assert not report.applied
    assert len(report.signatures) == 1
    assert report.signatures[0].issuer == "Unknown CA"


def test_an_unsigned_pdf_is_signed_for_the_agency(signer):
    original = simple_pdf()
    stored, report = seal_result(original, is_pdf=True, agency=agency(), reason="", signer=signer)
    assert stored != original
    assert stored.startswith(original)
    assert report.applied
    assert report.status == SignatureStatus.VALID


def test_a_non_pdf_result_stays_unsigned_and_says_so(signer):
    stored, report = seal_result(PNG, is_pdf=False, agency=agency(), reason="", signer=signer)
    assert stored == PNG
    assert report.status == SignatureStatus.NOT_PDF
    assert not report.signatures


def test_without_a_certificate_for_the_agency_the_pdf_stays_unsigned():
    nobody = PyHankoSigner(ChainedKeyStore(), [])
    original = simple_pdf()
    with pytest.raises(NoCertificate):
        nobody.sign_pdf(original, agency=agency())
    stored, report = seal_result(original, is_pdf=True, agency=agency(), reason="", signer=nobody)
    assert stored == original
    assert report.status == SignatureStatus.UNSIGNED


def test_a_damaged_pdf_cannot_be_signed(signer):
    damaged = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert signer.verify_pdf(damaged).status == SignatureStatus.INVALID
    with pytest.raises(UnsignablePdf):
        seal_result(damaged, is_pdf=True, agency=agency(), reason="", signer=signer)


def test_an_expired_certificate_does_not_sign(signer, monkeypatch):
    monkeypatch.setattr(
        "motcua.documents.signing.clock.now", lambda: dt.datetime(2051, 1, 1, tzinfo=dt.UTC)
    )
    with pytest.raises(SigningUnavailable, match="valid from 2020-01-01"):
        signer.sign_pdf(simple_pdf(), agency=agency())


def test_the_report_survives_its_json_form(signer):
    signed = signer.sign_pdf(simple_pdf(), agency=agency(), reason="lý do")
    report = signer.verify_pdf(signed)
    again = SignatureReport.from_dict(report.as_dict())
    assert again == report
    assert report.as_dict()["status"] == "valid"
    assert report.as_dict()["signatures"][0]["valid"] is True


def test_demo_keys_are_made_once_per_agency_and_kept(tmp_path):
    first = DemoKeyStore(tmp_path / "keys")
    second = DemoKeyStore(tmp_path / "keys")  # another process, same data folder
    assert first.ca_certificate() == second.ca_certificate()
    a = first.key_for(agency())
    assert second.key_for(agency()).certificate == a.certificate
    other = first.key_for(agency("000.00.13.H01", "Sở Xây dựng tỉnh An Giang"))
    assert other.certificate != a.certificate
    subject = a.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == agency().name
    assert a.certificate.issuer == first.ca_certificate().subject
    assert (tmp_path / "keys" / "demo-ca.pem").stat().st_mode & 0o077 == 0  # private


def _p12(key: SigningKey, password: bytes) -> bytes:
    assert isinstance(key.private_key, rsa.RSAPrivateKey)
    return pkcs12.serialize_key_and_certificates(
        b"agency",
        key.private_key,
        key.certificate,
        list(key.chain),
        serialization.BestAvailableEncryption(password),
    )


def test_pkcs12_files_sign_per_agency_then_for_the_province(tmp_path):
    folder = tmp_path / "p12"
    folder.mkdir()
    own, province = foreign_key("CA A"), foreign_key("CA B")
    (folder / "000.00.12.H01.p12").write_bytes(_p12(own, b"mat-khau"))
    (tmp_path / "tinh.p12").write_bytes(_p12(province, b"mat-khau"))
    store = Pkcs12KeyStore(folder, tmp_path / "tinh.p12", "mat-khau", production=True)
    assert store.key_for(agency()).certificate == own.certificate
    assert store.key_for(agency("000.00.99.H01")).certificate == province.certificate
    assert (
        Pkcs12KeyStore(folder, None, "mat-khau", production=True).key_for(agency("000.00.99.H01"))
        is None
    )


def test_a_pkcs12_file_with_the_wrong_password_is_refused(tmp_path):
    (tmp_path / "tinh.p12").write_bytes(_p12(foreign_key(), b"dung"))
    store = Pkcs12KeyStore(None, tmp_path / "tinh.p12", "sai", production=False)
    with pytest.raises(SigningUnavailable, match="wrong password"):
        store.key_for(agency())


def test_production_refuses_a_demo_certificate_in_a_pkcs12_file(demo_keys, tmp_path):
    (tmp_path / "tinh.p12").write_bytes(_p12(demo_keys.key_for(agency()), b"x"))
    in_development = Pkcs12KeyStore(None, tmp_path / "tinh.p12", "x", production=False)
    assert in_development.key_for(agency()) is not None
    in_production = Pkcs12KeyStore(None, tmp_path / "tinh.p12", "x", production=True)
    with pytest.raises(SigningUnavailable, match="refused in production"):
        in_production.key_for(agency())


def test_production_refuses_the_demo_ca(settings):
    settings.PRODUCTION = True
    settings.MOTCUA_SIGNING_DEMO_CA = True
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_SIGNING_DEMO_CA"):
        configured_signer()


def test_production_never_trusts_demo_signatures(settings, signer, tmp_path):
    demo_signed = signer.sign_pdf(simple_pdf(), agency=agency())
    roots = tmp_path / "roots.pem"
    roots.write_bytes(signer_root_pem(signer))
    settings.PRODUCTION = True
    settings.MOTCUA_SIGNING_DEMO_CA = False
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(roots)  # even when listed by mistake
    report = configured_signer().verify_pdf(demo_signed)
    assert report.status == SignatureStatus.UNTRUSTED
    with pytest.raises(NoCertificate):  # and no demo key signs
        configured_signer().sign_pdf(simple_pdf(), agency=agency())


def signer_root_pem(signer: PyHankoSigner) -> bytes:
    return b"".join(
        x509.load_der_x509_certificate(root.dump()).public_bytes(serialization.Encoding.PEM)
        for root in signer.trust_roots
    )


def test_development_signs_with_the_demo_ca_under_the_data_folder(settings, tmp_path):
    settings.PRODUCTION = False
    settings.MOTCUA_SIGNING_DEMO_CA = True
    settings.DATA_DIR = tmp_path
    signer = configured_signer()
    signed = signer.sign_pdf(simple_pdf(), agency=agency())
    assert signer.verify_pdf(signed).status == SignatureStatus.VALID
    assert (tmp_path / "signing-demo" / "demo-ca.pem").exists()
    assert list((tmp_path / "signing-demo" / "agencies").glob("000.00.12.H01_*.pem"))


def test_an_elliptic_curve_certificate_signs_and_verifies():
    """Organisation certificates may hold an EC key: the parsed-once key signs with ECDSA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EC Root")])
    start, end = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2049, 1, 1, tzinfo=dt.UTC)
    root = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sở Tư pháp")]))
        .issuer_name(name)
        .public_key(leaf_key.public_key())
        .serial_number(8)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(_usage(ca=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    signer = PyHankoSigner(OneKey(SigningKey(leaf_key, leaf, (root,), "ec")), [root])
    report = signer.verify_pdf(signer.sign_pdf(simple_pdf(), agency=agency()))
    assert report.status == SignatureStatus.VALID
    assert report.signatures[0].signer == "Sở Tư pháp"
