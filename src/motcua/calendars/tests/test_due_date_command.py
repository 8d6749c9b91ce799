"""``motcua due-date``: the due instant as text or JSON, clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str, capsys) -> str:
    call_command("due-date", *args)
    return capsys.readouterr().out


def test_json_output_has_the_promised_fields(capsys):
    out = run(
        "--received",
        "2026-02-12T10:00",
        "--amount",
        "3",
        "--unit",
        "working_days",
        "--json",
        capsys=capsys,
    )
    data = json.loads(out)
    assert data["received_at"] == "2026-02-12T10:00:00+07:00"
    assert data["counting_starts_at"] == "2026-02-12T10:00:00+07:00"
    assert data["due_at"] == "2026-02-24T10:00:00+07:00"
    assert any("Tết Nguyên Đán" in line for line in data["explanation"])


def test_text_output_is_vietnamese_by_default(capsys):
    out = run(
        "--received",
        "2026-04-24T16:00",
        "--amount",
        "3",
        "--unit",
        "working_days",
        "--cutoff-shifts-start",
        capsys=capsys,
    )
    assert "Hạn trả kết quả  Thứ Hai 04/05/2026 17:00" in out
    assert "Giỗ Tổ Hùng Vương" in out


def test_an_explicit_offset_is_respected(capsys):
    out = run(
        "--received",
        "2026-02-12T03:00+00:00",
        "--amount",
        "1",
        "--unit",
        "working_hours",
        "--json",
        capsys=capsys,
    )
    assert json.loads(out)["due_at"] == "2026-02-12T11:00:00+07:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "-1", "--unit", "working_days"], "không được âm"),
        (["--amount", "3", "--unit", "weeks"], "Đơn vị thời hạn không hợp lệ"),
        (["--amount", "ba", "--unit", "working_days"], "không phải là số"),
        (["--amount", "99999", "--unit", "working_days"], "quá lớn"),
        (["--amount", "3", "--unit", "working_days", "--counting", "x"], "không hợp lệ"),
    ],
)
def test_bad_input_is_a_clear_translated_error(args, message):
    with pytest.raises(CommandError) as error:
        call_command("due-date", "--received", "2026-02-12T10:00", *args)
    assert message in str(error.value)
    assert error.value.returncode == 2


def test_a_malformed_time_is_a_clear_error():
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command(
            "due-date", "--received", "12/02/2026", "--amount", "1", "--unit", "working_days"
        )
