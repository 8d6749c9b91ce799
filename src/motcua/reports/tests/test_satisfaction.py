"""Ratings and the 766 satisfaction indicators (5.2 feedback on time, 5.4 dossier handling)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from motcua.core import clock
from motcua.core.models import User
from motcua.dossiers import feedback
from motcua.dossiers.models import Dossier, Feedback
from motcua.dossiers.tests.online_data import lan, office, tam_tru
from motcua.dossiers.tests.test_feedback import ALL_SATISFIED, returned
from motcua.notifications.services import deliver_pending
from motcua.reports import index766, satisfaction
from motcua.reports.periods import make_period
from motcua.reports.selectors import public_coverage

pytestmark = pytest.mark.django_db
__all__ = ["lan", "office", "tam_tru"]


def this_year():
    on = clock.today()  # Vietnamese date
    return make_period(on.replace(month=1, day=1), on, today=on), on


def indicator(period, coverage, id_: str) -> index766.Indicator:
    return next(i for i in index766.index_766(period, coverage) if i.id == id_)


def test_ratings_are_counted_per_criterion_without_names(tam_tru, lan, office):
    happy, unhappy = returned(lan, office), returned(lan, office)
    feedback.rate_dossier(lan, happy.pk, ALL_SATISFIED, comment="Nguyễn Thị Lan rất hài lòng")
    feedback.rate_dossier(lan, unhappy.pk, {**ALL_SATISFIED, "attitude": "dissatisfied"})
    period, on = this_year()
    coverage = public_coverage(on, None)
    with CaptureQueriesContext(connection) as queries:
        result = satisfaction.ratings(period, coverage)
    assert len(queries) == 1  # one aggregate, whatever the number of ratings
    assert result.count == 2
    assert result.dissatisfied == 1
    assert result.satisfied_rate == 0.5
    attitude = next(c for c in result.criteria if c.key == "attitude")
    assert (attitude.satisfied, attitude.neutral, attitude.dissatisfied) == (1, 0, 1)
    online = next(c for c in result.criteria if c.key == "online")  # optional, not answered
    assert online.answered == 0
    assert online.satisfied_rate is None
    assert "Lan" not in repr(result)  # aggregates only: no comment, no name


def test_indicator_5_4_takes_out_late_unhappy_and_complained_dossiers_once(tam_tru, lan, office):
    first, second, _third = (returned(lan, office) for _ in range(3))
    feedback.rate_dossier(lan, first.pk, {**ALL_SATISFIED, "time": "dissatisfied"})
    complain(lan, first, "Chậm trả kết quả")  # the same dossier again: counted once
    complain(lan, second, "Cán bộ không hướng dẫn")
    while deliver_pending(limit=1000).delivered:  # the rollups (results in the period)
        pass
    period, on = this_year()
    coverage = public_coverage(on, None)
    assert satisfaction.unhappy_on_time(period, coverage) == 2
    five_four = indicator(period, coverage, "5.4")
    resolved = Dossier.objects.filter(resolved_at__isnull=False).count()
    assert five_four.denominator == resolved
    late = Dossier.objects.filter(resolved_at__gt=F("due_legal")).count()
    assert five_four.numerator == resolved - late - 2  # the third dossier stays satisfied
    assert five_four.source is index766.Source.APPROXIMATED


def complain(user: User, dossier: Dossier, subject: str, kind: str = "report") -> Feedback:
    return feedback.submit_feedback(
        user, kind=kind, subject=subject, body="Nội dung phản ánh chi tiết.", dossier_id=dossier.pk
    )


def test_indicator_5_2_counts_feedback_answered_by_its_due_date(tam_tru, lan, office):
    dossier = returned(lan, office)
    on_time = complain(lan, dossier, "Hỏi về kết quả")
    late = complain(lan, dossier, "Góp ý", kind="proposal")
    supervisor = User.objects.get(username="giamsat.tinh")
    feedback.answer_feedback(supervisor, on_time.pk, answer="Đã trả lời công dân đầy đủ.")
    Feedback.objects.filter(pk=late.pk).update(
        due_at=clock.now() - dt.timedelta(days=1)
    )  # overdue and unanswered
    Feedback.objects.filter(pk=on_time.pk).update(due_at=clock.now() + dt.timedelta(hours=1))
    period, on = this_year()
    five_two = indicator(period, public_coverage(on, None), "5.2")
    assert (five_two.numerator, five_two.denominator) == (1, 2)
    assert five_two.points == 3.0  # ratio × 6 (no threshold stated)


def test_the_public_page_shows_ratings_but_no_comment(tam_tru, lan, office, client):
    dossier = returned(lan, office)
    feedback.rate_dossier(lan, dossier.pk, ALL_SATISFIED, comment="Cán bộ Trần Văn Bình tận tình")
    page = client.get("/minh-bach/").content.decode()
    assert 'id="public-ratings"' in page
    assert "Số lượt đánh giá trong kỳ: 1;" in page
    assert "Trần Văn Bình" not in page  # comments are never published
    assert dossier.applicant_name not in page


def test_the_public_page_says_when_nobody_rated(demo, client):
    page = client.get("/minh-bach/").content.decode()
    assert 'id="public-ratings"' in page
    assert "Chưa có đánh giá nào" in page
