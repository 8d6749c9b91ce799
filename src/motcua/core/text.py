"""Vietnamese text helpers: Unicode normalisation and diacritic folding for search and matching.

Vietnamese arrives in both NFC and NFD forms (macOS, some scanners, copy-paste from PDFs) and users
type without diacritics ("dang ky khai sinh"). ``fold`` maps all of these to one comparable form.
SQLite's ``remove_diacritics`` does not fold "đ"; this does.
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """The canonical (NFC) form in which MotCua stores every Vietnamese string."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, diacritic-free, whitespace-collapsed form: 'Đăng  ký' → 'dang ky'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
