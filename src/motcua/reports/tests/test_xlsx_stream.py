"""The streamed Excel writer: an ordinary workbook, sent while its rows are still being read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook

from motcua.reports.xlsx_stream import HEADER_ROW, Column, SheetWriter, Style

COLUMNS = [Column("Mã", 10), Column("Ngày", 16, Style.DATETIME), Column("Số", 8, Style.INTEGER)]


def book(writer: SheetWriter, rows: Any) -> Any:
    return load_workbook(io.BytesIO(b"".join(writer.chunks(rows)))).active


def test_texts_that_xml_forbids_or_escapes_come_back_as_written():
    sheet = book(
        SheetWriter('Hồ sơ "A" [1]', "Tiêu đề <b> & co", "phụ đề", COLUMNS),
        [(" a<b>&c\x01d ", dt.datetime(2026, 3, 1, 9, 30), 7)],
    )
    assert sheet.title == 'Hồ sơ "A"  1 '
    assert sheet["A1"].value == "Tiêu đề <b> & co"
    assert sheet.cell(row=HEADER_ROW + 1, column=1).value == " a<b>&cd "
    assert sheet.cell(row=HEADER_ROW + 1, column=2).value == dt.datetime(2026, 3, 1, 9, 30)
    assert sheet.cell(row=HEADER_ROW + 1, column=3).value == 7


def test_empty_cells_keep_their_border_and_the_headers_are_styled():
    sheet = book(SheetWriter("S", "T", "U", COLUMNS), [(None, None, None)])
    empty = sheet.cell(row=HEADER_ROW + 1, column=2)
    assert empty.value is None
    assert empty.border.left.style == "thin"
    header = sheet.cell(row=HEADER_ROW, column=1)
    assert header.font.b
    assert header.alignment.wrap_text
    assert sheet.column_dimensions["A"].width == 10


def test_the_first_bytes_leave_before_the_rows_are_all_read():
    read = []

    def rows() -> Iterator[tuple[str, None, int]]:
        for i in range(20_000):
            read.append(i)
            yield (f"HS-{i:06d} Nguyễn Văn {i}", None, i)

    chunks = SheetWriter("S", "T", "U", COLUMNS).chunks(rows())
    next(chunks)  # the fixed parts
    next(chunks)  # the first rows of the sheet
    assert 0 < len(read) < 20_000
    rest = b"".join(chunks)
    assert rest
    assert len(read) == 20_000
