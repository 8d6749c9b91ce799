"""Translations: Vietnamese is complete, compiled catalogues match their sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "motcua" / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_there_are_vietnamese_and_english_catalogues():
    assert {p.parents[1].name for p in CATALOGUES} == {"vi", "en"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parents[1].name)
def test_each_compiled_catalogue_matches_its_source(po_path: Path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid}
    assert compiled == expected, "run `make messages` and commit the .mo files"


def test_vietnamese_is_complete():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path: Path):
    copy = tmp_path / "motcua"
    shutil.copytree(ROOT / "src" / "motcua", copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "PATH": "/usr/bin:/bin",
            # the copy's own settings, so LOCALE_PATHS points into the copy, never the real tree
            "PYTHONPATH": str(tmp_path),
            "MOTCUA_DATA_DIR": str(tmp_path / "var"),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "vi/LC_MESSAGES/django.po"))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"
