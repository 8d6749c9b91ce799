"""Keep the rollups equal to the transition log: apply each transition once; recount, verify,
rebuild.

How (ADR 0013): every transition writes an outbox message ``dossier.changed`` (dossiers services);
``apply_dossier_change`` is registered for that topic by the composition root. For the message's
dossier it replays the history up to the transition in the message and subtracts what was applied
before (remembered in ``RollupCursor``): the difference goes into the four grains with one upsert
each. A message delivered twice, or late, or out of order changes nothing the second time, because
the cursor only moves forward and the difference of two prefixes does not depend on the order.

``recount`` computes the same sums from the whole log (streaming, in dossier order); ``verify``
compares them with the stored rollups and lists differences; ``rebuild`` replaces the rollups and
cursors with the recount in one transaction.

Working time (``resolved_work_minutes``) is measured by the receiving office's calendar through
``OfficeCalendars``, given to every replay (incremental and recount alike). A calendar edit that
changes past days, or a new calendar assigned to an office, changes the recount of results already
counted: ``verify`` then lists them until ``rebuild`` (docs/statistics.md).
"""

from __future__ import annotations

import array
import datetime as dt
import multiprocessing
import os
import queue
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case, F, JSONField, Max, Min, QuerySet, When

from motcua.calendars.engine import VN_TZ, CompiledCalendar
from motcua.calendars.selectors import compiled_calendar
from motcua.dossiers.models import Dossier, DossierTransition
from motcua.organizations.models import Agency
from motcua.organizations.selectors import agency_by_id, calendar_of
from motcua.reports import recount_worker
from motcua.reports.measures import (
    HAND_OVER,
    METRICS,
    Deltas,
    Event,
    Facts,
    contributions,
)
from motcua.reports.models import (
    DailyAgencyRollup,
    DailyRollup,
    MonthlyAgencyRollup,
    MonthlyRollup,
    RollupCursor,
)

type RollupModel = (
    type[DailyRollup] | type[DailyAgencyRollup] | type[MonthlyRollup] | type[MonthlyAgencyRollup]
)
#: A grain's key: (period, competent, receiving, channel[, version]).
type GrainKey = tuple[Any, ...]
type GrainRows = dict[GrainKey, list[int]]


@dataclass(frozen=True)
class Grain:
    model: RollupModel
    monthly: bool
    by_version: bool

    @property
    def key_columns(self) -> tuple[str, ...]:
        base = ("period", "competent_id", "receiving_id", "channel")
        return (*base, "version_id") if self.by_version else base

    @property
    def label(self) -> str:
        return self.model.__name__


GRAINS: tuple[Grain, ...] = (
    Grain(DailyRollup, monthly=False, by_version=True),
    Grain(DailyAgencyRollup, monthly=False, by_version=False),
    Grain(MonthlyRollup, monthly=True, by_version=True),
    Grain(MonthlyAgencyRollup, monthly=True, by_version=False),
)


def project(facts: Facts, deltas: Deltas, into: dict[Grain, GrainRows], sign: int = 1) -> None:
    """Add one dossier's deltas (× ``sign``) to every grain's rows."""
    for (day, competent, receiving), row in deltas.items():
        month = day.replace(day=1)
        for grain in GRAINS:
            period = month if grain.monthly else day
            key: GrainKey = (
                (period, competent, receiving, facts.channel, facts.version)
                if grain.by_version
                else (period, competent, receiving, facts.channel)
            )
            rows = into.setdefault(grain, {})
            target = rows.get(key)
            if target is None:
                rows[key] = [sign * v for v in row]
            else:
                for i, v in enumerate(row):
                    target[i] += sign * v


# --- Working time ---------------------------------------------------------------------------------


class OfficeCalendars:
    """``measures.WorkingMinutes`` by each receiving office's calendar (its own, else its nearest
    ancestor's, else the national one: ``organizations.selectors.calendar_of``).

    Each office's compiled calendar is looked up once per instance (the lookups are memoised per
    process as well), so one recount uses one consistent set of calendars. An office id that is
    not an agency (data keyed by integers) falls back to the national calendar.
    """

    def __init__(self) -> None:
        self._by_office: dict[int, CompiledCalendar] = {}

    def calendar(self, office: int) -> CompiledCalendar:
        found = self._by_office.get(office)
        if found is None:
            try:
                found = compiled_calendar(calendar_of(agency_by_id(office)))
            except Agency.DoesNotExist:
                found = compiled_calendar()
            self._by_office[office] = found
        return found

    def __call__(self, office: int, a: dt.datetime, b: dt.datetime) -> int:
        found = self._by_office.get(office)
        if found is None:
            found = self.calendar(office)
        return found.working_minutes_between(a, b)


# --- Reading the log ----------------------------------------------------------------------------


def _facts(row: tuple[int, int, int, int, str]) -> Facts:
    _pk, competent, receiving, version, channel = row
    return Facts(competent=competent, receiving=receiving, version=version, channel=channel)


def histories(
    chunk: int = 2000,
    dossier_ids: list[int] | None = None,
    *,
    ids_from: int | None = None,
    ids_to: int | None = None,
) -> Iterator[tuple[int, Facts, list[Event]]]:
    """Every dossier (or those listed, or those with ``ids_from <= id <= ids_to``) with its facts
    and its history, in id order, streamed."""
    base = Dossier.objects.order_by("pk").values_list(
        "pk", "competent_agency_id", "receiving_office_id", "procedure_version_id", "channel"
    )
    if dossier_ids is not None:
        base = base.filter(pk__in=dossier_ids)
    if ids_to is not None:
        base = base.filter(pk__lte=ids_to)
    last = 0 if ids_from is None else ids_from - 1
    while True:
        rows = list(base.filter(pk__gt=last)[:chunk])
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        events = events_of(
            DossierTransition.objects.filter(dossier_id__gte=first, dossier_id__lte=last)
        )
        for row in rows:
            yield row[0], _facts(row), events.get(row[0], [])


def events_of(transitions: QuerySet[DossierTransition]) -> dict[int, list[Event]]:
    """The histories in ``transitions`` (a filtered set: a range or a list of dossiers), by
    dossier, oldest first. One query: a hand-over's details (its ``data``) are read with it, the
    other transitions' are not."""
    rows = transitions.order_by("dossier_id", "seq").values_list(
        "dossier_id",
        "seq",
        "action",
        "at",
        "due_after",
        Case(When(action=HAND_OVER, then=F("data")), default=None, output_field=JSONField()),
    )
    events: dict[int, list[Event]] = {}
    for dossier_id, seq, action, at, due_after, data in rows:
        before = _handed_over_from(data) if action == HAND_OVER else None
        # In Vietnamese time once here: local days and working time then skip the conversion.
        at = at.astimezone(VN_TZ)
        if due_after is not None:
            due_after = due_after.astimezone(VN_TZ)
        events.setdefault(dossier_id, []).append(Event(seq, action, at, due_after, before))
    return events


def _handed_over_from(data: object) -> tuple[int, int] | None:
    """(competent agency, receiving office) before a hand-over, from its ``data``; None when the
    data does not say."""
    before = data.get("before") if isinstance(data, dict) else None
    if not isinstance(before, dict):
        return None
    try:
        return int(before["competent_agency"]), int(before["receiving_office"])
    except (KeyError, TypeError, ValueError):
        return None


# --- Incremental application ----------------------------------------------------------------------


def _add_rows(grain: Grain, rows: GrainRows) -> None:
    """Add ``rows`` to the stored grain (insert, or add to the existing row)."""
    rows = {k: v for k, v in rows.items() if any(v)}
    if not rows:
        return
    table = grain.model._meta.db_table
    keys = grain.key_columns
    columns = (*keys, *METRICS)
    quoted = ", ".join(f'"{c}"' for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f'"{m}" = "{table}"."{m}" + excluded."{m}"' for m in METRICS)
    conflict = ", ".join(f'"{c}"' for c in keys)
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 200):
            batch = items[start : start + 200]
            params: list[Any] = []
            for key, values in batch:
                params.extend(key)
                params.extend(values)
            cursor.execute(
                f'INSERT INTO "{table}" ({quoted}) VALUES {", ".join([one] * len(batch))} '  # noqa: S608
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                params,
            )


def apply_dossier_change(payload: Mapping[str, object]) -> None:
    """Outbox handler for ``dossier.changed``: bring the dossier's rollups up to ``seq``.

    Idempotent and order-tolerant (see the module docstring). Runs in the delivery transaction.
    """
    dossier_id = int(str(payload["dossier_id"]))
    seq = int(str(payload["seq"]))
    with transaction.atomic():
        row = (
            Dossier.objects.filter(pk=dossier_id)
            .values_list(
                "pk",
                "competent_agency_id",
                "receiving_office_id",
                "procedure_version_id",
                "channel",
            )
            .first()
        )
        if row is None:
            return
        facts = _facts(row)
        table = RollupCursor._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (dossier_id, seq, competent_id, receiving_id, '  # noqa: S608
                "version_id, channel) VALUES (%s, 0, %s, %s, %s, %s) "
                "ON CONFLICT (dossier_id) DO NOTHING",
                [dossier_id, facts.competent, facts.receiving, facts.version, facts.channel],
            )
        mark = RollupCursor.objects.select_for_update().get(pk=dossier_id)
        if seq <= mark.seq:
            return
        _id, _facts_now, events = next(histories(dossier_ids=[dossier_id]))
        changes: dict[Grain, GrainRows] = {}
        work = OfficeCalendars()
        new = contributions(facts, [e for e in events if e.seq <= seq], working_minutes=work)
        project(facts, new, changes)
        if mark.seq:
            before = Facts(mark.competent_id, mark.receiving_id, mark.version_id, mark.channel)
            old = contributions(
                before, [e for e in events if e.seq <= mark.seq], working_minutes=work
            )
            project(before, old, changes, sign=-1)
        for grain in GRAINS:
            _add_rows(grain, changes.get(grain, {}))
        mark.seq = seq
        mark.competent_id, mark.receiving_id = facts.competent, facts.receiving
        mark.version_id, mark.channel = facts.version, facts.channel
        mark.save()


# --- Recount, verify, rebuild ---------------------------------------------------------------------


@dataclass
class Recount:
    rows: dict[Grain, GrainRows] = field(default_factory=dict)
    cursors: list[tuple[int, int, Facts]] = field(default_factory=list)
    dossiers: int = 0

    # A worker sends its recount to the parent pickled (ADR 0021): in columns of machine integers
    # instead of millions of small tuples, dates and ``Facts``, which pickle ~10× slower.
    def __getstate__(self) -> dict[str, Any]:
        grains = []
        for grain in GRAINS:
            rows = self.rows.get(grain, {})
            keys = list(zip(*rows, strict=True)) or [()] * len(grain.key_columns)
            columns: list[Any] = [_packed(d.toordinal() for d in keys[0])]
            columns += [_packed(keys[1]), _packed(keys[2]), list(keys[3])]
            columns += [_packed(keys[4])] if grain.by_version else []
            grains.append((columns, _packed(v for values in rows.values() for v in values)))
        ids, seqs, facts = zip(*self.cursors, strict=True) if self.cursors else ((), (), ())
        cursors = [_packed(ids), _packed(seqs), _packed(f.competent for f in facts)]
        cursors += [_packed(f.receiving for f in facts), _packed(f.version for f in facts)]
        cursors += [[f.channel for f in facts]]
        return {"grains": grains, "cursors": cursors, "dossiers": self.dossiers}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rows, self.dossiers = {}, state["dossiers"]
        width = len(METRICS)
        for grain, (columns, values) in zip(GRAINS, state["grains"], strict=True):
            periods = [dt.date.fromordinal(d) for d in columns[0]]
            keys = zip(periods, *columns[1:], strict=True)
            self.rows[grain] = {
                key: list(values[i * width : (i + 1) * width]) for i, key in enumerate(keys)
            }
        ids, seqs, competent, receiving, version, channel = state["cursors"]
        self.cursors = [
            (d, s, Facts(c, r, v, ch))
            for d, s, c, r, v, ch in zip(
                ids, seqs, competent, receiving, version, channel, strict=True
            )
        ]

    def add(self, other: Recount) -> None:
        """Add ``other``'s sums (a recount of other dossiers, later in id order) to these."""
        for grain, rows in other.rows.items():
            mine = self.rows.setdefault(grain, {})
            for key, values in rows.items():
                target = mine.get(key)
                if target is None:
                    mine[key] = values
                else:
                    for i, v in enumerate(values):
                        target[i] += v
        self.cursors.extend(other.cursors)
        self.dossiers += other.dossiers


def _packed(values: Iterable[int]) -> array.array[int] | list[int]:
    """Integers as one machine array (pickled as bytes), or as a list when one is None."""
    items = list(values)
    try:
        return array.array("q", items)
    except TypeError:
        return items


#: Below this many dossiers a recount runs in this process (starting workers costs seconds).
PARALLEL_FROM = 200_000


def recount(progress: Any = None, workers: int | None = None, *, cursors: bool = True) -> Recount:
    """The rollups computed afresh from the whole transition log.

    ``workers`` processes replay contiguous ranges of dossier ids at once, each on its own
    database connection, and their sums are added (ADR 0021). ``None``: one per CPU (at most 8)
    on PostgreSQL from ``PARALLEL_FROM`` dossiers, else 1 (this process). The cursors a parallel
    recount reads need not come from one snapshot: like the outbox, a transition committed after
    its dossier was read is applied afterwards by its own message (the cursor says what is in).
    Without ``cursors`` (``verify``) only the sums are kept: at 10M dossiers the cursors are most
    of the memory.
    """
    bounds = _id_ranges(_workers(workers))
    if len(bounds) <= 1:
        result = recount_range(None, None, progress, cursors=cursors)
    else:
        result = _recount_parallel(bounds, progress, cursors)
    for grain in GRAINS:
        rows = result.rows.setdefault(grain, {})
        for key in [k for k, v in rows.items() if not any(v)]:
            del rows[key]
    return result


def _workers(asked: int | None) -> int:
    if asked is not None:
        return max(1, asked)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1  # SQLite: one writer file; in a transaction: workers would not see its rows
    low, high = _id_span()
    if low is None or high is None or high - low + 1 < PARALLEL_FROM:  # span ≈ count (a sequence)
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _id_span() -> tuple[int | None, int | None]:
    """The lowest and highest dossier id (two index look-ups, not a count of the table)."""
    span = Dossier.objects.aggregate(low=Min("pk"), high=Max("pk"))
    return span["low"], span["high"]


def _id_ranges(workers: int) -> list[tuple[int, int]]:
    """``workers`` contiguous id ranges holding about as many dossiers each (ids are a sequence:
    equal spans of ids hold about equal numbers of dossiers)."""
    low, high = _id_span()
    if low is None or high is None or workers <= 1:
        return [(low or 0, high or 0)]
    step = (high - low + 1) // workers + 1
    return [(a, min(a + step - 1, high)) for a in range(low, high + 1, step)]


def recount_range(
    ids_from: int | None, ids_to: int | None, progress: Any = None, *, cursors: bool = True
) -> Recount:
    result = Recount()
    work = OfficeCalendars()
    for dossier_id, facts, events in histories(ids_from=ids_from, ids_to=ids_to):
        result.dossiers += 1
        if events:
            project(facts, contributions(facts, events, working_minutes=work), result.rows)
            if cursors:
                result.cursors.append((dossier_id, events[-1].seq, facts))
        if progress is not None and result.dossiers % 10000 == 0:
            progress(result.dossiers)
    return result


def _recount_parallel(bounds: list[tuple[int, int]], progress: Any, cursors: bool) -> Recount:
    """Each range in a worker process (spawned: a fresh interpreter, its own connection to this
    connection's database), in range order; progress is the sum of the workers' counts."""
    context = multiprocessing.get_context("spawn")
    messages: Any = context.Queue()
    database = {k: connection.settings_dict[k] for k in ("NAME", "USER", "HOST", "PORT")}
    database["PASSWORD"] = connection.settings_dict.get("PASSWORD", "")
    workers = [
        context.Process(
            target=recount_worker.run,
            args=(i, a, b, cursors, database, messages),
            daemon=True,
        )
        for i, (a, b) in enumerate(bounds)
    ]
    for worker in workers:
        worker.start()
    parts: dict[int, Recount] = {}
    counted = [0] * len(workers)
    try:
        while len(parts) < len(workers):
            try:
                index, kind, value = messages.get(timeout=5)
            except queue.Empty:
                if any(w.exitcode not in (None, 0) for w in workers):
                    raise RuntimeError("A recount worker stopped without its result.") from None
                continue
            if kind == "error":
                raise RuntimeError(f"A recount worker failed: {value}")
            if kind == "progress":
                counted[index] = value
                if progress is not None:
                    progress(sum(counted))
            else:
                parts[index] = value
    finally:
        for worker in workers:
            if worker.is_alive() and len(parts) < len(workers):
                worker.terminate()
            worker.join()
    result = Recount()
    for index in range(len(workers)):
        result.add(parts[index])
    return result


def stored(grain: Grain) -> GrainRows:
    """The grain's rows as stored (all-zero rows left by retractions are ignored)."""
    result: GrainRows = {}
    for values in grain.model.objects.values_list(*grain.key_columns, *METRICS).iterator(
        chunk_size=5000
    ):
        key, metrics = values[: len(grain.key_columns)], list(values[len(grain.key_columns) :])
        if any(metrics):
            result[tuple(key)] = metrics
    return result


@dataclass
class Verification:
    dossiers: int
    rows: int
    differences: list[str]
    lagging: int  # dossiers whose cursor is behind their last transition

    @property
    def ok(self) -> bool:
        return not self.differences


def _describe(grain: Grain, key: GrainKey, have: list[int] | None, want: list[int] | None) -> str:
    parts = ", ".join(f"{c}={v}" for c, v in zip(grain.key_columns, key, strict=True))
    a, b = have or [0] * len(METRICS), want or [0] * len(METRICS)
    diffs = "; ".join(
        f"{m}: stored {x}, recount {y}" for m, x, y in zip(METRICS, a, b, strict=True) if x != y
    )
    return f"{grain.label} [{parts}] {diffs}"


def verify(limit: int = 200, progress: Any = None, workers: int | None = None) -> Verification:
    """Compare every grain with a full recount of the log; lists up to ``limit`` differences."""
    fresh = recount(progress, workers, cursors=False)  # only the sums are compared
    differences: list[str] = []
    total_rows = 0
    for grain in GRAINS:
        want = fresh.rows.get(grain, {})
        have = stored(grain)
        total_rows += len(have)
        for key in sorted(want.keys() | have.keys(), key=lambda k: tuple(str(p) for p in k)):
            if have.get(key) != want.get(key):
                if len(differences) < limit:
                    differences.append(_describe(grain, key, have.get(key), want.get(key)))
                else:
                    differences.append("…")
                    break
    return Verification(fresh.dossiers, total_rows, differences, _lagging())


def _lagging() -> int:
    """Dossiers whose cursor is behind their last transition, counted in the database (at 10M
    dossiers, reading both sides into Python took minutes and gigabytes)."""
    transitions = DossierTransition._meta.db_table
    cursors = RollupCursor._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM (SELECT dossier_id, max(seq) AS last FROM "{transitions}" '  # noqa: S608
            f'GROUP BY dossier_id) AS t LEFT JOIN "{cursors}" AS c ON c.dossier_id = t.dossier_id '
            "WHERE COALESCE(c.seq, 0) < t.last"
        )
        return int(cursor.fetchone()[0])


def _copy_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]
) -> int:
    """Bulk insert (COPY on PostgreSQL, executemany elsewhere); returns the rows written."""
    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        quoted = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    quoted = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})'  # noqa: S608
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            count += 1
            if len(batch) >= 1000:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)
    return count


def _clear(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'TRUNCATE "{table}"')
        else:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608


@dataclass(frozen=True)
class Rebuild:
    dossiers: int
    rows: dict[str, int]


def write_recount(fresh: Recount) -> Rebuild:
    """Replace every grain and the cursors with ``fresh`` (inside the caller's transaction)."""
    written: dict[str, int] = {}
    for grain in GRAINS:
        _clear(grain.model)
        rows = fresh.rows.get(grain, {})
        written[grain.label] = _copy_rows(
            grain.model,
            (*grain.key_columns, *METRICS),
            (tuple(key) + tuple(values) for key, values in rows.items()),
        )
    _clear(RollupCursor)
    _copy_rows(
        RollupCursor,
        ("dossier_id", "seq", "competent_id", "receiving_id", "version_id", "channel"),
        ((d, s, f.competent, f.receiving, f.version, f.channel) for d, s, f in fresh.cursors),
    )
    return Rebuild(fresh.dossiers, written)


def rebuild(progress: Any = None, workers: int | None = None) -> Rebuild:
    """Recount from the log and replace the rollups, atomically (blocks concurrent updates)."""
    # Decided before the transaction: the workers read the log through their own connections
    # while this one holds the lock, so incremental updates wait and then apply on top.
    count = _workers(workers)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = [g.model._meta.db_table for g in GRAINS] + [RollupCursor._meta.db_table]
                cursor.execute(
                    "LOCK TABLE " + ", ".join(f'"{t}"' for t in tables) + " IN EXCLUSIVE MODE"
                )
        return write_recount(recount(progress, count))


__all__ = [
    "GRAINS",
    "Grain",
    "OfficeCalendars",
    "Rebuild",
    "Recount",
    "Verification",
    "apply_dossier_change",
    "events_of",
    "histories",
    "project",
    "rebuild",
    "recount",
    "stored",
    "verify",
    "write_recount",
]
