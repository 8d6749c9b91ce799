"""Errors of the working-time engine.

Every error is a ``ValueError`` subclass with a stable machine-readable ``code`` and a plain-English
message; interface layers translate by ``code`` (and ``params``), never by parsing the message.
"""

from __future__ import annotations

from typing import Final

#: Stable error codes (the public contract for translation at the edges).
ERROR_CODES: Final = frozenset(
    {
        "naive_datetime",  # a datetime without tzinfo (or with a tzinfo that gives no offset)
        "out_of_range",  # a date or a computed due date outside the compiled year range
        "unknown_unit",  # a time-limit unit that is not one of ``Unit``
        "invalid_amount",  # not a real number (bool, str, NaN, infinity …)
        "negative_amount",  # amount < 0
        "amount_too_large",  # more than 10 years' worth of the unit
        "fractional_amount",  # a fraction where only whole numbers make sense (months, day count)
        "invalid_option",  # an unknown option value (counting, policy, mode, granularity …)
        "invalid_spec",  # an inconsistent calendar specification (overlapping periods …)
        "invalid_interval",  # an interval whose end is before its start (pauses)
    }
)


class CalendarError(ValueError):
    """A calendar computation was asked something it cannot answer.

    ``code`` is one of :data:`ERROR_CODES`; ``params`` holds the offending values for a translated
    message.
    """

    def __init__(self, code: str, message: str, **params: object) -> None:
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def __reduce__(self) -> tuple[object, ...]:  # keep pickling (e.g. task queues) working
        return (_rebuild, (self.code, self.message, self.params))


def _rebuild(code: str, message: str, params: dict[str, object]) -> CalendarError:
    return CalendarError(code, message, **params)
