"""The portal speaks English when the visitor chooses it, the electronic form included."""

from __future__ import annotations

import pytest
from django.conf import settings

from motcua.dossiers import online
from motcua.dossiers.tests.online_data import TAM_TRU

pytestmark = pytest.mark.django_db


def test_the_application_form_is_in_english_when_chosen(tam_tru, lan, lan_client, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    lan_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = lan_client.get(f"/ho-so-nhap/{draft.pk}/").content.decode()
    assert "Address to register" in page
    assert "Save and continue" in page
