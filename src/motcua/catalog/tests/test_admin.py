"""Django admin of the catalogue: drafts editable, published versions a read-only view."""

from __future__ import annotations

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import create_new_version
from motcua.catalog.tests.records import BIRTH
from motcua.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, catalogue):
    admin = User.objects.create_superuser("quantri.test", password="x")
    client.force_login(admin)
    return client


def _url(version: ProcedureVersion) -> str:
    return f"/quan-tri/catalog/procedureversion/{version.pk}/change/"


def test_a_published_version_opens_read_only(admin_client):
    published = ProcedureVersion.objects.get(procedure__code=BIRTH["code"])
    html = admin_client.get(_url(published)).content.decode()
    assert 'name="_save"' not in html
    assert "Tờ khai đăng ký khai sinh" in html


def test_a_draft_opens_editable(admin_client):
    published = ProcedureVersion.objects.get(procedure__code=BIRTH["code"])
    draft = create_new_version(published.procedure)
    html = admin_client.get(_url(draft)).content.decode()
    assert 'name="_save"' in html


def test_the_publish_action_publishes_drafts_from_today(admin_client):
    published = ProcedureVersion.objects.get(procedure__code=BIRTH["code"])
    draft = create_new_version(published.procedure)
    response = admin_client.post(
        "/quan-tri/catalog/procedureversion/",
        {"action": "publish_today", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "published"


def test_the_lists_open(admin_client):
    for path in ("procedureversion", "procedure", "field"):
        assert admin_client.get(f"/quan-tri/catalog/{path}/").status_code == 200
