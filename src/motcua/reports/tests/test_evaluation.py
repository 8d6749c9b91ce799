"""The TT 01/2018 evaluation from a small dataset built through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Feedback, FeedbackKind, FeedbackStatus
from motcua.dossiers.tests.factories import People, dossier_input, ensure_procedure, hours, perform
from motcua.dossiers.workflow import Action
from motcua.reports.evaluation import evaluate_agency, evaluation_period, to_xlsx
from motcua.reports.selectors import coverage_for
from motcua.reports.tt01 import Band

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture
def quarter_one(demo):
    """Four dossiers received Mon 02/03/2026 09:00 (5 working days) at phường Rạch Giá:
    early; early after one supplement round; early with a late consultation; late — and a
    complaint about the first, answered on time."""
    ensure_procedure()
    people = People.load()

    def received():
        d = services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
        return services.transfer_dossier(d.pk, people.officer, at=hours(1))

    early = received()
    services.issue_result(early.pk, people.leader, results=["Kết quả"], at=hours(2))

    supplemented = received()
    perform(Action.REQUEST_SUPPLEMENT, supplemented, people, hours(2))
    perform(Action.RECEIVE_SUPPLEMENT, supplemented, people, hours(3))
    services.issue_result(supplemented.pk, people.leader, results=["Kết quả"], at=hours(4))

    consulted = received()
    consulted = perform(Action.CONSULT, consulted, people, hours(2))  # answer by hours(4)
    consulted = perform(Action.ANSWER_CONSULTATION, consulted, people, hours(5))
    services.issue_result(consulted.pk, people.leader, results=["Kết quả"], at=hours(6))

    late = received()
    services.issue_result(late.pk, people.leader, results=["Kết quả"], at=at("2026-03-20T10:00"))

    Feedback.objects.create(
        reference="PAKN-TEST-1",
        kind=FeedbackKind.REPORT,
        subject="Thái độ",
        body="Cán bộ chậm trả lời",
        author=people.citizen,
        dossier=early,
        agency=early.receiving_office,
        submitted_at=at("2026-03-04T09:00"),
        due_at=at("2026-03-25T17:00"),
        status=FeedbackStatus.ANSWERED,
        answer="Đã chấn chỉnh",
        answered_at=at("2026-03-10T09:00"),
    )
    return people


def test_the_evaluation_of_a_quarter_scores_each_index(quarter_one, django_assert_max_num_queries):
    period = evaluation_period(2026, 1, today=TODAY)
    coverage = coverage_for(quarter_one.officer, TODAY, None)
    with django_assert_max_num_queries(12):
        report = evaluate_agency(period, coverage)
    ev = report.evaluation
    assert report.dossiers == 4
    assert ev.get(1).score == 1.5  # 2, 2, 2, 0
    assert ev.get(2).score == 0.0  # only the consulted dossier has a budgeted row: late
    assert ev.get(2).dossiers == 1
    assert ev.get(3).score == 1.8  # 2, 1, 2, 2 → 1.75 → 1.8 (half up)
    assert ev.get(4).score == 1.0  # all at the desk: only the one-stop office
    assert ev.get(5).score is None  # not recorded
    assert ev.get(6).score == 1.0
    assert ev.get(6).lower_bound  # posting at the office is not recorded
    assert ev.get(7).score == 1.0  # complaint 0, early 2, early 2, late 0
    assert ev.get(8).score == 2.0  # the one feedback answered by its due
    assert ev.get(9).score == 0.0  # no online dossier
    assert ev.covered == 8
    assert ev.total == 8.3
    assert ev.band is Band.AVERAGE
    assert [str(n) for n in report.rows[4].notes]  # index 5 says why it is not available
    assert report.rows[0].detail
    assert to_xlsx(report)[:2] == b"PK"


def test_the_number_of_queries_does_not_grow_with_the_dossiers(quarter_one):
    period = evaluation_period(2026, 1, today=TODAY)
    coverage = coverage_for(quarter_one.officer, TODAY, None)
    with CaptureQueriesContext(connection) as four:
        before = evaluate_agency(period, coverage)
    people = quarter_one
    for i in range(3):
        d = services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
        d = services.transfer_dossier(d.pk, people.officer, at=hours(1))
        if i == 0:
            perform(Action.REQUEST_SUPPLEMENT, d, people, hours(2))
            perform(Action.RECEIVE_SUPPLEMENT, d, people, hours(3))
        services.issue_result(d.pk, people.leader, results=["Kết quả"], at=hours(4))
    with CaptureQueriesContext(connection) as seven:
        after = evaluate_agency(period, coverage)
    assert (before.dossiers, after.dossiers) == (4, 7)
    assert after.evaluation.get(3).distribution == (0, 2, 5)
    assert len(seven.captured_queries) == len(four.captured_queries)


def test_a_quarter_that_has_not_started_is_refused_and_the_current_one_ends_today():
    with pytest.raises(DomainError) as error:
        evaluation_period(2027, 1, today=TODAY)
    assert error.value.code == "period_in_future"
    current = evaluation_period(2026, 4, today=TODAY)
    assert (current.first, current.last) == (dt.date(2026, 10, 1), TODAY)
    assert evaluation_period(2025, None, today=TODAY).last == dt.date(2025, 12, 31)
    with pytest.raises(DomainError):
        evaluation_period(2026, 5, today=TODAY)
