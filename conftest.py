"""Fixtures shared by every test: the demo province and its personas."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.config.demo.loader import load_demo
from motcua.core.models import User


@pytest.fixture
def demo(db: None) -> None:
    """The demo province (An Giang units, demo agencies, staff and citizens)."""
    load_demo(procedures=False)


@pytest.fixture
def officer_province(demo: None) -> User:
    """Nguyễn Thị Hồng, one-stop officer at the provincial service centre."""
    return User.objects.get(username="tiepnhan.tinh")


@pytest.fixture
def citizen_lan(demo: None) -> User:
    """Nguyễn Thị Lan, a citizen with a portal account."""
    return User.objects.get(username="congdan.lan")


@pytest.fixture
def client_vi() -> Client:
    """A browser with English as its preferred language, to prove Vietnamese is the default."""
    return Client(headers={"accept-language": "en-US,en;q=0.9"})


@pytest.fixture(autouse=True)
def _fresh_reference_memo() -> None:
    """Each test starts with an empty per-process memo (core.refcache): rows a previous test
    created were rolled back, and their ids may be reused."""
    from motcua.core import refcache

    refcache.reset()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Demo accounts are created in many tests; the real hasher (PBKDF2) costs ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Keep uploaded files of local-folder runs out of the working tree."""
    default = settings.STORAGES["default"]
    if default["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": str(tmp_path)}},
        }


@pytest.fixture
def recorded_storage(monkeypatch):  # type: ignore[no-untyped-def]
    """The storage the documents services write to, remembering what they saved: a test checks
    its own objects (the S3 lane shares one bucket between workers whose dossier ids collide)."""
    from django.core.files.storage import default_storage

    from motcua.documents.tests.recording import RecordingStorage

    recording = RecordingStorage(default_storage)
    monkeypatch.setattr("motcua.documents.services.default_storage", recording)
    return recording
