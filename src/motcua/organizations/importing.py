"""Import of the official list of administrative units, with the units they replaced.

Reads the JSON of the National Statistics Office list (the team's
``administrative-units-2025*.json``: provinces, communes and, per commune, the pre-2025 units it
was formed from). Creates or updates:

- the units in force from the reform date (provinces/cities, communes, wards, special zones);
- the legacy units they replaced (63 former provinces, their districts and communes), valid until
  the day before the reform, kept so that old addresses and old dossier codes stay resolvable;
- the succession lines (old → new, with the official wording), many-to-many.

Idempotent: rows are keyed by (code, valid_from); a second run reports everything unchanged. Uses
bulk writes (tens of thousands of rows in seconds) inside one transaction: nothing is half-imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.core.text import nfc
from motcua.organizations.models import (
    AdministrativeUnit,
    DataSource,
    DivisionType,
    SuccessionKind,
    UnitSuccession,
)

REFORM_DATE = dt.date(2025, 7, 1)  # Luật 72/2025/QH15; NQ 202/2025/QH15
LEGACY_UNTIL = REFORM_DATE - dt.timedelta(days=1)
#: Start of legacy units whose creation date the list does not give ("since before our records").
UNKNOWN_START = dt.date(1900, 1, 1)

type Progress = Callable[[str, int, int], None]
type Key = tuple[str, dt.date]

_NEW_TYPES = {
    "tỉnh": DivisionType.PROVINCE,
    "thành phố trung ương": DivisionType.CITY,
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}


class UnitFileError(ValueError):
    """The file is not an administrative-units list; the message says what is wrong."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class UnitImportSummary:
    """What an import changed, per kind of row."""

    units: Counts = field(default_factory=Counts)
    legacy_units: Counts = field(default_factory=Counts)
    successions: Counts = field(default_factory=Counts)
    skipped: list[str] = field(default_factory=list)


def _legacy_type(name: str, *, level: str) -> DivisionType:
    lowered = nfc(name).lower()
    if level == "province":
        return DivisionType.CITY if lowered.startswith("thành phố") else DivisionType.PROVINCE
    if level == "district":
        return DivisionType.DISTRICT
    if lowered.startswith("phường"):
        return DivisionType.WARD
    if lowered.startswith(("thị trấn", "thi trấn")):
        return DivisionType.TOWNSHIP
    return DivisionType.COMMUNE


def succession_kind(note: str) -> SuccessionKind:
    """Classify the official wording of a conversion line ("Nhập toàn bộ", "Giữ nguyên", …)."""
    text = nfc(note).lower().replace("nhâp", "nhập")
    if text.startswith("sắp xếp toàn bộ huyện"):
        return SuccessionKind.LEVEL_CHANGE
    if text.startswith(("nhập một phần", "phần còn lại")):
        return SuccessionKind.PARTIAL
    if text.startswith("nhập toàn bộ"):
        return SuccessionKind.MERGE
    if text.startswith("giữ nguyên"):
        return SuccessionKind.UNCHANGED
    if text.startswith("đổi tên"):
        return SuccessionKind.RENAME
    if text.startswith(("đổi loại hình", "sắp xếp toàn bộ xã")):
        return SuccessionKind.TYPE_CHANGE
    return SuccessionKind.OTHER


@dataclass(frozen=True)
class _Row:
    code: str
    valid_from: dt.date
    name: str
    division_type: str
    parent: Key | None
    valid_to: dt.date | None


def _rows(
    data: Mapping[str, Any],
) -> tuple[dict[Key, _Row], dict[Key, _Row], set[tuple[Key, Key, str]], list[str]]:
    """Desired new units, legacy units and succession lines from the file."""
    try:
        provinces = list(data["provinces"]) if "provinces" in data else [data["province"]]
        communes = list(data["communes"])
    except (KeyError, TypeError):
        raise UnitFileError("expected 'provinces' (or 'province') and 'communes' lists") from None
    new: dict[Key, _Row] = {}
    legacy: dict[Key, _Row] = {}
    lines: set[tuple[Key, Key, str]] = set()
    skipped: list[str] = []
    for index, province in enumerate(provinces):
        try:
            code, name = province["code"], nfc(province["name"])
            kind = nfc(province["division_type"])
        except KeyError as missing:
            raise UnitFileError(f"province #{index + 1}: missing {missing}") from None
        if kind not in _NEW_TYPES:
            raise UnitFileError(f"province {code}: unknown division_type {kind!r}")
        key = (code, REFORM_DATE)
        new[key] = _Row(code, REFORM_DATE, name, _NEW_TYPES[kind], None, None)
        for old in province.get("legacy_provinces", []):
            old_key = (old["code"], UNKNOWN_START)
            legacy[old_key] = _Row(
                old["code"],
                UNKNOWN_START,
                nfc(old["name"]),
                _legacy_type(old["name"], level="province"),
                None,
                LEGACY_UNTIL,
            )
            note = "Giữ nguyên" if len(province.get("legacy_provinces", [])) == 1 else "Hợp nhất"
            lines.add((old_key, key, note))
    for index, commune in enumerate(communes):
        try:
            code, name = commune["code"], nfc(commune["name"])
            kind, parent = nfc(commune["division_type"]), commune["province_code"]
        except KeyError as missing:
            raise UnitFileError(f"commune #{index + 1}: missing {missing}") from None
        if kind not in _NEW_TYPES or (parent, REFORM_DATE) not in new:
            raise UnitFileError(f"commune {code}: unknown type {kind!r} or province {parent!r}")
        key = (code, REFORM_DATE)
        new[key] = _Row(code, REFORM_DATE, name, _NEW_TYPES[kind], (parent, REFORM_DATE), None)
        for old in commune.get("formed_from", []):
            province_key = (old["old_province_code"], UNKNOWN_START)
            legacy.setdefault(
                province_key,
                _Row(
                    old["old_province_code"],
                    UNKNOWN_START,
                    nfc(old["old_province_name"]),
                    _legacy_type(old["old_province_name"], level="province"),
                    None,
                    LEGACY_UNTIL,
                ),
            )
            district_key = (old["old_district_code"], UNKNOWN_START)
            legacy.setdefault(
                district_key,
                _Row(
                    old["old_district_code"],
                    UNKNOWN_START,
                    nfc(old["old_district_name"]),
                    DivisionType.DISTRICT,
                    province_key,
                    LEGACY_UNTIL,
                ),
            )
            note = nfc(old.get("note", ""))
            if old.get("old_commune_code"):
                old_key = (old["old_commune_code"], UNKNOWN_START)
                legacy.setdefault(
                    old_key,
                    _Row(
                        old["old_commune_code"],
                        UNKNOWN_START,
                        nfc(old["old_commune_name"]),
                        _legacy_type(old["old_commune_name"], level="commune"),
                        district_key,
                        LEGACY_UNTIL,
                    ),
                )
                lines.add((old_key, key, note))
            elif succession_kind(note) == SuccessionKind.LEVEL_CHANGE:
                lines.add((district_key, key, note))  # a whole district became a special zone
            else:
                skipped.append(
                    f"{code} {name}: '{old.get('old_commune_name', '?')}' has no official code"
                )
    return new, legacy, lines, skipped


def _apply(
    rows: Mapping[Key, _Row],
    source: DataSource,
    counts: Counts,
    progress: Progress | None,
    label: str,
) -> dict[Key, AdministrativeUnit]:
    """Create or update ``rows`` (parents first); returns every row's unit by key."""
    existing = {
        (u.code, u.valid_from): u
        for u in AdministrativeUnit.objects.filter(code__in={k[0] for k in rows})
    }
    units: dict[Key, AdministrativeUnit] = {}
    depth = dict.fromkeys(rows, 0)
    for key, row in rows.items():
        level, up = 0, row.parent
        while up is not None and up in rows:
            level, up = level + 1, rows[up].parent
        depth[key] = level
    ordered = sorted(rows, key=lambda k: depth[k])
    to_create: list[AdministrativeUnit] = []
    to_update: list[AdministrativeUnit] = []
    for done, key in enumerate(ordered, 1):
        row = rows[key]
        parent: AdministrativeUnit | None = units.get(row.parent) if row.parent else None
        if parent is None and row.parent is not None:
            parent = (
                existing.get(row.parent)
                or AdministrativeUnit.objects.filter(
                    code=row.parent[0], valid_from=row.parent[1]
                ).first()
            )
        values = {
            "name": row.name,
            "division_type": row.division_type,
            "valid_to": row.valid_to,
            "data_source": source,
        }
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit(
                code=row.code, valid_from=row.valid_from, parent=parent, **values
            )
            to_create.append(unit)
            counts.created += 1
        else:
            changed = unit.parent_id != (parent.pk if parent else None) or any(
                getattr(unit, f) != v for f, v in values.items()
            )
            if changed:
                for f, v in values.items():
                    setattr(unit, f, v)
                unit.parent = parent
                to_update.append(unit)
                counts.updated += 1
            else:
                counts.unchanged += 1
        units[key] = unit
        # Flush a level before its children need the primary keys.
        next_key = ordered[done] if done < len(ordered) else None
        if next_key is None or depth[next_key] != depth[key]:
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
            AdministrativeUnit.objects.bulk_update(
                to_update,
                ["name", "division_type", "valid_to", "data_source", "parent"],
                batch_size=1000,
            )
            to_create, to_update = [], []
            if progress:
                progress(label, done, len(ordered))
    return units


@transaction.atomic
def import_units(
    data: Mapping[str, Any],
    *,
    source: DataSource = DataSource.OFFICIAL,
    progress: Progress | None = None,
) -> UnitImportSummary:
    """Import an administrative-units list (idempotent); see the module docstring."""
    new, legacy, lines, skipped = _rows(data)
    summary = UnitImportSummary(skipped=skipped)
    units = _apply(legacy, source, summary.legacy_units, progress, "legacy units")
    units |= _apply(new, source, summary.units, progress, "units")
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in UnitSuccession.objects.filter(effective_date=REFORM_DATE)
    }
    to_create, to_update = [], []
    for old_key, new_key, note in sorted(lines):
        before, after = units[old_key], units[new_key]
        kind = succession_kind(note)
        line = existing.get((before.pk, after.pk))
        if line is None:
            to_create.append(
                UnitSuccession(
                    predecessor=before,
                    successor=after,
                    effective_date=REFORM_DATE,
                    kind=kind,
                    note=note[:300],
                )
            )
            summary.successions.created += 1
        elif (line.kind, line.note) != (kind, note[:300]):
            line.kind, line.note = kind, note[:300]
            to_update.append(line)
            summary.successions.updated += 1
        else:
            summary.successions.unchanged += 1
    UnitSuccession.objects.bulk_create(to_create, batch_size=1000)
    UnitSuccession.objects.bulk_update(to_update, ["kind", "note"], batch_size=1000)
    if progress:
        progress("successions", len(lines), len(lines))
    return summary


def units_in(data: Mapping[str, Any], province_codes: Iterable[str]) -> dict[str, Any]:
    """The part of a national list for some provinces (e.g. the demo province only)."""
    wanted = set(province_codes)
    return {
        "provinces": [p for p in data.get("provinces", []) if p["code"] in wanted],
        "communes": [c for c in data.get("communes", []) if c["province_code"] in wanted],
    }
