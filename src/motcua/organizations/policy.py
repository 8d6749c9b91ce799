"""Who may do what: the one place that answers permission questions (interfaces ask here).

Permissions come from staff assignments valid on the day (ADR 0006), never from Django's
``is_staff`` flag (which only opens the configuration admin).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser

from motcua.core.models import User
from motcua.organizations.models import Role, StaffAssignment
from motcua.organizations.selectors import valid_on as _valid_on


def has_role(user: User | AnonymousUser, role: Role, on: dt.date) -> bool:
    """Whether ``user`` holds ``role`` at some agency on ``on``."""
    if not user.is_authenticated:
        return False
    return StaffAssignment.objects.filter(_valid_on(on), user=user, role=role).exists()


def is_staff_member(user: User | AnonymousUser, on: dt.date) -> bool:
    """Whether ``user`` has any staff assignment on ``on`` (may use the back office)."""
    if not user.is_authenticated:
        return False
    return StaffAssignment.objects.filter(_valid_on(on), user=user).exists()


def may_manage_calendars(user: User | AnonymousUser, on: dt.date) -> bool:
    """Administrators edit working calendars (days off, make-up days, office hours)."""
    return has_role(user, Role.ADMINISTRATOR, on)
