"""MotCua's pure working-time engine (legal time: calendars, due dates, pauses, extensions).

Scope: a ``CalendarSpec`` (plain data: office periods, days off, make-up days, cut-off) compiles
to an immutable ``CompiledCalendar``; all due-date arithmetic then runs in O(1)/O(log n) per call
and returns aware datetimes in Asia/Ho_Chi_Minh with structured explanations. Rules follow
docs/domain/deadlines.md (domain notes "calendar-and-deadlines" §1–§12).

Batch recomputation: ``CompiledCalendar.add_array`` takes NumPy arrays (epoch seconds, amounts,
unit codes of ``UNIT_CODES``) and returns the due instants as epoch seconds (``vectorised``).

Known limits: see the docstrings of ``compiled`` (time model, rounding, amount limits),
``pauses`` (apology lead, shift vs restart) and ``outcome`` (classification).

This package must not import Django or other MotCua apps (import-linter contract): holidays and
make-up days reach it as plain data, so administrator edits apply.
"""

from .algorithm import ENGINE_VERSION
from .compiled import CompiledCalendar, compile_calendar
from .errors import ERROR_CODES, CalendarError
from .explain import (
    ApologyDeadline,
    CappedAtDossierDue,
    CheckFailed,
    ClockClamped,
    CountingStarts,
    CutoffApplied,
    DaysOffSkipped,
    DueAt,
    ExplanationItem,
    LimitStated,
    MakeUpDayUsed,
    MonthEndClamped,
    OutcomeStated,
    PauseAdded,
    ProvisionalCalendar,
    Received,
    Restarted,
    RolledForward,
    SupplementWindow,
    WeeklyRestSkipped,
    render_explanation,
)
from .explained import DueDate
from .limits import MAX_AMOUNT, UNIT_CODES, Amount
from .outcome import Classification, Granularity, Outcome, classify_finished, classify_open
from .pauses import (
    ApologyLeadMode,
    ExtensionCheck,
    PauseResult,
    StepDue,
    SupplementPolicy,
    TransferDue,
    WindowCheck,
    check_extension,
    check_supplement_window,
    resume_after_supplement,
    shift_due,
    step_due,
    transfer_due,
    working_lateness,
)
from .spec import (
    DEFAULT_CUTOFF,
    DEFAULT_DAY,
    DEFAULT_OPTIONS,
    DEFAULT_WEEK,
    DEFAULT_WORKING_DAY_MINUTES,
    VN_TZ,
    CalendarSpec,
    Counting,
    DayPeriods,
    DueOptions,
    Period,
    Reason,
    Unit,
    WeekPattern,
    as_local,
)

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_DAY",
    "DEFAULT_OPTIONS",
    "DEFAULT_WEEK",
    "DEFAULT_WORKING_DAY_MINUTES",
    "ENGINE_VERSION",
    "ERROR_CODES",
    "MAX_AMOUNT",
    "UNIT_CODES",
    "VN_TZ",
    "Amount",
    "ApologyDeadline",
    "ApologyLeadMode",
    "CalendarError",
    "CalendarSpec",
    "CappedAtDossierDue",
    "CheckFailed",
    "Classification",
    "ClockClamped",
    "CompiledCalendar",
    "Counting",
    "CountingStarts",
    "CutoffApplied",
    "DayPeriods",
    "DaysOffSkipped",
    "DueAt",
    "DueDate",
    "DueOptions",
    "ExplanationItem",
    "ExtensionCheck",
    "Granularity",
    "LimitStated",
    "MakeUpDayUsed",
    "MonthEndClamped",
    "Outcome",
    "OutcomeStated",
    "PauseAdded",
    "PauseResult",
    "Period",
    "ProvisionalCalendar",
    "Reason",
    "Received",
    "Restarted",
    "RolledForward",
    "StepDue",
    "SupplementPolicy",
    "SupplementWindow",
    "TransferDue",
    "Unit",
    "WeekPattern",
    "WeeklyRestSkipped",
    "WindowCheck",
    "as_local",
    "check_extension",
    "check_supplement_window",
    "classify_finished",
    "classify_open",
    "compile_calendar",
    "render_explanation",
    "resume_after_supplement",
    "shift_due",
    "step_due",
    "transfer_due",
    "working_lateness",
]
