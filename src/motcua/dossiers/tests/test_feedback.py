"""Satisfaction ratings (one per dossier, changeable for a while) and feedback / petitions."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import feedback, online, services
from motcua.dossiers.models import Dossier, FeedbackStatus, Rating
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.test_online import ready_draft
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
ALL_SATISFIED = {c.key: "satisfied" for c in feedback.CRITERIA if c.required}


def returned(lan: User, office) -> Dossier:
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    officer = User.objects.get(username="tiepnhan.rachgia")
    leader = User.objects.get(username="lanhdao.rachgia")
    services.accept_online(dossier.pk, officer)
    services.transfer_dossier(dossier.pk, officer)
    services.issue_result(dossier.pk, leader, results=["Xác nhận đăng ký tạm trú"])
    return services.return_result(dossier.pk, officer)


def test_a_dossier_is_rated_once_it_is_returned(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    with pytest.raises(DomainError) as refused:
        feedback.rate_dossier(lan, dossier.pk, ALL_SATISFIED)
    assert refused.value.code == "not_ratable_yet"
    done = returned(lan, office)
    rating = feedback.rate_dossier(lan, done.pk, ALL_SATISFIED, comment="Nhanh")
    assert not rating.dissatisfied


def test_one_rating_per_dossier_changeable_within_the_window(tam_tru, lan, office, settings):
    done = returned(lan, office)
    first = feedback.rate_dossier(lan, done.pk, ALL_SATISFIED)
    changed = feedback.rate_dossier(lan, done.pk, {**ALL_SATISFIED, "attitude": "neutral"})
    assert changed.pk == first.pk
    assert Rating.objects.count() == 1
    late = first.created_at + dt.timedelta(days=settings.MOTCUA_RATING_EDIT_DAYS, minutes=1)
    with pytest.raises(DomainError) as refused:
        feedback.rate_dossier(lan, done.pk, ALL_SATISFIED, at=late)
    assert refused.value.code == "rating_locked"


def test_every_required_criterion_is_answered(tam_tru, lan, office):
    done = returned(lan, office)
    with pytest.raises(DomainError) as refused:
        feedback.rate_dossier(lan, done.pk, {"time": "satisfied"})
    assert refused.value.code == "rating_incomplete"
    with pytest.raises(DomainError):
        feedback.rate_dossier(lan, done.pk, {**ALL_SATISFIED, "bribes": "satisfied"})


def test_only_the_applicant_rates(tam_tru, lan, minh, office):
    done = returned(lan, office)
    with pytest.raises(NotFound):
        feedback.rate_dossier(minh, done.pk, ALL_SATISFIED)


def test_a_dissatisfied_rating_goes_to_the_centre_head(tam_tru, lan, office):
    done = returned(lan, office)
    rating = feedback.rate_dossier(lan, done.pk, {**ALL_SATISFIED, "time": "dissatisfied"})
    head = User.objects.get(username="giamdoc.trungtam")  # provincial centre: not this office
    supervisor = User.objects.get(username="giamsat.tinh")
    assert list(feedback.ratings_to_review(supervisor)) == [rating]
    assert list(feedback.ratings_to_review(head)) == []
    reviewed = feedback.review_rating(supervisor, rating.pk, note="Đã nhắc nhở bộ phận")
    assert reviewed.reviewed_at is not None
    assert list(feedback.ratings_to_review(supervisor)) == []


def test_feedback_reaches_the_office_and_the_answer_is_emailed(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    sent = feedback.submit_feedback(
        lan,
        kind="report",
        subject="Chờ lâu",
        body="Hồ sơ chưa được tiếp nhận sau hai ngày.",
        dossier_id=dossier.pk,
    )
    assert sent.agency_id == office.pk
    assert sent.due_at is not None
    assert sent.due_at > sent.submitted_at
    officer = User.objects.get(username="tiepnhan.rachgia")
    assert list(feedback.feedback_for_staff(officer)) == []  # not a centre head
    supervisor = User.objects.get(username="giamsat.tinh")
    answered = feedback.answer_feedback(
        supervisor, sent.pk, answer="Hồ sơ đã được tiếp nhận sáng nay."
    )
    assert answered.status == FeedbackStatus.ANSWERED
    message = OutboxMessage.objects.get(topic=feedback.FEEDBACK_ANSWERED)
    assert message.payload["email"] == "lan@example.vn"
    with pytest.raises(DomainError):
        feedback.answer_feedback(supervisor, sent.pk, answer="Trả lời lần hai không được.")


def test_feedback_about_someone_elses_dossier_is_refused(tam_tru, lan, minh, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    with pytest.raises(NotFound):
        feedback.submit_feedback(
            minh,
            kind="report",
            subject="Thử",
            body="Nội dung đủ dài để gửi.",
            dossier_id=dossier.pk,
        )
