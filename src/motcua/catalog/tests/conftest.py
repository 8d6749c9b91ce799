"""Fixtures of the catalogue tests: a few procedures imported and published."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.services import import_records
from motcua.catalog.tests.records import ALL, rows

START = dt.date(2025, 7, 1)


@pytest.fixture
def catalogue(db: None) -> None:
    """The four test procedures, published from 01/07/2025."""
    report = import_records(rows(*ALL), publish_from=START)
    assert report.created == len(ALL), report.rejected
