"""The inbox (/can-bo/), the search page and bulk return of results (thin: parse, select,
render)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_or_403
from motcua.backoffice.dossier_forms import SearchForm
from motcua.core import clock
from motcua.core.clock import today
from motcua.core.errors import DomainError
from motcua.core.pagination import PageNumbers
from motcua.dossiers import services
from motcua.dossiers.consultations import (
    TaskState,
    consultations_for_my_agency,
    late_state,
    open_consultation_count,
)
from motcua.dossiers.inbox import (
    PAGE_SIZE,
    Criteria,
    Queue,
    Sort,
    TimeBadge,
    due_horizon,
    filtered,
    inbox_for,
    intake_offices,
    search_dossiers,
    sorted_dossiers,
    time_badge,
)
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.organizations.selectors import assignments_of


@dataclass(frozen=True)
class Row:
    """One line of a dossier list."""

    dossier: Dossier
    badge: str
    badge_label: str


@dataclass(frozen=True)
class Page(PageNumbers):
    """A page of a list, with the numbers to offer."""

    rows: list[Row]
    total: int
    number: int
    per_page: int = PAGE_SIZE


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _page(
    dossiers: QuerySet[Dossier],
    number: int,
    total: int | None,
    now: dt.datetime,
    horizon: dt.datetime,
) -> Page:
    total = dossiers.count() if total is None else total
    last = max(1, -(-total // PAGE_SIZE))
    number = min(number, last)
    start = (number - 1) * PAGE_SIZE
    rows = []
    for dossier in dossiers[start : start + PAGE_SIZE]:
        badge = time_badge(dossier, now, horizon)
        rows.append(Row(dossier, badge, str(TimeBadge.LABELS.get(badge, ""))))
    return Page(rows, total, number)


def _criteria(form: SearchForm) -> Criteria:
    if not form.is_valid():
        return Criteria()
    data = form.cleaned_data
    return Criteria(
        procedure=data.get("procedure") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        channel=data.get("channel") or "",
        code=data.get("code") or "",
        name=data.get("name") or "",
        phone=data.get("phone") or "",
        id_number=data.get("id_number") or "",
    )


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's inbox: the queues of their roles with counts, one queue listed."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    offices = intake_offices(user)
    box = inbox_for(user, office=offices[0] if offices else None)
    queue = request.GET.get("queue", "")
    if queue not in box.specs:
        queue = box.default_queue()
    sort = request.GET.get("sort", Sort.DUE)
    if sort not in Sort.ALL:
        sort = Sort.DUE
    filters = SearchForm(request.GET or None)
    criteria = _criteria(filters)
    dossiers = box.dossiers(queue)
    known = None
    if criteria.is_empty:
        known = box.counts.get(queue)
    else:
        dossiers = filtered(dossiers, criteria)
    page = _page(
        sorted_dossiers(dossiers, sort), _page_number(request), known, box.now, box.horizon
    )
    return render(
        request,
        "backoffice/inbox.html",
        {
            "assignments": list(assignments_of(user, today())),
            "queues": [
                (s.name, Queue.LABELS[s.name], Queue.HINTS[s.name], box.counts.get(s.name, 0))
                for s in box.queues
            ],
            "queue": queue,
            "queue_label": Queue.LABELS.get(queue, ""),
            "queue_hint": Queue.HINTS.get(queue, ""),
            "sort": sort,
            "sorts": list(Sort.LABELS.items()),
            "filters": filters,
            "filtered": not criteria.is_empty,
            "page": page,
            "bulk_return": queue == Queue.TO_RETURN and bool(page.rows),
            "may_receive": bool(offices),
            "consultations_count": open_consultation_count(user, box.now),
        },
    )


@dataclass(frozen=True)
class TaskRow:
    """One consultation task in the list "Consultations for my agency"."""

    task: ConsultationTask
    state: str
    state_label: str


@never_cache
@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    """Consultations addressed to the user's agencies: open ones first, oldest deadline first."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    now = clock.now()
    tasks = consultations_for_my_agency(user, now)
    total = tasks.count()
    last = max(1, -(-total // PAGE_SIZE))
    number = min(_page_number(request), last)
    start = (number - 1) * PAGE_SIZE
    rows = []
    for task in tasks[start : start + PAGE_SIZE]:
        state = late_state(task, now)
        rows.append(TaskRow(task, state, str(TaskState.LABELS[state])))
    return render(
        request,
        "backoffice/consultations.html",
        {
            "rows": rows,
            "page": Page([], total, number),
            "open_count": open_consultation_count(user, now),
        },
    )


@never_cache
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find dossiers by code, applicant (with or without diacritics), phone, ID, procedure, date."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    form = SearchForm(request.GET or None)
    criteria = _criteria(form)
    quick = request.GET.get("q", "").strip()
    if quick and criteria.is_empty:
        # The inbox's quick box: a code (has digits) or a name.
        has_digit = any(ch.isdigit() for ch in quick)
        criteria = Criteria(code=quick) if has_digit else Criteria(name=quick)
        form = SearchForm({"code": quick} if has_digit else {"name": quick})
        form.is_valid()
    page = None
    if not criteria.is_empty:
        now = clock.now()
        page = _page(
            search_dossiers(user, criteria), _page_number(request), None, now, due_horizon(now=now)
        )
    return render(request, "backoffice/search.html", {"form": form, "page": page})


@require_POST
@login_required
def bulk_return(request: HttpRequest) -> HttpResponse:
    """Return the results of the ticked dossiers, each through the service; say what failed."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    done: list[str] = []
    failed: list[str] = []
    for value in request.POST.getlist("dossier"):
        try:
            dossier_id, version = (int(part) for part in value.split(":", 1))
        except ValueError:
            continue
        try:
            dossier = services.return_result(dossier_id, user, expected_version=version)
            done.append(str(dossier))
        except DomainError as error:
            label = (
                Dossier.objects.filter(pk=dossier_id).values_list("code", flat=True).first()
                if error.code != "not_found"
                else None
            )
            failed.append(f"{label or '#' + str(dossier_id)}: {error}")
    if done:
        messages.success(
            request,
            _("Results returned (%(count)d): %(codes)s")
            % {"count": len(done), "codes": ", ".join(done)},
        )
    if failed:
        messages.error(
            request,
            _("Not returned (%(count)d): %(reasons)s")
            % {"count": len(failed), "reasons": "; ".join(failed)},
        )
    if not done and not failed:
        messages.warning(request, _("Tick the dossiers whose results you hand over."))
    return redirect(reverse("backoffice:inbox") + f"?queue={Queue.TO_RETURN}")
