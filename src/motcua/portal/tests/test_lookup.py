"""Public lookup by code: the right digits show the status; anything else shows nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.dossiers.lookup import mask_name
from motcua.dossiers.tests.factories import People, in_status
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(demo):
    cache.clear()
    return in_status(Status.IN_PROCESS, People.load())


def test_the_receipt_code_and_phone_digits_show_the_status(client_vi, dossier):
    response = client_vi.post("/tra-cuu/", {"ma": dossier.code, "so": "0001"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đang giải quyết" in html
    assert "Nguyễn T** L**" in html
    assert "Nguyễn Thị Lan" not in html  # the name is masked
    assert "0901000001" not in html


def test_wrong_digits_and_unknown_codes_get_the_same_answer(client, dossier):
    wrong = client.post("/tra-cuu/", {"ma": dossier.code, "so": "9999"})
    unknown = client.post("/tra-cuu/", {"ma": "000.01.31.H01-991231-0001", "so": "0001"})
    assert wrong.status_code == unknown.status_code == 404
    assert "Đang giải quyết" not in wrong.content.decode()


def test_the_qr_link_prefills_the_code(client, dossier):
    html = client.get("/tra-cuu/", {"ma": dossier.code}).content.decode()
    assert f'value="{dossier.code}"' in html


def test_guessing_is_rate_limited(client, dossier):
    for _ in range(10):
        client.post("/tra-cuu/", {"ma": dossier.code, "so": "1234"})
    assert client.post("/tra-cuu/", {"ma": dossier.code, "so": "0001"}).status_code == 429


def test_names_are_masked():
    assert mask_name("Trần Văn Minh") == "Trần V** M**"
    assert mask_name("Lan") == "L**"
