"""The committed design-system files keep their promises (docs/design-system.md): the Public Sans
faces, subset by frontend/build.mjs to keep pages light, still draw every Vietnamese letter with
every tone, and the stylesheet never hides text while they load."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

STATIC = Path(__file__).resolve().parents[1] / "static" / "motcua"
FACES = ["PublicSans-Regular", "PublicSans-SemiBold", "PublicSans-Bold", "PublicSans-Italic"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # ngang, huyền, sắc, hỏi, ngã, nặng
VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"
PUNCTUATION = "–—‘’“”…•«»§·×₫"


def vietnamese_letters() -> list[str]:
    lower = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + list(CONSONANTS)
    return lower + [letter.upper() for letter in lower]


def test_the_letter_list_is_the_whole_alphabet_with_tones():
    letters = vietnamese_letters()
    assert len(letters) == 2 * (12 * 6 + 17)
    assert all(len(letter) == 1 for letter in letters)  # each one precomposed (NFC)
    assert {"ệ", "Ổ", "ự", "Ỹ", "đ", "Đ"} <= set(letters)


@pytest.mark.parametrize("face", FACES)
def test_each_public_sans_face_has_every_vietnamese_letter_with_every_tone(face: str):
    cmap = TTFont(STATIC / "fonts" / "public-sans" / f"{face}.woff2").getBestCmap()
    missing = [ch for ch in vietnamese_letters() + list(PUNCTUATION) if ord(ch) not in cmap]
    assert missing == []


@pytest.mark.parametrize("face", FACES)
def test_each_face_keeps_the_marks_kerning_and_tabular_figures(face: str):
    font = TTFont(STATIC / "fonts" / "public-sans" / f"{face}.woff2")
    marks = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B]
    assert [hex(m) for m in marks if m not in font.getBestCmap()] == []
    positioning = {record.FeatureTag for record in font["GPOS"].table.FeatureList.FeatureRecord}
    substitution = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"kern", "mark"} <= positioning  # Public Sans has no mkmk
    assert {"ccmp", "locl", "tnum"} <= substitution


def test_the_stylesheet_declares_the_four_faces_and_swaps_them_in():
    css = (STATIC / "css" / "motcua.css").read_text(encoding="utf-8")
    rules = re.findall(r"@font-face\{([^}]*)\}", css)
    files = [re.search(r"public-sans/([\w-]+)\.woff2", rule) for rule in rules]
    assert sorted(match.group(1) for match in files if match) == sorted(FACES)
    assert all("font-display:swap" in rule for rule in rules)
