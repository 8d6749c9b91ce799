"""Vietnamese folding: with or without diacritics, NFC or NFD, 'đ' is 'd'."""

from __future__ import annotations

import unicodedata

import pytest

from motcua.core.text import fold, nfc


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("dang ky khai sinh", "dang ky khai sinh"),
        ("  ĐẶC   KHU Phú Quốc ", "dac khu phu quoc"),
        ("Thủy / Thuỷ", "thuy / thuy"),
    ],
)
def test_fold_removes_diacritics_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_nfd_and_nfc_fold_alike():
    text = "Ủy ban nhân dân phường Rạch Giá"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
    assert nfc(unicodedata.normalize("NFD", text)) == text
