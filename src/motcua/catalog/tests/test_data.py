"""Parsing and writing back procedure records (pure: no database)."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from motcua.calendars.engine import Unit
from motcua.catalog.data import ProcedureData, parse_record, to_record
from motcua.catalog.models import Channel, Level, TimeUnit
from motcua.catalog.tests.records import BIRTH, BUSINESS, CRIMINAL_RECORD, record


def _nfd(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [_nfd(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfd(v) for k, v in value.items()}
    return value


def test_a_published_record_maps_to_motcua_vocabularies():
    data = parse_record(BUSINESS)
    assert isinstance(data, ProcedureData)
    assert data.levels == (Level.COMMUNE,)
    assert [c.channel for c in data.channels] == [Channel.IN_PERSON, Channel.ONLINE]
    assert data.channels[0].amount == Decimal(3)
    assert data.channels[0].unit == TimeUnit.WORKING_DAYS
    assert data.channels[1].fee_amount == 150000
    assert data.channels[1].fee_currency == "VND"


def test_units_of_the_portal_are_read():
    data = parse_record(CRIMINAL_RECORD)
    assert isinstance(data, ProcedureData)
    assert data.channels[0].unit == TimeUnit.CALENDAR_DAYS
    limits = {"Giờ": TimeUnit.WORKING_HOURS, "Tháng": TimeUnit.MONTHS, "Trong ngày": "same_day"}
    for label, unit in limits.items():
        channel = {"channel": "Trực tiếp", "time_limit": {"value": 2, "unit": label}}
        parsed = parse_record(record(BIRTH, submission_channels=[channel]))
        assert isinstance(parsed, ProcedureData)
        assert parsed.channels[0].unit == unit


def test_a_limit_without_unit_keeps_its_number_and_no_unit():
    data = parse_record(BIRTH)
    assert isinstance(data, ProcedureData)
    assert data.channels[0].amount == Decimal(1)
    assert data.channels[0].unit is None


def test_time_unit_vocabulary_is_the_calendar_engines():
    assert set(TimeUnit.values) == {unit.value for unit in Unit}


def test_nfd_input_gives_the_same_data_as_nfc():
    assert parse_record(_nfd(BIRTH)) == parse_record(BIRTH)
    nfd = parse_record(_nfd(BIRTH))
    assert isinstance(nfd, ProcedureData)
    assert nfd.name == unicodedata.normalize("NFC", BIRTH["name"])


def test_missing_and_malformed_codes_are_refused():
    assert parse_record(record(BIRTH, code="")) == ["missing code"]
    reasons = parse_record(record(BIRTH, code="1.00119"))
    assert isinstance(reasons, list)
    assert reasons[0].startswith("malformed code '1.00119'")


def test_missing_name_field_and_levels_are_refused():
    reasons = parse_record(record(BIRTH, name=" ", field=None, levels=[]))
    assert reasons == ["missing name", "missing field (lĩnh vực)", "missing levels (cấp thực hiện)"]


def test_unknown_unit_channel_and_level_are_named():
    bad = record(
        BIRTH,
        levels=["Cấp huyện"],
        submission_channels=[
            {"channel": "Fax", "time_limit": {"value": 1}},
            {"channel": "Trực tiếp", "time_limit": {"value": 1, "unit": "Tuần"}},
        ],
    )
    reasons = parse_record(bad)
    assert reasons == [
        "unknown level 'Cấp huyện'",
        "unknown channel 'Fax'",
        "unknown time-limit unit 'Tuần'",
    ]


def test_bad_numbers_are_refused():
    channel = {
        "channel": "Trực tiếp",
        "time_limit": {"value": -1, "unit": "Ngày"},
        "fee_amount": 1.5,
    }
    reasons = parse_record(record(BIRTH, submission_channels=[channel]))
    assert isinstance(reasons, list)
    assert any("out of range" in r for r in reasons)
    assert any("fee_amount" in r for r in reasons)


def test_writing_back_and_reading_again_gives_the_same_data():
    for source in (BIRTH, BUSINESS, CRIMINAL_RECORD):
        data = parse_record(source)
        assert isinstance(data, ProcedureData)
        again = parse_record(json.loads(json.dumps(to_record(data))))
        assert again == data
        assert again.digest() == data.digest()


def test_any_change_changes_the_digest():
    base = parse_record(BIRTH)
    changed = parse_record(record(BIRTH, steps="Nộp hồ sơ."))
    assert isinstance(base, ProcedureData)
    assert isinstance(changed, ProcedureData)
    assert base.digest() != changed.digest()
