"""Following one's dossiers: status in plain words, supplement answered once, withdrawal with a
confirmation step, the electronic result (said to be unsigned), ratings, feedback."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core.models import User
from motcua.dossiers import online, services
from motcua.dossiers.attachments import attach_result
from motcua.dossiers.models import Dossier, Feedback, Rating
from motcua.dossiers.tests.online_data import pdf
from motcua.dossiers.tests.test_online import ready_draft
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def officer() -> User:
    return User.objects.get(username="tiepnhan.rachgia")


def in_process(lan: User, office) -> Dossier:
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    services.accept_online(dossier.pk, officer())
    return services.transfer_dossier(dossier.pk, officer())


def test_my_dossiers_say_where_each_one_is(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    online.start_draft(lan, "1.004194", office)
    page = lan_client.get("/ho-so-cua-toi/").content.decode()
    assert dossier.code in page
    assert "Cơ quan có thẩm quyền đang giải quyết." in page
    assert "Hồ sơ nháp chưa nộp" in page
    detail = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Quá trình xử lý" in detail
    assert "Hồ sơ được chuyển đến cơ quan có thẩm quyền." in detail


def test_a_supplement_request_is_answered_once_from_the_page(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    handler = User.objects.get(username="chuyenvien.rachgia")
    services.request_supplement(dossier.pk, handler, missing=["Hợp đồng thuê nhà"], reason="")
    page = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Hợp đồng thuê nhà" in page
    assert f"/ho-so-cua-toi/{dossier.pk}/bo-sung/" in page
    empty = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/bo-sung/", {"note": ""})
    assert empty.status_code == 400
    sent = lan_client.post(
        f"/ho-so-cua-toi/{dossier.pk}/bo-sung/", {"files": [pdf("hd.pdf"), pdf("so.pdf")]}
    )
    assert sent.status_code == 302
    again = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/bo-sung/").content.decode()
    assert "đã gửi hồ sơ bổ sung" in again
    assert 'name="files"' not in again


def test_withdrawing_needs_a_confirmation(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    unconfirmed = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/rut-ho-so/", {"reason": "x"})
    assert unconfirmed.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROCESS
    done = lan_client.post(
        f"/ho-so-cua-toi/{dossier.pk}/rut-ho-so/", {"reason": "Không cần nữa", "confirm": "on"}
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_the_result_is_downloaded_and_said_to_be_unsigned(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    leader = User.objects.get(username="lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    result = attach_result(
        leader, dossier.pk, pdf("ket-qua.pdf"), result_code=f"{dossier.code}-KQ1"
    )
    page = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "không có chữ ký số" in page
    download = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/tep/{result.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = Client()
    other.force_login(User.objects.get(username="congdan.minh"))
    assert other.get(f"/ho-so-cua-toi/{dossier.pk}/tep/{result.pk}/").status_code == 404


def test_the_delivery_is_chosen_while_the_result_is_not_issued(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/nhan-ket-qua/", {"result_delivery": "counter"})
    assert Dossier.objects.get(pk=dossier.pk).result_delivery == "counter"


def test_a_returned_dossier_is_rated(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    leader = User.objects.get(username="lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    services.return_result(dossier.pk, officer())
    incomplete = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/danh-gia/", {"c_time": "satisfied"})
    assert incomplete.status_code == 400
    assert 'id="id_c_attitude_error"' in incomplete.content.decode()
    answers = {
        f"c_{key}": "satisfied"
        for key in ("time", "agencies", "contacts", "information", "attitude", "lawfulness")
    }
    done = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/danh-gia/", answers)
    assert done.status_code == 302
    assert Rating.objects.get(dossier=dossier).answers["time"] == "satisfied"


def test_feedback_is_sent_and_answered_in_the_back_office(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    sent = lan_client.post(
        "/phan-anh-kien-nghi/",
        {
            "kind": "report",
            "subject": "Chờ lâu",
            "body": "Tôi chờ đã lâu mà chưa có kết quả.",
            "dossier": dossier.pk,
            "email": "lan@example.vn",
        },
    )
    assert sent.status_code == 302
    item = Feedback.objects.get()
    supervisor = Client()
    supervisor.force_login(User.objects.get(username="giamsat.tinh"))
    listing = supervisor.get("/can-bo/phan-anh/").content.decode()
    assert item.reference in listing
    answered = supervisor.post(
        f"/can-bo/phan-anh/{item.pk}/", {"answer": "Hồ sơ đang được thẩm định, sẽ có kết quả sớm."}
    )
    assert answered.status_code == 302
    page = lan_client.get("/phan-anh-kien-nghi/").content.decode()
    assert "Hồ sơ đang được thẩm định" in page
    citizen = Client()
    citizen.force_login(User.objects.get(username="congdan.minh"))
    assert citizen.get(f"/can-bo/phan-anh/{item.pk}/").status_code == 403
