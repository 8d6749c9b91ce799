"""Structured explanation items of due-date computations and their rendering to text.

Scope: every computation returns a tuple of small frozen dataclasses, each with a stable ``kind``
code and typed fields, so callers can store them (``dataclasses.asdict``), show them, or translate
them. ``render_explanation`` turns them into Vietnamese (default) or English lines.

Known limits: the rendering is deliberately plain (one line per item, dates dd/mm/yyyy, 24-hour
clock); richer layouts belong to the interface layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Final, Literal

from .errors import CalendarError
from .spec import Reason

_WEEKDAYS: Final = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True, slots=True)
class LimitStated:
    """The time limit as configured and, for working-time units, in working minutes."""

    amount: str
    unit: str
    counting: str
    working_minutes: int | None
    kind: Literal["limit"] = field(default="limit", init=False)


@dataclass(frozen=True, slots=True)
class Received:
    at: datetime
    kind: Literal["received"] = field(default="received", init=False)


@dataclass(frozen=True, slots=True)
class CutoffApplied:
    """The receipt was at or after the cut-off, so counting starts on the next working day."""

    received_at: datetime
    cutoff: time
    kind: Literal["cutoff_applied"] = field(default="cutoff_applied", init=False)


@dataclass(frozen=True, slots=True)
class CountingStarts:
    """Where counting starts; ``why`` is empty when the receipt instant was used as is.

    ``why`` codes: non_working_day, after_closing, before_opening, lunch_break, cutoff,
    day_after_receipt (civil day count).
    """

    at: datetime
    original: datetime
    why: str
    kind: Literal["counting_starts"] = field(default="counting_starts", init=False)


@dataclass(frozen=True, slots=True)
class DaysOffSkipped:
    """Consecutive dates off for one reason (holiday, compensatory or swapped day, Tết block)."""

    first: date
    last: date
    reason: Reason
    kind: Literal["days_off_skipped"] = field(default="days_off_skipped", init=False)


@dataclass(frozen=True, slots=True)
class WeeklyRestSkipped:
    """Plain weekly rest days (weekends) inside the counted window, summarised in one item."""

    days: tuple[date, ...]
    kind: Literal["weekly_rest_skipped"] = field(default="weekly_rest_skipped", init=False)


@dataclass(frozen=True, slots=True)
class MakeUpDayUsed:
    day: date
    reason: Reason
    kind: Literal["make_up_day_used"] = field(default="make_up_day_used", init=False)


@dataclass(frozen=True, slots=True)
class MonthEndClamped:
    """The same-numbered day does not exist in the target month; its last day is used."""

    year: int
    month: int
    day: int
    to: date
    kind: Literal["month_end_clamped"] = field(default="month_end_clamped", init=False)


@dataclass(frozen=True, slots=True)
class ClockClamped:
    """The kept clock time was outside the due day's office periods and was clamped."""

    requested: time
    to: time
    kind: Literal["clock_clamped"] = field(default="clock_clamped", init=False)


@dataclass(frozen=True, slots=True)
class RolledForward:
    """The end date was not a working day; the due moves to the next working day."""

    from_date: date
    to_date: date
    kind: Literal["rolled_forward"] = field(default="rolled_forward", init=False)


@dataclass(frozen=True, slots=True)
class PauseAdded:
    """A pause (supplement, payment …) shifted the due by its working time (never wall-clock)."""

    paused_at: datetime
    resumed_at: datetime
    working_minutes: int
    day_minutes: int
    cause: str
    #: False when the limit restarts instead (the pause is only reported, not added).
    added: bool = True
    kind: Literal["pause_added"] = field(default="pause_added", init=False)


@dataclass(frozen=True, slots=True)
class Restarted:
    """The full limit is counted again from the resume instant (NĐ 61/2018 Art 19.4)."""

    resumed_at: datetime
    kind: Literal["restarted"] = field(default="restarted", init=False)


@dataclass(frozen=True, slots=True)
class CappedAtDossierDue:
    """A step due was capped at the dossier due (domain notes §8)."""

    dossier_due: datetime
    kind: Literal["capped_at_dossier_due"] = field(default="capped_at_dossier_due", init=False)


@dataclass(frozen=True, slots=True)
class ProvisionalCalendar:
    """The window touches years whose day-off table is not (yet) decreed."""

    years: tuple[int, ...]
    kind: Literal["provisional_calendar"] = field(default="provisional_calendar", init=False)


@dataclass(frozen=True, slots=True)
class DueAt:
    at: datetime
    kind: Literal["due"] = field(default="due", init=False)


@dataclass(frozen=True, slots=True)
class ApologyDeadline:
    """The latest apology (NĐ 61/2018 Art 19.9 "at least 1 day before")."""

    mode: str
    latest_date: date | None
    latest_at: datetime | None
    kind: Literal["apology_deadline"] = field(default="apology_deadline", init=False)


@dataclass(frozen=True, slots=True)
class SupplementWindow:
    """The supplement request window (NĐ 61/2018 Art 19.4: 3 working days from reception)."""

    ends_at: datetime
    working_minutes: int
    day_minutes: int
    kind: Literal["supplement_window"] = field(default="supplement_window", init=False)


@dataclass(frozen=True, slots=True)
class CheckFailed:
    """A rule check failed; ``code`` is stable (see ``render_explanation`` for texts)."""

    code: str
    kind: Literal["check_failed"] = field(default="check_failed", init=False)


@dataclass(frozen=True, slots=True)
class OutcomeStated:
    outcome: str
    granularity: str
    kind: Literal["outcome"] = field(default="outcome", init=False)


type ExplanationItem = (
    LimitStated
    | Received
    | CutoffApplied
    | CountingStarts
    | DaysOffSkipped
    | WeeklyRestSkipped
    | MakeUpDayUsed
    | MonthEndClamped
    | ClockClamped
    | RolledForward
    | PauseAdded
    | Restarted
    | CappedAtDossierDue
    | ProvisionalCalendar
    | DueAt
    | ApologyDeadline
    | SupplementWindow
    | CheckFailed
    | OutcomeStated
)


# --- rendering -------------------------------------------------------------------------------

_UNIT_TEXT: Final = {
    "vi": {
        "working_hours": "giờ làm việc",
        "working_days": "ngày làm việc",
        "calendar_days": "ngày",
        "months": "tháng",
        "same_day": "trong ngày",
    },
    "en": {
        "working_hours": "working hours",
        "working_days": "working days",
        "calendar_days": "calendar days",
        "months": "months",
        "same_day": "same day",
    },
}

_WHY: Final = {
    "vi": {
        "non_working_day": "tiếp nhận vào ngày nghỉ",
        "after_closing": "tiếp nhận sau giờ làm việc",
        "before_opening": "tiếp nhận trước giờ làm việc",
        "lunch_break": "tiếp nhận trong giờ nghỉ trưa",
        "cutoff": "tiếp nhận từ giờ chốt trở đi",
        "day_after_receipt": "không tính ngày tiếp nhận",
    },
    "en": {
        "non_working_day": "received on a non-working day",
        "after_closing": "received after office hours",
        "before_opening": "received before office hours",
        "lunch_break": "received during the lunch break",
        "cutoff": "received at or after the cut-off",
        "day_after_receipt": "the day of receipt is not counted",
    },
}

_CAUSE: Final = {
    "vi": {"supplement": "chờ bổ sung", "payment": "chờ thực hiện nghĩa vụ tài chính"},
    "en": {"supplement": "waiting for the supplement", "payment": "waiting for payment"},
}

_CHECK: Final = {
    "vi": {
        "not_later": "Ngày hẹn mới phải sau ngày hẹn hiện tại",
        "already_extended": "Đã gia hạn một lần; chỉ được gia hạn một lần (NĐ 61/2018 Điều 19.9)",
        "apology_too_late": "Văn bản xin lỗi ban hành quá muộn: phải trước hạn ít nhất 1 ngày "
        "(NĐ 61/2018 Điều 19.9)",
        "request_after_window": "Yêu cầu bổ sung sau thời hạn cho phép (NĐ 61/2018 Điều 19.4)",
        "request_before_reception": "Yêu cầu bổ sung trước thời điểm tiếp nhận",
    },
    "en": {
        "not_later": "The new date must be later than the current appointment",
        "already_extended": "Already extended once; only one extension is allowed "
        "(NĐ 61/2018 Art 19.9)",
        "apology_too_late": "The apology is too late: it must come at least 1 day before the due "
        "date (NĐ 61/2018 Art 19.9)",
        "request_after_window": "The supplement request is after the allowed window "
        "(NĐ 61/2018 Art 19.4)",
        "request_before_reception": "The supplement request is before the reception",
    },
}

_OUTCOME: Final = {
    "vi": {
        "early": "trước hạn",
        "on_time": "đúng hạn",
        "late": "quá hạn",
        "late_with_apology": "quá hạn có xin lỗi",
        "within_time": "trong hạn",
        "overdue": "quá hạn",
    },
    "en": {
        "early": "early",
        "on_time": "on time",
        "late": "late",
        "late_with_apology": "late with apology",
        "within_time": "within time",
        "overdue": "overdue",
    },
}


def _day(d: date, lang: str) -> str:
    return f"{_WEEKDAYS[lang][d.weekday()]} {d:%d/%m/%Y}"


def _instant(t: datetime, lang: str) -> str:
    return f"{t:%H:%M} {_day(t.date(), lang)}"


def _range(first: date, last: date, lang: str) -> str:
    if first == last:
        return _day(first, lang)
    return f"{_day(first, lang)} – {_day(last, lang)}"


def _source(reason: Reason) -> str:
    return f" ({reason.source})" if reason.source else ""


def _duration(minutes: int, day_minutes: int, lang: str) -> str:
    if minutes and minutes % day_minutes == 0:
        n = minutes // day_minutes
        return f"{n} ngày làm việc" if lang == "vi" else f"{n} working day{'s' * (n != 1)}"
    hours, rest = divmod(minutes, 60)
    if lang == "vi":
        text = f"{hours} giờ" + (f" {rest} phút" if rest else "")
        return text + " làm việc"
    text = f"{hours} h" + (f" {rest} min" if rest else "")
    return text + " of working time"


def _date_list(days: tuple[date, ...]) -> str:
    """ "07/03, 08/03/2026, 02/01/2027" — the year is written once per run of one year."""
    parts: list[str] = []
    for i, d in enumerate(days):
        last_of_year = i + 1 == len(days) or days[i + 1].year != d.year
        parts.append(f"{d:%d/%m/%Y}" if last_of_year else f"{d:%d/%m}")
    return ", ".join(parts)


def _render_one(item: ExplanationItem, lang: str) -> str:
    vi = lang == "vi"
    match item:
        case LimitStated():
            unit = _UNIT_TEXT[lang].get(item.unit, item.unit)
            text = unit.capitalize() if item.unit == "same_day" else f"{item.amount} {unit}"
            head = f"Thời hạn: {text}" if vi else f"Time limit: {text}"
            if item.working_minutes is not None and item.unit == "working_days":
                hours = item.working_minutes / 60
                shown = f"{hours:g}"
                head += f" (= {shown} giờ làm việc)" if vi else f" (= {shown} working hours)"
            if item.counting == "day_count":
                head += (
                    "; đếm theo ngày, không tính ngày tiếp nhận"
                    if vi
                    else "; civil day count, the day of receipt not counted"
                )
            return head
        case Received():
            return (
                f"Tiếp nhận: {_instant(item.at, lang)}"
                if vi
                else (f"Received: {_instant(item.at, lang)}")
            )
        case CutoffApplied():
            c = f"{item.cutoff:%H:%M}"
            r = f"{item.received_at:%H:%M}"
            return (
                f"Tiếp nhận lúc {r}, từ {c} trở đi: tính từ ngày làm việc tiếp theo"
                if vi
                else f"Received at {r}, at or after the {c} cut-off: counted from the next "
                "working day"
            )
        case CountingStarts():
            why = f" ({_WHY[lang].get(item.why, item.why)})" if item.why else ""
            return (
                f"Bắt đầu tính: {_instant(item.at, lang)}{why}"
                if vi
                else f"Counting starts: {_instant(item.at, lang)}{why}"
            )
        case DaysOffSkipped():
            span = _range(item.first, item.last, lang)
            if vi:
                return f"{span}: nghỉ {item.reason.name_vi}{_source(item.reason)}"
            return f"{span}: day off – {item.reason.name_en}{_source(item.reason)}"
        case WeeklyRestSkipped():
            names = ", ".join(dict.fromkeys(_WEEKDAYS[lang][d.weekday()] for d in item.days))
            listed = _date_list(item.days)
            return (
                f"Nghỉ hằng tuần ({names}): {listed}" if vi else f"Weekly rest ({names}): {listed}"
            )
        case MakeUpDayUsed():
            return (
                f"{_day(item.day, lang)}: ngày làm bù{_source(item.reason)}"
                if vi
                else f"{_day(item.day, lang)}: make-up working day{_source(item.reason)}"
            )
        case MonthEndClamped():
            wanted = f"{item.day:02d}/{item.month:02d}/{item.year}"
            return (
                f"Không có ngày {wanted}: lấy ngày cuối tháng, {_day(item.to, lang)}"
                if vi
                else f"{wanted} does not exist: the month's last day, {_day(item.to, lang)}, "
                "is used"
            )
        case ClockClamped():
            return (
                f"Giờ {item.requested:%H:%M} ngoài giờ làm việc của ngày đến hạn: lấy "
                f"{item.to:%H:%M}"
                if vi
                else f"Clock time {item.requested:%H:%M} is outside the due day's office hours: "
                f"{item.to:%H:%M} is used"
            )
        case RolledForward():
            return (
                f"{_day(item.from_date, lang)} không phải ngày làm việc: chuyển sang "
                f"{_day(item.to_date, lang)}"
                if vi
                else f"{_day(item.from_date, lang)} is not a working day: moved to "
                f"{_day(item.to_date, lang)}"
            )
        case PauseAdded():
            cause = _CAUSE[lang].get(item.cause, item.cause)
            dur = _duration(item.working_minutes, item.day_minutes, lang)
            span = f"{_instant(item.paused_at, lang)} – {_instant(item.resumed_at, lang)}"
            if not item.added:
                return (
                    f"Tạm dừng {cause} {dur} ({span})"
                    if vi
                    else f"Paused {cause} for {dur} ({span})"
                )
            return (
                f"Tạm dừng {cause} {dur} ({span}): cộng vào hạn"
                if vi
                else f"Paused {cause} for {dur} ({span}): added to the due date"
            )
        case Restarted():
            return (
                f"Nhận đủ hồ sơ bổ sung lúc {_instant(item.resumed_at, lang)}: tính lại toàn bộ "
                "thời hạn từ đầu (NĐ 61/2018 Điều 19.4)"
                if vi
                else f"Complete supplement received {_instant(item.resumed_at, lang)}: the whole "
                "time limit is counted again (NĐ 61/2018 Art 19.4)"
            )
        case CappedAtDossierDue():
            return (
                f"Không muộn hơn hạn của hồ sơ: {_instant(item.dossier_due, lang)}"
                if vi
                else f"Capped at the dossier due: {_instant(item.dossier_due, lang)}"
            )
        case ProvisionalCalendar():
            years = ", ".join(str(y) for y in item.years)
            return (
                f"Lịch nghỉ năm {years} chưa được công bố chính thức; hạn có thể thay đổi"
                if vi
                else f"The {years} day-off table is not decreed yet; the due date may change"
            )
        case DueAt():
            return f"Hạn: {_instant(item.at, lang)}" if vi else f"Due: {_instant(item.at, lang)}"
        case ApologyDeadline():
            if item.latest_date is not None:
                d = _day(item.latest_date, lang)
                return (
                    f"Văn bản xin lỗi phải ban hành chậm nhất trong ngày {d} (NĐ 61/2018 Điều 19.9)"
                    if vi
                    else f"The apology must be issued by the end of {d} (NĐ 61/2018 Art 19.9)"
                )
            assert item.latest_at is not None
            t = _instant(item.latest_at, lang)
            return (
                f"Văn bản xin lỗi phải ban hành chậm nhất lúc {t} (NĐ 61/2018 Điều 19.9)"
                if vi
                else f"The apology must be issued by {t} (NĐ 61/2018 Art 19.9)"
            )
        case SupplementWindow():
            dur = _duration(item.working_minutes, item.day_minutes, lang)
            t = _instant(item.ends_at, lang)
            return (
                f"Hạn yêu cầu bổ sung ({dur} từ khi tiếp nhận, NĐ 61/2018 Điều 19.4): {t}"
                if vi
                else f"Supplement request window ({dur} from reception, NĐ 61/2018 Art 19.4): "
                f"until {t}"
            )
        case CheckFailed():
            return _CHECK[lang].get(item.code, item.code)
        case OutcomeStated():
            text = _OUTCOME[lang].get(item.outcome, item.outcome)
            return f"Kết quả: {text}" if vi else f"Result: {text}"
    raise AssertionError(item)  # pragma: no cover - exhaustive match


def render_explanation(
    items: tuple[ExplanationItem, ...] | list[ExplanationItem], language: str = "vi"
) -> list[str]:
    """Human-readable lines for explanation items, Vietnamese by default ("vi" or "en")."""
    if language not in _WEEKDAYS:
        raise CalendarError(
            "invalid_option",
            f"Unknown language {language!r}; expected 'vi' or 'en'.",
            option="language",
            value=language,
        )
    return [_render_one(item, language) for item in items]
