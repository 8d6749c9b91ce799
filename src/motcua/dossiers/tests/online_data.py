"""Shared data of the online-application tests (dossiers, portal): a small online procedure
(temporary residence), people, files. Imported by the conftest modules that use it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.data import ChannelData, DocumentData, DocumentGroupData, ProcedureData
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import TimeUnit
from motcua.catalog.services.versions import create_procedure, publish_version
from motcua.core.models import User
from motcua.organizations.models import Agency

TAM_TRU = "1.004194"  # Đăng ký tạm trú: has a shipped electronic form
OFFICE = "000.01.31.H01"  # TTPVHCC phường Rạch Giá
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def publish_tam_tru() -> None:
    data = ProcedureData(
        code=TAM_TRU,
        name="Đăng ký tạm trú",
        field="Đăng ký, quản lý cư trú",
        levels=("commune",),
        channels=(
            ChannelData(
                channel=CatalogChannel.ONLINE,
                amount=Decimal(3),
                unit=TimeUnit.WORKING_DAYS,
                fee_amount=7000,
                fee_currency="VND",
                fee_text="7,000 Việt Nam Đồng",
            ),
            ChannelData(
                channel=CatalogChannel.IN_PERSON,
                amount=Decimal(3),
                unit=TimeUnit.WORKING_DAYS,
                fee_amount=10000,
                fee_currency="VND",
            ),
        ),
        document_groups=(
            DocumentGroupData(
                case="Hồ sơ đăng ký tạm trú gồm",
                documents=(
                    DocumentData(name="Tờ khai thay đổi thông tin cư trú (Mẫu CT01)", originals=1),
                    DocumentData(name="Giấy tờ chứng minh chỗ ở hợp pháp", copies=1),
                    DocumentData(name="Lưu ý: không phải giấy tờ", originals=0),
                ),
            ),
        ),
    )
    publish_version(create_procedure(data), valid_from=dt.date(2020, 1, 1))


@pytest.fixture
def tam_tru(demo: None) -> None:
    publish_tam_tru()


@pytest.fixture
def office(demo: None) -> Agency:
    return Agency.objects.get(code=OFFICE)


@pytest.fixture
def lan(demo: None) -> User:
    user = User.objects.get(username="congdan.lan")
    user.email = "lan@example.vn"
    user.save()
    return user


@pytest.fixture
def minh(demo: None) -> User:
    return User.objects.get(username="congdan.minh")


@pytest.fixture
def lan_client(lan: User) -> Client:
    client = Client()
    client.force_login(lan)
    return client


def pdf(name: str = "to-khai.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def raw(name: str, content: bytes) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


#: A valid temporary-residence form, as the browser posts it.
FORM = {
    "applicant_type": "citizen",
    "full_name": "Nguyễn Thị Lan",
    "id_number": "091190000001",
    "phone": "0901000001",
    "email": "lan@example.vn",
    "address": "12 Nguyễn Trung Trực, Rạch Giá",
    "result_delivery": "online",
    "f_address": "25 Lê Lợi, khu phố 3",
    "f_commune": "Phường Rạch Giá",
    "f_housing_basis": "thue_muon",
    "f_stay_until": "2027-06-30",
    "f_reason": "Đi làm",
}
