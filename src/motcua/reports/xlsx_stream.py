"""A one-sheet Excel workbook written as it is sent: the zip is produced while the rows arrive.

openpyxl cannot do this: even in write-only mode it assembles the package in ``save()``, after the
last row, so a large export would send nothing for minutes (a proxy gives up after 60 s) and the
web thread would hold the whole sheet in a temporary file first (ADR 0019). This writer emits the
same kind of sheet the other reports have (``exports.titled_sheet``: a bold title and an italic
subtitle across the table, bold bordered centred headers, frozen under the headers, thin borders on
every cell) with inline strings, in constant memory: each ``chunks()`` step yields the compressed
bytes produced so far.

The zip is written to a non-seekable sink, so each part carries a data descriptor (sizes after the
data) and no ZIP64 fields: a part must stay under 2 GiB uncompressed (Excel's 1,048,576 rows of an
export are ≈ 0.8 GB).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

#: Rows of an Excel sheet (Excel 2007 and later).
EXCEL_MAX_ROWS = 1_048_576
#: Row of the column headers (title, subtitle, an empty row, then the headers).
HEADER_ROW = 4
#: Bytes gathered before they are handed to the response.
FLUSH_BYTES = 64 * 1024

_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel's serial dates are naive local times
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Style(IntEnum):
    """Cell formats (their order in ``styles.xml``)."""

    PLAIN = 0
    TITLE = 1
    SUBTITLE = 2
    HEADER = 3
    TEXT = 4
    DATETIME = 5
    INTEGER = 6


_BORDER = "".join(
    f'<{side} style="thin"><color rgb="FF000000"/></{side}>'
    for side in ("left", "right", "top", "bottom")
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
    '<fonts count="4">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    '<font><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    f"<border>{_BORDER}<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" '
    'applyBorder="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)

_TEXT = f' s="{int(Style.TEXT)}" t="inlineStr"'
_DATETIME = f' s="{int(Style.DATETIME)}"'

type Value = str | int | float | dt.datetime | None


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its header, its width (characters) and how its cells look."""

    header: str
    width: float
    style: Style = Style.TEXT


class _Sink:
    """A write-only file for ``zipfile`` that keeps what was written until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def _text(value: str, *, attribute: bool = False) -> str:
    """``value`` as XML text (or a quoted attribute's value), without the characters XML forbids."""
    return escape(_ILLEGAL_XML.sub("", value), {'"': "&quot;"} if attribute else {})


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet1"


def excel_serial(value: dt.datetime) -> float:
    """``value`` (a naive local time) as Excel's serial date-time."""
    delta = value.replace(tzinfo=None) - _EPOCH
    return delta.days + delta.seconds / 86400


class SheetWriter:
    """One titled sheet, streamed: ``chunks(rows)`` yields the workbook's bytes as they come.

    Cells: ``str`` → inline text, ``int``/``float`` → number, ``datetime`` → a date-time shown
    ``dd/mm/yyyy hh:mm`` (give it in the local time wanted; the zone is dropped), ``None`` → an
    empty bordered cell. ``on_overflow`` (the text of a last row) is written instead of the rows
    that would not fit in a sheet.
    """

    def __init__(
        self,
        sheet_name: str,
        title: str,
        subtitle: str,
        columns: Sequence[Column],
        *,
        max_rows: int = EXCEL_MAX_ROWS,
        on_overflow: str = "",
        compresslevel: int = 6,
    ) -> None:
        self.sheet_name = _sheet_name(sheet_name)
        self.title = title
        self.subtitle = subtitle
        self.columns = list(columns)
        self.max_rows = max_rows
        self.on_overflow = on_overflow
        self.compresslevel = compresslevel
        self.letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self.empty_styles = [f' s="{int(c.style)}"' for c in self.columns]
        self.written = 0  # data rows written
        self.overflowed = False

    @staticmethod
    def _part(archive: zipfile.ZipFile, name: str, text: str) -> None:
        with archive.open(name, "w") as part:
            part.write(text.encode())

    def _head(self) -> str:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
            for i, c in enumerate(self.columns, start=1)
        )
        rows = [
            f'<row r="1" ht="21" customHeight="1"><c r="A1" s="{Style.TITLE}" t="inlineStr">'
            f"<is><t>{_text(self.title)}</t></is></c></row>",
            f'<row r="2"><c r="A2" s="{Style.SUBTITLE}" t="inlineStr">'
            f"<is><t>{_text(self.subtitle)}</t></is></c></row>",
            f'<row r="{HEADER_ROW}" ht="45" customHeight="1">'
            + "".join(
                f'<c r="{letter}{HEADER_ROW}" s="{Style.HEADER}" t="inlineStr">'
                f"<is><t>{_text(c.header)}</t></is></c>"
                for letter, c in zip(self.letters, self.columns, strict=True)
            )
            + "</row>",
        ]
        return (
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>" + "".join(rows)
        )

    def _tail(self) -> str:
        last = self.letters[-1]
        return (
            '</sheetData><mergeCells count="2">'
            f'<mergeCell ref="A1:{last}1"/><mergeCell ref="A2:{last}2"/></mergeCells>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )

    def _row(self, number: int, values: Sequence[Value]) -> str:
        n = str(number)
        cells = []
        for letter, empty, value in zip(self.letters, self.empty_styles, values, strict=True):
            if value is None or value == "":
                cells.append(f'<c r="{letter}{n}"{empty}/>')
            elif isinstance(value, str):
                cells.append(f'<c r="{letter}{n}"{_TEXT}><is><t>{_text(value)}</t></is></c>')
            elif isinstance(value, dt.datetime):
                cells.append(f'<c r="{letter}{n}"{_DATETIME}><v>{excel_serial(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{n}"{empty}><v>{value}</v></c>')
        return f'<row r="{n}">{"".join(cells)}</row>'

    def chunks(self, rows: Iterable[Sequence[Value]]) -> Iterator[bytes]:
        """The workbook's bytes, produced while ``rows`` are read."""
        sink = _Sink()
        archive = zipfile.ZipFile(
            sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel
        )
        self._part(archive, "[Content_Types].xml", _CONTENT_TYPES)
        self._part(archive, "_rels/.rels", _ROOT_RELS)
        self._part(
            archive,
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{_text(self.sheet_name, attribute=True)}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        self._part(archive, "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._part(archive, "xl/styles.xml", _STYLES)
        yield sink.take()
        room = self.max_rows - HEADER_ROW  # data rows that fit under the headers
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(self._head().encode())
            number = HEADER_ROW
            batch: list[str] = []
            held: Sequence[Value] | None = None  # the sheet's last row, until we know it is
            for values in rows:
                if held is not None:  # one row too many: the note takes the last row
                    self.overflowed = True
                    break
                if self.written == room - 1:
                    held = values
                    continue
                number += 1
                self.written += 1
                batch.append(self._row(number, values))
                if len(batch) >= 500:
                    sheet.write("".join(batch).encode())
                    batch.clear()
                    if sink.size >= FLUSH_BYTES:
                        yield sink.take()
            if held is not None:
                number += 1
                if self.overflowed:
                    batch.append(
                        f'<row r="{number}"><c r="A{number}" s="{Style.PLAIN}" t="inlineStr">'
                        f"<is><t>{_text(self.on_overflow)}</t></is></c></row>"
                    )
                else:
                    self.written += 1
                    batch.append(self._row(number, held))
            sheet.write(("".join(batch) + self._tail()).encode())
        archive.close()
        yield sink.take()
