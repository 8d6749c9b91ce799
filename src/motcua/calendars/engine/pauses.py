"""Pauses, restarts, the one extension, the supplement window, step and transfer dues.

Scope: pure functions over a ``CompiledCalendar`` implementing domain notes §5 (transfer, NĐ 61/2018
Art 18), §8 (step budgets) and §9.4 (pauses, restarts, extensions), and lifecycle.md §4–§5.7.
Each returns a small frozen result with structured explanation items.

Known limits:

- A "shift" always moves the due by the *working* time of the pause (never wall-clock, §9.4,
  example 10); restart recomputes from the resume instant with the full limit (Art 19.4).
- The apology lead (Art 19.9 "at least 1 day before") defaults to working days at date level; the
  legal meaning of "day" (working or calendar) is unconfirmed (§9.4).
- Whether the NĐ 118/2025 rules keep these periods is unconfirmed (lifecycle.md).
- Recomputing open dossiers after a calendar change is the caller's job (recompute with the new
  compiled calendar and log it as "calendar change", §9.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .compiled import CompiledCalendar
from .errors import CalendarError
from .explain import (
    ApologyDeadline,
    CappedAtDossierDue,
    CheckFailed,
    CutoffApplied,
    DueAt,
    ExplanationItem,
    PauseAdded,
    Received,
    Restarted,
    SupplementWindow,
)
from .limits import Amount
from .spec import DEFAULT_OPTIONS, DueOptions, Unit, as_local


class SupplementPolicy(StrEnum):
    """What a completed supplement does to the clock (§9.4; per procedure version)."""

    RESTART_PER_DECREE = "restart_per_decree"  # NĐ 61/2018 Art 19.4 (default)
    SHIFT = "shift"  # production alternative


class ApologyLeadMode(StrEnum):
    DATE = "date"  # date(apology) <= the working day before date(due_current) (default)
    INSTANT = "instant"  # apology <= due_current - 8 working hours


def _enum[E: StrEnum](cls: type[E], value: object, option: str) -> E:
    try:
        return cls(value)  # type: ignore[arg-type]
    except ValueError:
        raise CalendarError(
            "invalid_option",
            f"Unknown {option} {value!r}; expected one of {[m.value for m in cls]}.",
            option=option,
            value=repr(value),
        ) from None


def _interval(start: datetime, end: datetime, what: str) -> tuple[datetime, datetime]:
    start = as_local(start, f"{what} start")
    end = as_local(end, f"{what} end")
    if end < start:
        raise CalendarError(
            "invalid_interval",
            f"The {what} ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
            what=what,
        )
    return start, end


@dataclass(frozen=True, slots=True)
class PauseResult:
    """The new due after a pause, and the pause length in working minutes."""

    due_at: datetime
    paused_working_minutes: int
    policy: SupplementPolicy
    explanation: tuple[ExplanationItem, ...]


def shift_due(
    cal: CompiledCalendar,
    *,
    due: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    cause: str = "payment",
) -> PauseResult:
    """Move ``due`` later by the working time between pause and resume (§9.4 "shift").

    Used for a supplement under the "shift" policy and for a generic pause (waiting for payment
    when ``financial_obligation_pauses_clock`` is on, lifecycle.md §5.6).
    """
    paused_at, resumed_at = _interval(paused_at, resumed_at, "pause")
    due = as_local(due, "due")
    minutes = cal.working_minutes_between(paused_at, resumed_at)
    new_due = cal.add_working_time(due, minutes) if minutes else due
    items: list[ExplanationItem] = [
        PauseAdded(paused_at, resumed_at, minutes, cal.day_minutes, cause)
    ]
    if new_due != due:
        items += cal.window_explanation(due, new_due)
    items.append(DueAt(new_due))
    return PauseResult(new_due, minutes, SupplementPolicy.SHIFT, tuple(items))


def resume_after_supplement(
    cal: CompiledCalendar,
    *,
    due_legal: datetime,
    asked_at: datetime,
    resumed_at: datetime,
    amount: Amount,
    unit: Unit | str,
    options: DueOptions = DEFAULT_OPTIONS,
    policy: SupplementPolicy | str = SupplementPolicy.RESTART_PER_DECREE,
) -> PauseResult:
    """The new ``due_legal`` once the complete supplement is received (§9.4, Art 19.4).

    ``restart_per_decree``: the full limit from the resume instant. ``shift``: the old due plus
    the working time between the request and the resume.
    """
    policy = _enum(SupplementPolicy, policy, "supplement policy")
    if policy is SupplementPolicy.SHIFT:
        return shift_due(
            cal, due=due_legal, paused_at=asked_at, resumed_at=resumed_at, cause="supplement"
        )
    asked_at, resumed_at = _interval(asked_at, resumed_at, "supplement pause")
    minutes = cal.working_minutes_between(asked_at, resumed_at)
    restarted = cal.due_date(resumed_at, amount, unit, options)
    inner = tuple(item for item in restarted.explanation if not isinstance(item, Received))
    items: tuple[ExplanationItem, ...] = (
        PauseAdded(asked_at, resumed_at, minutes, cal.day_minutes, "supplement", added=False),
        Restarted(resumed_at),
        *inner,
    )
    return PauseResult(restarted.due_at, minutes, SupplementPolicy.RESTART_PER_DECREE, items)


@dataclass(frozen=True, slots=True)
class ExtensionCheck:
    """Whether an apology with a new date (Mẫu 04) is valid (NĐ 61/2018 Art 19.9).

    ``problems`` codes: "not_later", "already_extended", "apology_too_late".
    """

    allowed: bool
    problems: tuple[str, ...]
    mode: ApologyLeadMode
    latest_apology_date: date | None
    latest_apology_at: datetime | None
    explanation: tuple[ExplanationItem, ...]


def check_extension(
    cal: CompiledCalendar,
    *,
    due_current: datetime,
    new_due: datetime,
    apology_at: datetime,
    previous_extensions: int = 0,
    max_extensions: int = 1,
    mode: ApologyLeadMode | str = ApologyLeadMode.DATE,
    lead_working_days: int = 1,
) -> ExtensionCheck:
    """Check the single extension: later date, no earlier extension, apology in time (§9.4).

    ``date`` mode: date(apology) <= the ``lead_working_days``-th working day before
    date(due_current). ``instant`` mode: apology <= due_current − lead × working-day length.
    """
    mode = _enum(ApologyLeadMode, mode, "apology lead mode")
    due_current = as_local(due_current, "due_current")
    new_due = as_local(new_due, "new_due")
    apology_at = as_local(apology_at, "apology_at")
    if lead_working_days < 0 or previous_extensions < 0 or max_extensions < 0:
        raise CalendarError(
            "negative_amount", "Counts and leads must not be negative.", amount=lead_working_days
        )
    problems: list[str] = []
    if new_due <= due_current:
        problems.append("not_later")
    if previous_extensions >= max_extensions:
        problems.append("already_extended")
    latest_date: date | None = None
    latest_at: datetime | None = None
    if mode is ApologyLeadMode.DATE:
        latest_date = due_current.date()
        for _ in range(lead_working_days):
            latest_date = cal.previous_working_day(latest_date)
        in_time = apology_at.date() <= latest_date
    else:
        latest_at = cal.subtract_working_time(due_current, lead_working_days * cal.day_minutes)
        in_time = apology_at <= latest_at
    if not in_time:
        problems.append("apology_too_late")
    items: list[ExplanationItem] = [ApologyDeadline(mode.value, latest_date, latest_at)]
    items += [CheckFailed(code) for code in problems]
    return ExtensionCheck(not problems, tuple(problems), mode, latest_date, latest_at, tuple(items))


@dataclass(frozen=True, slots=True)
class WindowCheck:
    """Whether a supplement request is within its window (NĐ 61/2018 Art 19.4)."""

    allowed: bool
    window_ends_at: datetime
    problems: tuple[str, ...]
    explanation: tuple[ExplanationItem, ...]


def check_supplement_window(
    cal: CompiledCalendar,
    *,
    received_at: datetime,
    requested_at: datetime,
    window: Amount = 3,
    unit: Unit | str = Unit.WORKING_DAYS,
) -> WindowCheck:
    """A supplement request must come within 3 working days of reception (Art 19.4).

    The window is configurable per procedure to follow specialised law (lifecycle.md §5.5).
    """
    received_at = as_local(received_at, "received_at")
    requested_at = as_local(requested_at, "requested_at")
    ends = cal.add(received_at, window, unit)
    problems: list[str] = []
    if requested_at < received_at:
        problems.append("request_before_reception")
    if requested_at > ends:
        problems.append("request_after_window")
    minutes = cal.working_minutes_between(cal.next_working_instant(received_at), ends)
    items: list[ExplanationItem] = [SupplementWindow(ends, minutes, cal.day_minutes)]
    items += [CheckFailed(code) for code in problems]
    return WindowCheck(not problems, ends, tuple(problems), tuple(items))


@dataclass(frozen=True, slots=True)
class StepDue:
    """A step's personal due: actual start + budget, never later than the dossier due (§8)."""

    due_at: datetime
    capped: bool
    explanation: tuple[ExplanationItem, ...]


def step_due(
    cal: CompiledCalendar,
    *,
    started_at: datetime,
    amount: Amount,
    dossier_due: datetime,
    unit: Unit | str = Unit.WORKING_HOURS,
    options: DueOptions = DEFAULT_OPTIONS,
) -> StepDue:
    """Due of one internal-process step (TT 01/2018 Art 8; domain notes §8)."""
    dossier_due = as_local(dossier_due, "dossier_due")
    computed = cal.due_date(started_at, amount, unit, options)
    if computed.due_at > dossier_due:
        items = (*computed.explanation, CappedAtDossierDue(dossier_due), DueAt(dossier_due))
        return StepDue(dossier_due, True, items)
    return StepDue(computed.due_at, False, computed.explanation)


def working_lateness(cal: CompiledCalendar, *, due: datetime, finished_at: datetime) -> int:
    """Working minutes by which ``finished_at`` is after ``due`` (0 when on time)."""
    return max(0, cal.working_minutes_between(due, finished_at))


@dataclass(frozen=True, slots=True)
class TransferDue:
    """When a paper dossier must reach the competent agency (NĐ 61/2018 Art 18)."""

    due_at: datetime
    next_day: bool
    explanation: tuple[ExplanationItem, ...]


def transfer_due(
    cal: CompiledCalendar, received_at: datetime, *, grace_minutes: int = 60
) -> TransferDue:
    """Same working day (closing time), or the next working day's opening + grace if received
    at or after the cut-off or outside a working day (Art 18; grace 1 working hour, design)."""
    received_at = as_local(received_at, "received_at")
    start = cal.next_working_instant(received_at, apply_cutoff=True)
    items: list[ExplanationItem] = [Received(received_at)]
    if start.date() == received_at.date():
        due = cal.closing_instant(start.date())
        next_day = False
    else:
        due = cal.add_working_time(start, grace_minutes)
        next_day = True
        if cal.is_working_day(received_at.date()) and received_at.time() >= cal.spec.cutoff:
            items.append(CutoffApplied(received_at, cal.spec.cutoff))
        items += cal.window_explanation(received_at, due)
    items.append(DueAt(due))
    return TransferDue(due, next_day, tuple(items))
