"""Synthetic province-years of dossiers with full histories, written with COPY (benchmarks).

Seeded and reproducible: the same ``seed`` and size give the same rows. Realistic by construction:
procedures of the demo catalogue (commune procedures at commune centres, provincial ones at the
provincial centre, Zipf-like popularity), channel mix (desk 55 %, post 5 %, online 40 %), due
dates from the legal-time engine (vectorised), supplement requests (~12 %, of which a few a second
time), fees (~6 %), apologies (~3 %), late results (~10 %), refusals, withdrawals, and dossiers
still open (some overdue) at the end of the span. Histories follow the transition table (T2, T3, T8,
T9, T10–T14, T15, T17–T19). Applicants are fictional ("Người dân mô phỏng").

Needs PostgreSQL (psycopg 3 ``cursor.copy``) and the demo province with its procedures. Extra
synthetic communes (``communes``) make the agency tree province-sized. Rollups are not written
here: ``rollups.rebuild`` recounts them from the log afterwards (and ``verify`` checks them).
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, transaction

from motcua.calendars.engine import UNIT_CODES, VN_TZ, CompiledCalendar, Unit
from motcua.calendars.selectors import compiled_calendar
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import versions_in_force
from motcua.dossiers.models import CodeCounter, Dossier, DossierPause, DossierTransition
from motcua.organizations.models import Agency, AgencyKind, AgencyLevel, DataSource
from motcua.organizations.selectors import calendar_of, province_of_installation
from motcua.organizations.services import AgencyData, upsert_agency

CHANNELS = np.array(["counter", "post", "portal", "national_portal", "vneid"])
CHANNEL_P = np.array([0.55, 0.05, 0.20, 0.15, 0.05])
UNIT_BY_NAME = {u.value: UNIT_CODES[u] for u in Unit}
H = 3600


@dataclass
class Desk:
    office: int
    office_code: str
    competent: int
    calendar: CompiledCalendar
    versions: list[int]
    weights: np.ndarray[Any, Any]


@dataclass(frozen=True)
class Generated:
    dossiers: int
    transitions: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0


def ensure_communes(count: int) -> list[Agency]:
    """Commune People's Committees with their centre (demo data), up to ``count`` in total."""
    on = dt.datetime.now(VN_TZ).date()
    province = province_of_installation(on)
    if province is None:
        raise RuntimeError("Load the demo province first (motcua demo).")
    existing = list(
        Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE, level=AgencyLevel.COMMUNE)
    )
    for n in range(len(existing), count):
        committee = f"000.00.S{n:03d}.H01"
        upsert_agency(
            AgencyData(
                committee,
                f"Ủy ban nhân dân xã mô phỏng {n:03d}",
                AgencyKind.PEOPLES_COMMITTEE,
                AgencyLevel.COMMUNE,
                province.valid_from,
                parent_code=province.code,
                short_name=f"UBND xã mô phỏng {n:03d}",
            ),
            source=DataSource.DEMO,
        )
        upsert_agency(
            AgencyData(
                f"000.01.S{n:03d}.H01",
                f"Trung tâm Phục vụ hành chính công xã mô phỏng {n:03d}",
                AgencyKind.SERVICE_CENTRE,
                AgencyLevel.COMMUNE,
                province.valid_from,
                parent_code=committee,
            ),
            source=DataSource.DEMO,
        )
    return list(Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE, level=AgencyLevel.COMMUNE))


def _limits(on: dt.date) -> dict[int, tuple[float, int] | None]:
    """Per version in force: (amount, unit code) of its in-person time limit, or None."""
    result: dict[int, tuple[float, int] | None] = {}
    for version in versions_in_force(on).prefetch_related("channels"):
        limit = None
        for channel in sorted(
            version.channels.all(), key=lambda c: (c.channel != "in_person", c.order)
        ):
            if channel.amount is not None and Decimal(channel.amount) > 0:
                unit = channel.unit or Unit.WORKING_DAYS.value
                limit = (float(channel.amount), UNIT_BY_NAME[unit])
                break
        result[version.pk] = limit
    return result


def _desks(
    rng: np.random.Generator, communes: list[Agency], on: dt.date
) -> tuple[list[Desk], list[float]]:
    versions = list(versions_in_force(on).values_list("pk", "levels"))
    commune_versions = [pk for pk, levels in versions if "commune" in (levels or [])]
    province_versions = [pk for pk, levels in versions if "province" in (levels or [])]
    if not commune_versions or not province_versions:
        raise RuntimeError("The demo catalogue is missing (motcua demo loads it).")

    def zipf(n: int) -> np.ndarray[Any, Any]:
        w = 1 / np.arange(1, n + 1) ** 1.1
        rng.shuffle(w)
        return np.asarray(w / w.sum())

    desks: list[Desk] = []
    shares: list[float] = []
    centres = {a.parent_id: a for a in Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE)}
    for committee in communes:
        centre = centres.get(committee.pk)
        if centre is None:
            continue
        desks.append(
            Desk(
                centre.pk,
                centre.code,
                committee.pk,
                compiled_calendar(calendar_of(centre)),
                commune_versions,
                zipf(len(commune_versions)),
            )
        )
        shares.append(float(rng.uniform(0.5, 1.5)))
    province = province_of_installation(on)
    provincial_centre = Agency.objects.filter(
        kind=AgencyKind.SERVICE_CENTRE, level=AgencyLevel.PROVINCE
    ).first()
    departments = list(Agency.objects.filter(kind=AgencyKind.DEPARTMENT, parent=province))
    assert provincial_centre is not None
    assert departments
    total_commune = sum(shares)
    for department in departments:
        desks.append(
            Desk(
                provincial_centre.pk,
                provincial_centre.code,
                department.pk,
                compiled_calendar(calendar_of(provincial_centre)),
                province_versions,
                zipf(len(province_versions)),
            )
        )
        shares.append(total_commune / 3 / len(departments))  # ~25 % provincial
    return desks, shares


class _Copy:
    """Lines of COPY … FROM STDIN text for one table (written by ``_Writer``)."""

    def __init__(self, table: str, columns: list[str]) -> None:
        self.table, self.columns = table, columns
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def statement(self) -> str:
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.table}" ({quoted}) FROM STDIN'


class _Writer(threading.Thread):
    """Writes batches on its own connection while the next batch is generated (PostgreSQL works
    on one core, Python on the other); one transaction per batch."""

    def __init__(self, params: dict[str, Any], fast_load: bool) -> None:
        super().__init__(daemon=True)
        self.params, self.fast_load = params, fast_load
        self.queue: queue.Queue[list[_Copy] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(**self.params) as conn:
                while (batch := self.queue.get()) is not None:
                    with conn.transaction(), conn.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit = off")
                        if self.fast_load:
                            # Bulk-load mode: foreign-key triggers off for this transaction
                            # (superuser only). The rows are consistent by construction: ids of
                            # existing agencies and versions, dossiers written in the same batch.
                            cursor.execute("SET LOCAL session_replication_role = replica")
                        for table in batch:
                            with cursor.copy(table.statement()) as copy:
                                copy.write("".join(table.lines))
        except BaseException as error:  # noqa: BLE001 - reported by the producer
            self.error = error
            while self.queue.get() is not None:
                pass

    def put(self, batch: list[_Copy] | None) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)


_DAY_TEXT: dict[int, str] = {}
_EPOCH = dt.date(1970, 1, 1)


def _ts(seconds: int) -> str:
    """Epoch seconds as COPY text (UTC), ~1 µs: the date part is cached per day."""
    day, rest = divmod(int(seconds), 86400)
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = (_EPOCH + dt.timedelta(days=day)).isoformat()
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{text} {hours:02d}:{minutes:02d}:{secs:02d}+00"


def generate(
    dossiers: int,
    *,
    seed: int = 766,
    end: dt.date | None = None,
    days: int = 365,
    communes: int = 100,
    batch: int = 50_000,
    fast_load: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Write ``dossiers`` synthetic dossiers received over ``days`` days up to ``end``."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The generator writes with COPY: it needs PostgreSQL (DATABASE_URL).")
    end = end or (dt.datetime.now(VN_TZ).date() - dt.timedelta(days=1))
    rng = np.random.default_rng(seed)
    names = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    committees = ensure_communes(communes)
    desks, shares = _desks(rng, committees, end)
    limits = _limits(end)
    share = np.asarray(shares) / sum(shares)
    first_day = end - dt.timedelta(days=days - 1)
    calendar = desks[0].calendar
    working = [
        first_day + dt.timedelta(days=i)
        for i in range(days)
        if calendar.is_working_day(first_day + dt.timedelta(days=i))
    ]
    day_starts = np.array(
        [int(dt.datetime.combine(d, dt.time(7), tzinfo=VN_TZ).timestamp()) for d in working],
        dtype=np.int64,
    )
    horizon = int(
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ).timestamp()
    )
    dossier_cols = [str(f.column) for f in Dossier._meta.concrete_fields]
    defaults = _defaults()
    transition_cols = [
        str(f.column) for f in DossierTransition._meta.concrete_fields if f.column != "id"
    ]
    expected = ["dossier_id", "seq", "action", "from_status", "to_status", "at", "actor_id"]
    expected += ["actor_role", "actor_agency_id", "reason", "clock_effect", "due_before"]
    expected += ["due_after", "data"]
    if transition_cols != expected:  # the row text below is written in this order
        raise RuntimeError(f"DossierTransition columns changed: {transition_cols}")
    pause_cols = [str(f.column) for f in DossierPause._meta.concrete_fields if f.column != "id"]
    with connection.cursor() as django_cursor:
        django_cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{Dossier._meta.db_table}"')  # noqa: S608
        next_id = int(django_cursor.fetchone()[0]) + 1
    # Continue each office's gap-free daily numbering (forms-and-codes.md §5.2).
    counters: dict[tuple[str, int], int] = {
        (unit, day.toordinal()): last
        for unit, day, last in CodeCounter.objects.values_list("unit_code", "day", "last")
    }
    started = time.perf_counter()
    written = transitions = 0
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    # Two writers: dossiers (+ pauses) and transitions go through two connections at once.
    writers = [_Writer(params, fast_load), _Writer(params, fast_load)]
    for writer in writers:
        writer.start()
    try:
        while written < dossiers:
            size = min(batch, dossiers - written)
            out_d = _Copy(Dossier._meta.db_table, dossier_cols)
            out_t = _Copy(DossierTransition._meta.db_table, transition_cols)
            out_p = _Copy(DossierPause._meta.db_table, pause_cols)
            transitions += _batch(
                rng,
                names,
                size,
                next_id,
                desks,
                share,
                limits,
                day_starts,
                horizon,
                counters,
                defaults,
                dossier_cols,
                out_d,
                out_t,
                out_p,
            )
            writers[0].put([out_d, out_p])
            writers[1].put([out_t])
            next_id += size
            written += size
            if progress is not None:
                progress(written, dossiers)
    finally:
        for writer in writers:
            if writer.error is None:
                writer.put(None)
            writer.join()
    for writer in writers:
        if writer.error is not None:
            raise writer.error
    with transaction.atomic(), connection.cursor() as django_cursor:
        django_cursor.executemany(
            f'INSERT INTO "{CodeCounter._meta.db_table}" (unit_code, day, last) '  # noqa: S608
            "VALUES (%s, %s, %s) ON CONFLICT (unit_code, day) DO UPDATE SET last = "
            "GREATEST(EXCLUDED.last, " + f'"{CodeCounter._meta.db_table}".last)',
            [(u, dt.date.fromordinal(d), last) for (u, d), last in counters.items()],
        )
        django_cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM "  # noqa: S608
            f'"{Dossier._meta.db_table}"))',
            [Dossier._meta.db_table],
        )
    return Generated(written, transitions, time.perf_counter() - started)


def _defaults() -> dict[str, str]:
    """COPY text for every dossier column's default (columns the generator does not set)."""
    result = {}
    for f in Dossier._meta.concrete_fields:
        value = f.get_default()
        if value is None:
            result[str(f.column)] = "\\N"
        elif isinstance(value, bool):
            result[str(f.column)] = "t" if value else "f"
        elif isinstance(value, list | dict):
            import json

            result[str(f.column)] = json.dumps(value)
        else:
            result[str(f.column)] = str(value)
    return result


def _working(
    desk_idx: np.ndarray[Any, Any],
    desks: list[Desk],
    start: np.ndarray[Any, Any],
    hours: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """``start`` + ``hours`` of working time, per dossier's calendar (vectorised)."""
    out = np.empty_like(start)
    calendars: dict[int, list[int]] = {}
    for i, d in enumerate(desks):
        calendars.setdefault(id(d.calendar), []).append(i)
    for members in calendars.values():
        mask = np.isin(desk_idx, members)
        if mask.any():
            cal = desks[members[0]].calendar
            # Whole minutes keep the engine on its vectorised path.
            minutes = np.maximum(np.round(hours[mask] * 60), 1) / 60
            out[mask] = cal.add_array(start[mask], minutes, UNIT_CODES[Unit.WORKING_HOURS])
    return out


def _batch(
    rng: np.random.Generator,
    names: random.Random,
    n: int,
    first_id: int,
    desks: list[Desk],
    share: np.ndarray[Any, Any],
    limits: dict[int, tuple[float, int] | None],
    day_starts: np.ndarray[Any, Any],
    horizon: int,
    counters: dict[tuple[str, int], int],
    defaults: dict[str, str],
    dossier_cols: list[str],
    out_d: _Copy,
    out_t: _Copy,
    out_p: _Copy,
) -> int:
    desk_idx = rng.choice(len(desks), size=n, p=share)
    minute = rng.integers(0, 480, size=n)  # 8 office hours: 07:00–11:30, 13:30–17:00
    received = (
        day_starts[rng.integers(0, len(day_starts), size=n)]
        + np.where(minute < 270, minute, minute + 120) * 60
    )
    received.sort()  # dossiers arrive in time order (ids follow)
    channel = CHANNELS[rng.choice(len(CHANNELS), size=n, p=CHANNEL_P)]
    version = np.empty(n, dtype=np.int64)
    for i, desk in enumerate(desks):
        mask = desk_idx == i
        k = int(mask.sum())
        if k:
            version[mask] = rng.choice(desk.versions, size=k, p=desk.weights)
    amount = np.zeros(n)
    unit = np.zeros(n, dtype=np.int64)
    has_limit = np.zeros(n, dtype=bool)
    for v in np.unique(version):
        limit = limits.get(int(v))
        if limit is not None:
            mask = version == v
            amount[mask], unit[mask], has_limit[mask] = limit[0], limit[1], True
    due = np.zeros(n, dtype=np.int64)
    calendars: dict[int, list[int]] = {}
    for i, d in enumerate(desks):
        calendars.setdefault(id(d.calendar), []).append(i)
    for members in calendars.values():
        mask = np.isin(desk_idx, members) & has_limit
        if mask.any():
            due[mask] = desks[members[0]].calendar.add_array(
                received[mask], amount[mask], unit[mask]
            )
    limit_hours = np.where(unit == UNIT_CODES[Unit.WORKING_DAYS], amount * 8, amount * 6)
    limit_hours = np.where(has_limit, np.maximum(limit_hours, 1), 40)
    online = np.isin(channel, ["portal", "national_portal", "vneid"])
    submitted = received - rng.integers(600, 3 * 86400, size=n) * online
    transfer = _working(desk_idx, desks, received, rng.uniform(0.2, 2, size=n))
    assign = _working(desk_idx, desks, transfer, rng.uniform(0.5, 4, size=n))
    roll = rng.random(size=(8, n))
    withdraw_early = roll[0] < 0.02
    supplement = (roll[1] < 0.12) & ~withdraw_early
    second_supplement = supplement & (roll[2] < 0.05)
    payment = (roll[3] < 0.06) & ~withdraw_early
    extension = (roll[4] < 0.03) & ~withdraw_early & has_limit
    late = (roll[5] < 0.10) & ~extension
    refused = roll[6] < 0.03
    digitised = roll[7] < 0.7
    ask = _working(desk_idx, desks, assign, rng.uniform(1, 10, size=n))
    back = ask + rng.integers(86400, 8 * 86400, size=n)
    back = _working(desk_idx, desks, back, np.full(n, 0.05))
    ask2 = _working(desk_idx, desks, back, rng.uniform(1, 8, size=n))
    back2 = _working(
        desk_idx, desks, ask2 + rng.integers(86400, 5 * 86400, size=n), np.full(n, 0.05)
    )
    resume = np.where(second_supplement, back2, np.where(supplement, back, assign))
    due_legal = due.copy()
    for members in calendars.values():
        mask = np.isin(desk_idx, members) & supplement & has_limit
        if mask.any():
            due_legal[mask] = desks[members[0]].calendar.add_array(
                resume[mask], amount[mask], unit[mask]
            )
    due_legal = np.where(has_limit, due_legal, resume + 40 * H)  # no limit: a stand-in, unused
    pay_ask = _working(desk_idx, desks, resume, rng.uniform(1, 6, size=n))
    pay_done = _working(desk_idx, desks, pay_ask, rng.uniform(2, 16, size=n))
    after_steps = np.where(payment, pay_done, resume)
    apology = _working(desk_idx, desks, after_steps, np.full(n, 1.0))
    due_current = np.where(
        extension, _working(desk_idx, desks, due_legal, rng.uniform(16, 32, size=n)), due_legal
    )
    on_time_finish = _working(
        desk_idx, desks, after_steps, rng.uniform(0.2, 0.95, size=n) * limit_hours * 0.8
    )
    late_finish = _working(desk_idx, desks, due_legal, rng.uniform(1, 40, size=n))
    ext_finish = _working(desk_idx, desks, due_legal, rng.uniform(1, 12, size=n))
    finish = np.where(extension, ext_finish, np.where(late, late_finish, on_time_finish))
    finish = np.maximum(finish, after_steps + 60)
    returned = _working(desk_idx, desks, finish, rng.uniform(1, 24, size=n))
    # Timestamps as COPY text, vectorised once per array (the loop below only indexes lists).
    text = {
        name: _texts(values)
        for name, values in (
            ("received", received),
            ("submitted", submitted),
            ("transfer", transfer),
            ("assign", assign),
            ("ask", ask),
            ("back", back),
            ("ask2", ask2),
            ("back2", back2),
            ("pay_ask", pay_ask),
            ("pay_done", pay_done),
            ("apology", apology),
            ("finish", finish),
            ("returned", returned),
            ("due", due),
            ("due_legal", due_legal),
            ("due_current", due_current),
        )
    }
    t_received, t_submitted, t_transfer, t_assign = (
        text["received"],
        text["submitted"],
        text["transfer"],
        text["assign"],
    )
    t_ask, t_back, t_ask2, t_back2 = text["ask"], text["back"], text["ask2"], text["back2"]
    t_pay_ask, t_pay_done, t_apology = text["pay_ask"], text["pay_done"], text["apology"]
    t_finish, t_returned = text["finish"], text["returned"]
    t_due, t_legal, t_current = text["due"], text["due_legal"], text["due_current"]
    ints = {
        name: values.tolist()
        for name, values in (
            ("received", received),
            ("transfer", transfer),
            ("assign", assign),
            ("ask", ask),
            ("back", back),
            ("ask2", ask2),
            ("back2", back2),
            ("pay_ask", pay_ask),
            ("pay_done", pay_done),
            ("apology", apology),
            ("finish", finish),
            ("returned", returned),
            ("due_legal", due_legal),
        )
    }
    i_transfer, i_assign, i_ask, i_back = (
        ints["transfer"],
        ints["assign"],
        ints["ask"],
        ints["back"],
    )
    i_ask2, i_back2, i_pay_ask, i_pay_done = (
        ints["ask2"],
        ints["back2"],
        ints["pay_ask"],
        ints["pay_done"],
    )
    i_apology, i_finish, i_returned, i_legal = (
        ints["apology"],
        ints["finish"],
        ints["returned"],
        ints["due_legal"],
    )
    flags = {
        name: values.tolist()
        for name, values in (
            ("online", online),
            ("withdraw", withdraw_early),
            ("supplement", supplement),
            ("second", second_supplement),
            ("payment", payment),
            ("extension", extension),
            ("refused", refused),
            ("digitised", digitised),
            ("limit", has_limit),
        )
    }
    f_online, f_withdraw, f_supp, f_second = (
        flags["online"],
        flags["withdraw"],
        flags["supplement"],
        flags["second"],
    )
    f_pay, f_ext, f_ref, f_dig, f_limit = (
        flags["payment"],
        flags["extension"],
        flags["refused"],
        flags["digitised"],
        flags["limit"],
    )
    desk_list, version_list, channel_list = desk_idx.tolist(), version.tolist(), channel.tolist()
    received_list = received.tolist()
    unit_name = {v: k for k, v in UNIT_BY_NAME.items()}
    amount_list, unit_list = amount.tolist(), unit.tolist()
    d_index = {c: i for i, c in enumerate(dossier_cols)}
    template = [defaults[c] for c in dossier_cols]
    null = "\\N"
    count = 0
    for i in range(n):
        dossier_id = first_id + i
        desk = desks[desk_list[i]]
        r = received_list[i]
        local_day = (r + 7 * 3600) // 86400
        counter_key = (desk.office_code, local_day + 719163)  # proleptic ordinal of the VN date
        number = counters.get(counter_key, 0) + 1
        counters[counter_key] = number
        ymd = t_received[i]
        code = f"{desk.office_code}-{_yymmdd(local_day)}-{number:04d}"
        limited = f_limit[i]
        cur = t_due[i] if limited else null
        # (action, from, to, at text, due text)
        events: list[tuple[str, str, str, str, str]] = []
        if f_online[i]:
            events.append(("submit", "draft", "submitted", t_submitted[i], null))
            events.append(("accept_online", "submitted", "received", ymd, cur))
        else:
            events.append(("receive", "draft", "received", ymd, cur))
        status = "received"
        pauses: list[tuple[str, str]] = []
        ended = resolved = returned_text = paused = null
        transferred = null
        legal = cur
        while True:  # one pass; ``break`` when the next step is after the horizon
            if f_withdraw[i]:
                if i_transfer[i] < horizon:
                    events.append(("withdraw", status, "withdrawn", t_transfer[i], cur))
                    status, ended = "withdrawn", t_transfer[i]
                break
            if i_transfer[i] >= horizon:
                break
            events.append(("transfer", status, "in_process", t_transfer[i], cur))
            status, transferred = "in_process", t_transfer[i]
            if i_assign[i] >= horizon:
                break
            events.append(("assign", status, status, t_assign[i], cur))
            if f_supp[i]:
                if i_ask[i] >= horizon:
                    break
                events.append(("request_supplement", status, "awaiting_supplement", t_ask[i], cur))
                status, paused = "awaiting_supplement", t_ask[i]
                if i_back[i] >= horizon:
                    pauses.append((t_ask[i], null))
                    break
                pauses.append((t_ask[i], t_back[i]))
                if limited and not f_second[i]:
                    cur = legal = t_legal[i]
                events.append(("receive_supplement", status, "in_process", t_back[i], cur))
                status, paused = "in_process", null
                if f_second[i]:
                    if i_ask2[i] >= horizon:
                        break
                    events.append(
                        ("request_supplement", status, "awaiting_supplement", t_ask2[i], cur)
                    )
                    status, paused = "awaiting_supplement", t_ask2[i]
                    if i_back2[i] >= horizon:
                        pauses.append((t_ask2[i], null))
                        break
                    pauses.append((t_ask2[i], t_back2[i]))
                    if limited:
                        cur = legal = t_legal[i]
                    events.append(("receive_supplement", status, "in_process", t_back2[i], cur))
                    status, paused = "in_process", null
            if f_pay[i]:
                if i_pay_ask[i] >= horizon:
                    break
                events.append(("request_payment", status, "awaiting_payment", t_pay_ask[i], cur))
                status = "awaiting_payment"
                if i_pay_done[i] >= horizon:
                    break
                events.append(("confirm_payment", status, "in_process", t_pay_done[i], cur))
                status = "in_process"
            if f_ext[i] and i_apology[i] < i_legal[i]:
                if i_apology[i] >= horizon:
                    break
                cur = t_current[i]
                events.append(("extend", status, status, t_apology[i], cur))
            if i_finish[i] >= horizon:
                break
            if f_ref[i]:
                events.append(("refuse_after_appraisal", status, "stopped", t_finish[i], cur))
                status, ended = "stopped", t_finish[i]
                break
            events.append(("issue_result", status, "resolved", t_finish[i], cur))
            status, ended = "resolved", t_finish[i]
            resolved = ended
            if i_returned[i] < horizon:
                events.append(("return_result", status, "returned", t_returned[i], cur))
                status, returned_text = "returned", t_returned[i]
            break
        row = list(template)
        row[d_index["id"]] = str(dossier_id)
        row[d_index["code"]] = code
        row[d_index["procedure_version_id"]] = str(version_list[i])
        row[d_index["receiving_office_id"]] = str(desk.office)
        row[d_index["competent_agency_id"]] = str(desk.competent)
        row[d_index["channel"]] = channel_list[i]
        row[d_index["applicant_name"]] = f"Người dân mô phỏng {dossier_id}"
        row[d_index["status"]] = status
        row[d_index["version"]] = str(len(events))
        if limited:
            row[d_index["time_limit_amount"]] = f"{amount_list[i]:.2f}"
            row[d_index["time_limit_unit"]] = unit_name[unit_list[i]]
            row[d_index["due_original"]] = t_due[i]
            row[d_index["due_legal"]] = legal
            row[d_index["due_current"]] = cur
        row[d_index["submitted_at"]] = t_submitted[i] if f_online[i] else null
        row[d_index["received_at"]] = row[d_index["counting_started_at"]] = ymd
        row[d_index["supplement_count"]] = str(len(pauses))
        row[d_index["extension_count"]] = "1" if cur != legal else "0"
        row[d_index["transferred_at"]] = transferred
        row[d_index["resolved_at"]] = resolved
        row[d_index["returned_at"]] = returned_text
        row[d_index["ended_at"]] = ended
        row[d_index["result_count"]] = "0" if resolved == null else "1"
        row[d_index["has_digitised_components"]] = "t" if f_dig[i] else "f"
        row[d_index["paused_at"]] = paused
        row[d_index["created_at"]] = events[0][3]
        row[d_index["updated_at"]] = events[-1][3]
        out_d.add("\t".join(row) + "\n")
        prefix = f"{dossier_id}\t"
        out_t.add(
            "".join(
                f"{prefix}{seq}\t{action}\t{src}\t{dst}\t{at}\t\\N\tsystem\t\\N\t\t"
                f"{_EFFECT.get(action, 'none')}\t\\N\t{due_after}\t{{}}\n"
                for seq, (action, src, dst, at, due_after) in enumerate(events, start=1)
            )
        )
        for asked, completed in pauses:
            out_p.add(f"{prefix}supplement\t{asked}\t{completed}\tt\n")
        count += len(events)
    _ = names
    return count


def _texts(values: np.ndarray[Any, Any]) -> list[str]:
    """Epoch seconds → COPY text timestamps (UTC), vectorised."""
    stamps = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
    return [f"{v}+00" for v in stamps.tolist()]


_YYMMDD: dict[int, str] = {}


def _yymmdd(day: int) -> str:
    text = _YYMMDD.get(day)
    if text is None:
        text = _YYMMDD[day] = f"{_EPOCH + dt.timedelta(days=day):%y%m%d}"
    return text


_EFFECT = {
    "receive": "start",
    "accept_online": "start",
    "request_supplement": "pause",
    "receive_supplement": "restart",
    "extend": "extend",
    "refuse_after_appraisal": "end",
    "issue_result": "end",
    "withdraw": "stop",
}


def stderr_progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr."""
    width = 40
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


__all__ = ["Generated", "ProcedureVersion", "ensure_communes", "generate", "stderr_progress"]
