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
from motcua.reports import bulkload

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
    #: Of ``seconds``: building the secondary indexes after the load (0 without); those of the
    #: dossier table are built while the transitions are still loading, not counted here.
    index_seconds: float = 0.0
    #: Of ``seconds``: Python waiting for the writers (PostgreSQL slower than the producer).
    wait_seconds: float = 0.0
    #: Seconds each writer spent in COPY (dossiers and pauses; transitions).
    writer_seconds: tuple[float, ...] = ()

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
    """COPY … FROM STDIN data for one table (written by ``_Writer``): text ``lines``, or with
    ``binary`` the tuples of PostgreSQL's binary format in ``chunks``."""

    def __init__(self, table: str, columns: list[str], *, binary: bool = False) -> None:
        self.table, self.columns, self.binary = table, columns, binary
        self.lines: list[str] = []
        self.chunks: list[bytes] = []

    def statement(self) -> str:
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        form = " (FORMAT BINARY)" if self.binary else ""
        return f'COPY "{self.table}" ({quoted}) FROM STDIN{form}'

    def data(self) -> bytes | str:
        if self.binary:
            return b"".join([_BINARY_HEADER, *self.chunks, _BINARY_TRAILER])
        return "".join(self.lines)


class _Writer(threading.Thread):
    """Writes batches on its own connection while the next batch is generated (PostgreSQL works
    on one core, Python on the other); one transaction per batch."""

    def __init__(
        self, params: dict[str, Any], fast_load: bool, finish: Callable[[], None] | None = None
    ) -> None:
        super().__init__(daemon=True)
        self.params, self.fast_load, self.finish = params, fast_load, finish
        self.queue: queue.Queue[list[_Copy] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.busy = 0.0  # seconds spent writing

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(**self.params) as conn:
                while (batch := self.queue.get()) is not None:
                    started = time.perf_counter()
                    with conn.transaction(), conn.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit = off")
                        # Timestamps are written as UTC text without an offset (``_texts``).
                        cursor.execute("SET LOCAL timezone = 'UTC'")
                        if self.fast_load:
                            # Bulk-load mode: foreign-key triggers off for this transaction
                            # (superuser only). The rows are consistent by construction: ids of
                            # existing agencies and versions, dossiers written in the same batch.
                            cursor.execute("SET LOCAL session_replication_role = replica")
                        for table in batch:
                            with cursor.copy(table.statement()) as copy:
                                copy.write(table.data())
                    self.busy += time.perf_counter() - started
            if self.finish is not None:  # its tables are complete: e.g. build their indexes
                self.finish()
        except BaseException as error:  # noqa: BLE001 - reported by the producer
            self.error = error
            while self.queue.get() is not None:
                pass

    def put(self, batch: list[_Copy] | None) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)


_EPOCH = dt.date(1970, 1, 1)
NULL = "\\N"  # COPY text for NULL


def generate(
    dossiers: int,
    *,
    seed: int = 766,
    end: dt.date | None = None,
    days: int = 365,
    communes: int = 100,
    batch: int = 50_000,
    fast_load: bool = True,
    rebuild_indexes: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Write ``dossiers`` synthetic dossiers received over ``days`` days up to ``end``.

    ``rebuild_indexes``: drop the secondary indexes of the dossier tables before the COPY and
    build them again after (``bulkload``; counted in the rate). ``None`` (default) does it when
    the load at least doubles the table, where one build beats row-by-row maintenance.
    """
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
    tables = [m._meta.db_table for m in (Dossier, DossierTransition, DossierPause)]
    bulkload.restore_pending(tables)  # an interrupted earlier load
    with connection.cursor() as django_cursor:
        django_cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{Dossier._meta.db_table}"')  # noqa: S608
        next_id = int(django_cursor.fetchone()[0]) + 1
    if rebuild_indexes is None:
        rebuild_indexes = dossiers >= bulkload.rows(Dossier._meta.db_table)
    # Continue each office's gap-free daily numbering (forms-and-codes.md §5.2).
    counters: dict[tuple[str, int], int] = {
        (unit, day.toordinal()): last
        for unit, day, last in CodeCounter.objects.values_list("unit_code", "day", "last")
    }
    started = time.perf_counter()
    dropped = bulkload.drop(tables) if rebuild_indexes else []
    index_seconds = wait_seconds = 0.0
    written = transitions = 0
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    # Two writers: dossiers (+ pauses) and transitions go through two connections at once.
    # The dossier writer finishes first (its rows are fewer): it then builds the indexes of its
    # tables while the transitions are still being written, on the core it no longer needs.
    early = [Dossier._meta.db_table, DossierPause._meta.db_table]

    def build_early() -> None:
        try:
            mine = [i.definition for i in dropped if i.table in early]
            if mine:
                bulkload.rebuild(early, mine, workers=1)
        finally:
            connection.close()  # this thread's own Django connection

    writers = [_Writer(params, fast_load, finish=build_early), _Writer(params, fast_load)]
    for writer in writers:
        writer.start()
    try:
        while written < dossiers:
            size = min(batch, dossiers - written)
            out_d = _Copy(Dossier._meta.db_table, dossier_cols)
            out_t = _Copy(DossierTransition._meta.db_table, transition_cols, binary=True)
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
            waiting = time.perf_counter()
            writers[0].put([out_d, out_p])
            writers[1].put([out_t])
            wait_seconds += time.perf_counter() - waiting
            next_id += size
            written += size
            if progress is not None:
                progress(written, dossiers)
    finally:
        for writer in writers:
            if writer.error is None:
                writer.put(None)
            writer.join()
        if dropped:  # also after a failure: the schema is whole again
            index_started = time.perf_counter()
            remaining = [t for t in tables if bulkload.pending([t])]
            if remaining:
                bulkload.rebuild(remaining, bulkload.pending(remaining))
            index_seconds = time.perf_counter() - index_started
    for writer in writers:
        if writer.error is not None:
            raise writer.error
    with transaction.atomic(), connection.cursor() as django_cursor:
        django_cursor.execute(  # one statement for the ~70 offices × days (not one each)
            f'INSERT INTO "{CodeCounter._meta.db_table}" (unit_code, day, last) '  # noqa: S608
            "SELECT * FROM unnest(%s::text[], %s::date[], %s::int[]) "
            "ON CONFLICT (unit_code, day) DO UPDATE SET last = "
            "GREATEST(EXCLUDED.last, " + f'"{CodeCounter._meta.db_table}".last)',
            [
                [u for u, _ in counters],
                [dt.date.fromordinal(d) for _, d in counters],
                list(counters.values()),
            ],
        )
        django_cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM "  # noqa: S608
            f'"{Dossier._meta.db_table}"))',
            [Dossier._meta.db_table],
        )
    return Generated(
        written,
        transitions,
        time.perf_counter() - started,
        index_seconds,
        wait_seconds,
        tuple(round(w.busy, 1) for w in writers),
    )


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
            # Whole quarter-hours: k/4 is exact in binary and k/4 × 60 a whole number of minutes,
            # which keeps the engine on its vectorised path (m/60 is not exact: case by case).
            quarters = np.maximum(np.round(hours[mask] * 4), 1) / 4
            out[mask] = cal.add_array(start[mask], quarters, UNIT_CODES[Unit.WORKING_HOURS])
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
    # The rest is vectorised by *event*, not by dossier: which events happen (a dossier stops at
    # the first step after the horizon), their sequence numbers, and the binary COPY rows of each
    # event for every dossier that has it; then all rows are put in (dossier, seq) order.
    text = {  # timestamps as COPY text, only where the event can happen ("" elsewhere)
        name: _texts(values, where)
        for name, values, where in (
            ("received", received, None),
            ("submitted", submitted, online),
            ("transfer", transfer, None),
            ("ask", ask, supplement),
            ("back", back, supplement),
            ("ask2", ask2, second_supplement),
            ("back2", back2, second_supplement),
            ("finish", finish, None),
            ("returned", returned, None),
            ("due", due, has_limit),
            ("due_legal", due_legal, has_limit),
            ("due_current", due_current, extension),
        )
    }
    null = np.full(n, NULL, dtype=object)
    # Which events happen (T-numbers: lifecycle.md).

    def before(instants: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.asarray(instants < horizon)

    h_withdraw = withdraw_early & before(transfer)
    h_transfer = ~withdraw_early & before(transfer)
    h_assign = h_transfer & before(assign)
    h_ask = h_assign & supplement & before(ask)
    h_back = h_ask & before(back)
    h_ask2 = h_back & second_supplement & before(ask2)
    h_back2 = h_ask2 & before(back2)
    supplied = h_assign & (~supplement | (h_back & (~second_supplement | h_back2)))
    h_pay_ask = supplied & payment & before(pay_ask)
    h_pay_done = h_pay_ask & before(pay_done)
    paid = supplied & (~payment | h_pay_done)
    extends = extension & (apology < due_legal)
    h_extend = paid & extends & before(apology)
    h_finish = paid & (~extends | h_extend) & before(finish)
    h_refuse = h_finish & refused
    h_result = h_finish & ~refused
    h_return = h_result & before(returned)
    # The appointment each event carries: the original one, the restarted one once the (last)
    # supplement is in (NĐ 61/2018 Art 19), the extended one after an apology (T14).
    due_text = np.where(has_limit, text["due"], null)
    restarted = has_limit & ((h_back & ~second_supplement) | h_back2)
    legal_text = np.where(restarted, text["due_legal"], due_text)
    current_text = np.where(h_extend, text["due_current"], legal_text)
    # The same appointments as instants for the binary transition rows (``limited``: not NULL).
    limited = has_limit
    legal_at = np.where(restarted, due_legal, due)
    back_at = np.where(~second_supplement, due_legal, due)
    current_at = np.where(h_extend, due_current, legal_at)
    always = np.ones(n, dtype=bool)
    slots: list[tuple[Event, np.ndarray[Any, Any], Any, Any, Any]] = [
        # (event, happens, at, due after, due after not NULL)
        (E_SUBMIT, online, submitted, due, ~always),
        (E_ACCEPT, online, received, due, limited),
        (E_RECEIVE, ~online, received, due, limited),
        (E_WITHDRAW, h_withdraw, transfer, due, limited),
        (E_TRANSFER, h_transfer, transfer, due, limited),
        (E_ASSIGN, h_assign, assign, due, limited),
        (E_ASK, h_ask, ask, due, limited),
        (E_BACK, h_back, back, back_at, limited),
        (E_ASK, h_ask2, ask2, due, limited),
        (E_BACK, h_back2, back2, legal_at, limited),
        (E_PAY_ASK, h_pay_ask, pay_ask, legal_at, limited),
        (E_PAY_DONE, h_pay_done, pay_done, legal_at, limited),
        (E_EXTEND, h_extend, apology, due_current, always),
        (E_REFUSE, h_refuse, finish, current_at, limited),
        (E_RESULT, h_result, finish, current_at, limited),
        (E_RETURN, h_return, returned, current_at, limited),
    ]
    happens = np.stack([slot[1] for slot in slots])
    seqs = np.cumsum(happens, axis=0)  # the event's number in its dossier's history
    events = seqs[-1]
    dossier_ids = np.arange(first_id, first_id + n, dtype=np.int64)
    ids = dossier_ids.astype(str).astype(object)
    numbers = np.array([str(k) for k in range(len(slots) + 1)], dtype=object)
    last_at = received.copy()
    parts: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = []
    for k, (event, mask, at, due_after, due_set) in enumerate(slots):
        parts.extend(_transition_rows(event, mask, dossier_ids, seqs[k], at, due_after, due_set))
        last_at = np.where(mask, at, last_at)
    # In (dossier, seq) order: measured, PostgreSQL inserts them ~1.7× faster than event by
    # event (its unique (dossier, seq) index grows at one end, 25 % smaller).
    keys = np.concatenate([k for _, k in parts])
    out_t.chunks.append(np.concatenate([rows for rows, _ in parts])[np.argsort(keys)].tobytes())
    for asked, completed, mask, done in (
        ("ask", "back", h_ask, h_back),
        ("ask2", "back2", h_ask2, h_back2),
    ):
        index = np.flatnonzero(mask)
        ends = np.where(done, text[completed], null)
        out_p.lines.extend(
            f"{d}\tsupplement\t{a}\t{c}\tt\n"
            for d, a, c in zip(
                ids[index].tolist(), _pick(text[asked], index), _pick(ends, index), strict=True
            )
        )
    # The dossier rows: one column at a time, then one join per row.
    status = np.select(
        [
            h_return,
            h_result,
            h_refuse,
            h_withdraw,
            h_pay_ask & ~h_pay_done,
            (h_ask & ~h_back) | (h_ask2 & ~h_back2),
            h_transfer,
        ],
        [
            "returned",
            "resolved",
            "stopped",
            "withdrawn",
            "awaiting_payment",
            "awaiting_supplement",
            "in_process",
        ],
        "received",
    ).astype(object)
    unit_name = np.array([{v: k for k, v in UNIT_BY_NAME.items()}.get(u, NULL) for u in range(8)])
    office_codes = np.array([d.office_code for d in desks], dtype=object)
    local_day = (received + 7 * 3600) // 86400
    column: dict[str, Any] = dict.fromkeys(dossier_cols)
    column.update(
        id=ids,
        code=_codes(desk_idx, local_day, office_codes, counters),
        procedure_version_id=version.astype(str).astype(object),
        receiving_office_id=np.array([str(d.office) for d in desks], dtype=object)[desk_idx],
        competent_agency_id=np.array([str(d.competent) for d in desks], dtype=object)[desk_idx],
        channel=channel.astype(object),
        applicant_name=np.array([f"Người dân mô phỏng {d}" for d in ids.tolist()], dtype=object),
        status=status,
        version=numbers[events],
        time_limit_amount=np.where(has_limit, np.char.mod("%.2f", amount).astype(object), null),
        time_limit_unit=np.where(has_limit, unit_name[unit], defaults["time_limit_unit"]).astype(
            object
        ),
        due_original=due_text,
        due_legal=legal_text,
        due_current=current_text,
        submitted_at=np.where(online, text["submitted"], null),
        received_at=text["received"],
        counting_started_at=text["received"],
        supplement_count=numbers[h_ask.astype(int) + h_ask2.astype(int)],
        extension_count=np.where(h_extend, "1", "0").astype(object),
        transferred_at=np.where(h_transfer, text["transfer"], null),
        resolved_at=np.where(h_result, text["finish"], null),
        returned_at=np.where(h_return, text["returned"], null),
        ended_at=np.where(h_withdraw, text["transfer"], np.where(h_finish, text["finish"], null)),
        result_count=np.where(h_result, "1", "0").astype(object),
        has_digitised_components=np.where(digitised, "t", "f").astype(object),
        paused_at=np.where(
            h_ask & ~h_back, text["ask"], np.where(h_ask2 & ~h_back2, text["ask2"], null)
        ),
        created_at=np.where(online, text["submitted"], text["received"]),
        updated_at=_texts(last_at, None),
    )
    if list(column) != dossier_cols:  # a misspelt or new column
        raise RuntimeError(f"Dossier columns changed: {sorted(set(column) - set(dossier_cols))}")
    values = [
        np.full(n, defaults[c], dtype=object).tolist() if v is None else v.tolist()
        for c, v in column.items()
    ]
    out_d.lines.extend(f"{chr(9).join(row)}\n" for row in zip(*values, strict=True))
    _ = names
    return int(events.sum())


def _texts(values: np.ndarray[Any, Any], where: np.ndarray[Any, Any] | None) -> Any:
    """Epoch seconds → COPY text timestamps (an object array of str), vectorised: UTC without an
    offset (the writers set the session's time zone to UTC); only at ``where`` when given, ""
    elsewhere (never written)."""
    if where is None:
        return np.datetime_as_string(values.astype("datetime64[s]"), unit="s").astype(object)
    out = np.full(len(values), "", dtype=object)
    index = np.flatnonzero(where)
    out[index] = np.datetime_as_string(values[index].astype("datetime64[s]"), unit="s")
    return out


def _pick(values: Any, index: np.ndarray[Any, Any]) -> list[str]:
    return list(values[index].tolist())


def _codes(
    desk_idx: np.ndarray[Any, Any],
    local_day: np.ndarray[Any, Any],
    office_codes: np.ndarray[Any, Any],
    counters: dict[tuple[str, int], int],
) -> Any:
    """Dossier codes ``<office>-YYMMDD-NNNN``, numbered gap-free per office and local day in
    arrival order, continuing ``counters`` (forms-and-codes.md §5.2); updates ``counters``."""
    offices = np.unique(office_codes[desk_idx], return_inverse=True)
    names, office = offices[0], offices[1]
    key = office.astype(np.int64) * 1_000_000 + local_day
    order = np.argsort(key, kind="stable")  # arrival order within each (office, day)
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    rank = np.arange(len(key)) - np.repeat(starts, sizes)
    base = np.empty(len(starts), dtype=np.int64)
    for g, (first, size) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True)):
        k = int(sorted_key[first])
        counter = (str(names[k // 1_000_000]), k % 1_000_000 + 719163)  # proleptic ordinal
        base[g] = counters.get(counter, 0)
        counters[counter] = int(base[g]) + size
    number = np.empty(len(key), dtype=np.int64)
    number[order] = np.repeat(base, sizes) + rank + 1
    days = np.unique(local_day)
    day_text = dict(zip(days.tolist(), [_yymmdd(int(d)) for d in days], strict=True))
    return np.array(
        [
            f"{o}-{day_text[d]}-{k:04d}"
            for o, d, k in zip(
                office_codes[desk_idx].tolist(), local_day.tolist(), number.tolist(), strict=True
            )
        ],
        dtype=object,
    )


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


type Event = tuple[str, str, str]  # action, from status, to status

E_SUBMIT: Event = ("submit", "draft", "submitted")
E_ACCEPT: Event = ("accept_online", "submitted", "received")
E_RECEIVE: Event = ("receive", "draft", "received")
E_WITHDRAW: Event = ("withdraw", "received", "withdrawn")
E_TRANSFER: Event = ("transfer", "received", "in_process")
E_ASSIGN: Event = ("assign", "in_process", "in_process")
E_ASK: Event = ("request_supplement", "in_process", "awaiting_supplement")
E_BACK: Event = ("receive_supplement", "awaiting_supplement", "in_process")
E_PAY_ASK: Event = ("request_payment", "in_process", "awaiting_payment")
E_PAY_DONE: Event = ("confirm_payment", "awaiting_payment", "in_process")
E_EXTEND: Event = ("extend", "in_process", "in_process")
E_REFUSE: Event = ("refuse_after_appraisal", "in_process", "stopped")
E_RESULT: Event = ("issue_result", "in_process", "resolved")
E_RETURN: Event = ("return_result", "resolved", "returned")

# PostgreSQL's binary COPY format: a header, then per row a field count and, per field, its
# length (−1: NULL) and its bytes, all big-endian; timestamps are µs since 2000-01-01 UTC.
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no extension
_BINARY_TRAILER = b"\xff\xff"
_PG_EPOCH = 946_684_800  # 2000-01-01T00:00:00Z in Unix seconds


def _fields(event: Event, with_due: bool) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The packed fields of one kind of transition up to ``data`` (``expected``'s order) and the
    values of its constant fields."""
    action, source, target = event
    fields: list[tuple[str, str]] = [("fields", ">i2")]
    constants: dict[str, Any] = {"fields": 14}

    def number(name: str, kind: str, size: int) -> None:
        fields.extend([(f"{name}_len", ">i4"), (name, kind)])
        constants[f"{name}_len"] = size

    def constant(name: str, value: bytes | None) -> None:
        fields.append((f"{name}_len", ">i4"))
        constants[f"{name}_len"] = -1 if value is None else len(value)
        if value:
            fields.append((name, f"S{len(value)}"))
            constants[name] = value

    number("dossier_id", ">i8", 8)
    number("seq", ">i4", 4)
    constant("action", action.encode())
    constant("from_status", source.encode())
    constant("to_status", target.encode())
    number("at", ">i8", 8)
    constant("actor_id", None)
    constant("actor_role", b"system")
    constant("actor_agency_id", None)
    constant("reason", b"")
    constant("clock_effect", _EFFECT.get(action, "none").encode())
    constant("due_before", None)
    if with_due:
        number("due_after", ">i8", 8)
    else:
        constant("due_after", None)
    fields.append(("data_len", ">i4"))
    return fields, constants


_EVENTS: tuple[Event, ...] = (E_SUBMIT, E_ACCEPT, E_RECEIVE, E_WITHDRAW, E_TRANSFER, E_ASSIGN)
_EVENTS += (E_ASK, E_BACK, E_PAY_ASK, E_PAY_DONE, E_EXTEND, E_REFUSE, E_RESULT, E_RETURN)
_JSON = b"\x01{}"  # jsonb: format version 1, then the text
#: Every binary transition row is padded to this size (see ``_layout``).
_ROW_BYTES = len(_JSON) + max(
    np.dtype(_fields(e, with_due)[0]).itemsize for e in _EVENTS for with_due in (True, False)
)
_LAYOUTS: dict[tuple[Event, bool], tuple[np.dtype[Any], dict[str, Any]]] = {}


def _layout(event: Event, with_due: bool) -> tuple[np.dtype[Any], dict[str, Any]]:
    """The packed row type of one kind of transition and the values of its constant fields.

    Every kind is padded to ``_ROW_BYTES`` with spaces after the ``data`` JSON (``{}``; jsonb
    does not keep insignificant whitespace, so the stored value is the same), which lets the rows
    of all kinds be put in (dossier, seq) order as the rows of one byte matrix.
    """
    key = (event, with_due)
    if key not in _LAYOUTS:
        fields, constants = _fields(event, with_due)
        data = _JSON + b" " * (_ROW_BYTES - np.dtype(fields).itemsize - len(_JSON))
        fields.append(("data", f"S{len(data)}"))
        constants.update(data_len=len(data), data=data)
        _LAYOUTS[key] = (np.dtype(fields), constants)
    return _LAYOUTS[key]


def _transition_rows(
    event: Event,
    happens: np.ndarray[Any, Any],
    dossier_ids: np.ndarray[Any, Any],
    seq: np.ndarray[Any, Any],
    at: np.ndarray[Any, Any],
    due_after: np.ndarray[Any, Any],
    due_set: np.ndarray[Any, Any],
) -> list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """Binary COPY rows of ``event`` for the dossiers where it ``happens``, built as one packed
    array per layout (with and without an appointment) instead of one string per row: a list of
    (rows as a byte matrix of ``_ROW_BYTES`` columns, their (dossier, seq) sort keys)."""
    chunks = []
    for with_due in (True, False):
        index = np.flatnonzero(happens & (due_set if with_due else ~due_set))
        if not len(index):
            continue
        dtype, constants = _layout(event, with_due)
        rows = np.empty(len(index), dtype=dtype)
        for name, value in constants.items():
            rows[name] = value
        rows["dossier_id"] = dossier_ids[index]
        rows["seq"] = seq[index]
        rows["at"] = (at[index] - _PG_EPOCH) * 1_000_000
        if with_due:
            rows["due_after"] = (due_after[index] - _PG_EPOCH) * 1_000_000
        keys = dossier_ids[index] * 32 + seq[index]
        chunks.append((rows.view(np.uint8).reshape(len(index), _ROW_BYTES), keys))
    return chunks


def stderr_progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr."""
    width = 40
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


__all__ = ["Generated", "ProcedureVersion", "ensure_communes", "generate", "stderr_progress"]
