"""The one error type business rules raise: a stable code plus a translated, parameterised message.

Interfaces render ``str(error)`` (in the active language) and expose ``code`` to machines (the API's
problem JSON carries it), so clients never parse messages.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class DomainError(Exception):
    """A request broke a business rule or gave bad input; nothing was changed."""

    def __init__(
        self, code: str, message: str | Promise, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text
