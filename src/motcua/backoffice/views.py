"""Staff back-office pages (thin: call selectors, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.backoffice.forms import CalendarDayForm, ConfirmYearForm, RemoveCalendarDayForm
from motcua.calendars.models import NATIONAL_CODE
from motcua.calendars.selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    calendar_by_code,
    calendar_history,
    special_days,
    year_is_provisional,
    year_view,
)
from motcua.calendars.services import confirm_year, remove_calendar_day, set_calendar_day
from motcua.core.clock import today
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.organizations.policy import is_staff_member, may_manage_calendars


class LoginView(auth_views.LoginView):
    """Staff sign-in with user name and password."""

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and go back to the portal home."""


def _staff_or_403(request: HttpRequest) -> User | HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not is_staff_member(user, today()):
        return render(request, "backoffice/not_staff.html", status=403)
    return user


@never_cache
@login_required
def calendars_home(request: HttpRequest) -> HttpResponse:
    """The calendar administration starts at the national calendar of the current year."""
    return redirect("backoffice:calendar_year", code=NATIONAL_CODE, year=today().year)


@never_cache
@login_required
def calendar_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A calendar's year: grid, days off / make-up days, edit forms (administrators), history."""
    user = _staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        calendar = calendar_by_code(code)
        months = year_view(calendar, year)
    except DomainError:
        raise Http404 from None
    may_edit = may_manage_calendars(user, today())
    add_form, remove_form, confirm_form = (
        CalendarDayForm(),
        RemoveCalendarDayForm(),
        ConfirmYearForm(),
    )
    status = 200
    if request.method == "POST":
        if not may_edit:
            return render(request, "backoffice/forbidden.html", status=403)
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = CalendarDayForm(request.POST)
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    set_calendar_day(
                        calendar,
                        date=data["date"],
                        kind=data["kind"],
                        name_vi=data["name_vi"],
                        name_en=data["name_en"],
                        source=data["source"],
                        status=data["status"],
                        detail_vi=data["detail_vi"],
                        actor=user,
                        reason=data["reason"],
                    )
                    messages.success(request, _("Saved. Due dates now use this entry."))
                    return redirect("backoffice:calendar_year", code=code, year=data["date"].year)
            elif action == "remove":
                remove_form = RemoveCalendarDayForm(request.POST)
                if remove_form.is_valid():
                    data = remove_form.cleaned_data
                    remove_calendar_day(
                        calendar, date=data["date"], actor=user, reason=data["reason"]
                    )
                    messages.success(request, _("Entry removed."))
                    return redirect("backoffice:calendar_year", code=code, year=year)
            elif action == "confirm":
                confirm_form = ConfirmYearForm(request.POST)
                if confirm_form.is_valid():
                    confirm_year(
                        calendar, year=year, note=confirm_form.cleaned_data["note"], actor=user
                    )
                    messages.success(request, _("The year is confirmed."))
                    return redirect("backoffice:calendar_year", code=code, year=year)
        except DomainError as error:
            messages.error(request, str(error))
        status = 400
    return render(
        request,
        "backoffice/calendar_year.html",
        {
            "calendar": calendar,
            "year": year,
            "months": months,
            "special_days": special_days(calendar, year),
            "provisional": year_is_provisional(calendar, year),
            "history": calendar_history(calendar, limit=30),
            "may_edit": may_edit,
            "add_form": add_form,
            "remove_form": remove_form,
            "confirm_form": confirm_form,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
        status=status,
    )
