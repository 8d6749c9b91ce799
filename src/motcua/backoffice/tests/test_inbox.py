"""The inbox: queues per role with counts, badges, filters, sorting, paging; bulk return; search."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers import services
from motcua.dossiers.tests.factories import dossier_input, hours, in_status
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def count_of(html: str, label: str) -> int:
    match = re.search(
        rf'{re.escape(label)}</span>\s*<span class="usa-tag motcua-count[^"]*">(\d+)</span>', html
    )
    assert match, label
    return int(match.group(1))


def test_anonymous_visitors_are_asked_to_sign_in(client):
    assert client.get("/can-bo/").status_code == 302


def test_a_one_stop_officer_sees_the_queues_of_the_desk(people, frozen, browser_for):
    in_status(Status.SUBMITTED, people)
    in_status(Status.RECEIVED, people)
    in_status(Status.RECEIVED, people)
    in_status(Status.RESOLVED, people)
    html = browser_for(people.officer).get("/can-bo/").content.decode()
    assert count_of(html, "Chờ tiếp nhận") == 1
    assert count_of(html, "Chờ chuyển xử lý") == 2
    assert count_of(html, "Chờ trả kết quả") == 1
    assert "Chờ phân công" not in html  # a leader's queue


def test_a_leader_and_a_handler_see_their_own_queues(people, frozen, browser_for):
    unassigned = in_status(Status.IN_PROCESS, people)
    assigned = in_status(Status.IN_PROCESS, people)
    services.assign_handler(assigned.pk, people.leader, handler=people.handler, at=hours(3))
    leader = browser_for(people.leader).get("/can-bo/").content.decode()
    assert count_of(leader, "Chờ phân công") == 1
    assert count_of(leader, "Chờ duyệt, ký") == 1
    assert unassigned.code in leader  # the default queue is the first with work
    handler = browser_for(people.handler).get("/can-bo/?queue=to_process").content.decode()
    assert count_of(handler, "Cần xử lý") == 1
    assert assigned.code in handler
    assert unassigned.code not in handler


def test_another_office_sees_nothing_of_ours(people, frozen, browser_for):
    in_status(Status.RECEIVED, people)
    html = browser_for(people.outsider).get("/can-bo/?queue=to_transfer").content.decode()
    assert count_of(html, "Chờ chuyển xử lý") == 0


def test_rows_carry_a_badge_within_time_due_soon_or_overdue(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)  # due Monday 09/03 09:00
    officer = browser_for(people.officer)
    html = officer.get("/can-bo/?queue=overdue").content.decode()
    assert count_of(html, "Quá hạn") == 0
    assert count_of(html, "Sắp đến hạn") == 0
    frozen(24 * 4 + 6)  # Friday 06/03 15:00: the appointment is the next working day
    officer = browser_for(people.officer)  # a new working day, a new sign-in
    html = officer.get("/can-bo/?queue=due_soon").content.decode()
    assert count_of(html, "Sắp đến hạn") == 1
    assert "motcua-badge--due_soon" in html
    frozen(24 * 8)  # Tuesday 10/03
    officer = browser_for(people.officer)
    html = officer.get("/can-bo/?queue=overdue").content.decode()
    assert count_of(html, "Quá hạn") == 1
    assert dossier.code in html
    assert "motcua-badge--overdue" in html


def test_waiting_for_the_applicant_holds_supplements_and_payments(people, frozen, browser_for):
    in_status(Status.AWAITING_SUPPLEMENT, people)
    in_status(Status.AWAITING_PAYMENT, people)
    html = browser_for(people.officer).get("/can-bo/?queue=waiting").content.decode()
    assert count_of(html, "Chờ người nộp") == 2


def test_filters_by_channel_and_procedure(people, frozen, browser_for):
    counter = in_status(Status.RECEIVED, people)
    posted = services.receive_dossier(
        dossier_input(people, channel="post"), people.officer, at=hours(1)
    )
    officer = browser_for(people.officer)
    html = officer.get("/can-bo/?queue=to_transfer&channel=post").content.decode()
    assert posted.code in html
    assert counter.code not in html
    html = officer.get("/can-bo/?queue=to_transfer&procedure=thu nghiem").content.decode()
    assert posted.code in html
    assert counter.code in html
    html = officer.get("/can-bo/?queue=to_transfer&procedure=khai sinh").content.decode()
    assert counter.code not in html


def test_the_list_is_sorted_by_appointment_and_paged(people, frozen, browser_for):
    for _ in range(27):
        services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
    officer = browser_for(people.officer)
    first = officer.get("/can-bo/?queue=to_transfer").content.decode()
    assert "Hồ sơ 1–25 trên tổng số 27" in first
    second = officer.get("/can-bo/?queue=to_transfer&page=2").content.decode()
    assert "Hồ sơ 26–27 trên tổng số 27" in second


def test_bulk_return_reports_successes_and_failures(people, frozen, browser_for):
    one = in_status(Status.RESOLVED, people)
    two = in_status(Status.RESOLVED, people)
    stale = two.version
    services.return_result(two.pk, people.officer, at=hours(4))  # someone was faster
    officer = browser_for(people.officer)
    response = officer.post(
        "/can-bo/tra-ket-qua/",
        {"dossier": [f"{one.pk}:{one.version}", f"{two.pk}:{stale}"]},
        follow=True,
    )
    html = response.content.decode()
    one.refresh_from_db()
    assert one.status == Status.RETURNED
    assert f"Đã trả kết quả (1): {one.code}" in html
    assert f"Chưa trả được (1): {two.code}" in html


def test_bulk_return_cannot_touch_another_office(people, frozen, browser_for):
    ours = in_status(Status.RESOLVED, people)
    response = browser_for(people.outsider).post(
        "/can-bo/tra-ket-qua/", {"dossier": [f"{ours.pk}:{ours.version}"]}, follow=True
    )
    ours.refresh_from_db()
    assert ours.status == Status.RESOLVED
    assert ours.code not in response.content.decode()


def test_search_by_code_prefix_name_without_diacritics_and_phone(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    officer = browser_for(people.officer)
    assert (
        dossier.code in officer.get(f"/can-bo/tim-kiem/?code={dossier.code[:-3]}").content.decode()
    )
    assert dossier.code in officer.get("/can-bo/tim-kiem/?name=nguyen thi LAN").content.decode()
    assert dossier.code in officer.get("/can-bo/tim-kiem/?phone=0901000001").content.decode()
    assert dossier.code in officer.get("/can-bo/tim-kiem/?q=nguyen lan").content.decode() or (
        "Không tìm thấy" in officer.get("/can-bo/tim-kiem/?q=nguyen lan").content.decode()
    )
    assert dossier.code not in officer.get("/can-bo/tim-kiem/?name=tran van").content.decode()


def test_search_stays_within_the_dossiers_one_may_see(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    html = browser_for(people.outsider).get(f"/can-bo/tim-kiem/?code={dossier.code}").content
    assert f"/can-bo/ho-so/{dossier.pk}/" not in html.decode()
    assert "Không tìm thấy hồ sơ" in html.decode()
