"""Citizen portal URLs (Vietnamese slugs without diacritics)."""

from __future__ import annotations

from django.urls import include, path

from motcua.portal import (
    accounts,
    apply,
    feedback_views,
    finding,
    lookup,
    my_dossiers,
    payment_views,
    procedures,
    verify_result,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("kiem-tra-ket-qua/", verify_result.verify_result, name="verify_result"),
    path("thu-tuc/", procedures.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", procedures.procedure_detail, name="procedure_detail"),
    path("lich-lam-viec/", views.working_calendar, name="working_calendar"),
    path("lich-lam-viec/<int:year>/", views.working_calendar, name="working_calendar_year"),
    path("minh-bach/", include("motcua.portal.transparency_urls")),  # statistics (reports)
    # Finding a procedure (issue 7).
    path("su-kien/", finding.life_events, name="life_events"),
    path("su-kien/<slug:slug>/", finding.life_event_page, name="life_event"),
    path("co-quan/", finding.offices, name="offices"),
    path("co-quan/<str:code>/", finding.office_page, name="office"),
    # Signing in.
    path("dang-nhap/", accounts.sign_in, name="sign_in"),
    path("dang-xuat/", accounts.sign_out, name="sign_out"),
    path("dang-nhap/vneid/", accounts.OidcStart.as_view(), name="oidc_start"),
    path("dang-nhap/vneid/callback/", accounts.OidcCallback.as_view(), name="oidc_callback"),
    # Submitting online.
    path("nop-truc-tuyen/<str:code>/", apply.start, name="apply"),
    path("ho-so-nhap/<int:dossier_id>/", apply.draft, name="draft"),
    path("ho-so-nhap/<int:dossier_id>/giay-to/", apply.draft_files, name="draft_files"),
    path("ho-so-nhap/<int:dossier_id>/tai-len/", apply.draft_upload, name="draft_upload"),
    path("ho-so-nhap/<int:dossier_id>/tai-su-dung/", apply.draft_reuse, name="draft_reuse"),
    path("ho-so-nhap/<int:dossier_id>/nop/", apply.draft_review, name="draft_review"),
    path("ho-so/<int:dossier_id>/thanh-toan/", apply.pay, name="pay"),
    path("thanh-toan/vnpay/tra-ve/", payment_views.payment_back, name="payment_return"),
    path("thanh-toan/vnpay/ipn/", payment_views.ipn, name="payment_ipn"),
    # Following one's dossiers.
    path("ho-so-cua-toi/", my_dossiers.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<int:dossier_id>/", my_dossiers.dossier_page, name="dossier"),
    path("ho-so-cua-toi/<int:dossier_id>/da-nop/", apply.submitted, name="submitted"),
    path(
        "ho-so-cua-toi/<int:dossier_id>/giay-xac-nhan.pdf",
        apply.acknowledgement,
        name="acknowledgement",
    ),
    path(
        "ho-so-cua-toi/<int:dossier_id>/tep/<int:attachment_id>/",
        my_dossiers.download,
        name="download",
    ),
    path(
        "ho-so-cua-toi/<int:dossier_id>/bien-lai/<int:receipt_id>.pdf",
        my_dossiers.receipt,
        name="fee_receipt",
    ),
    path("ho-so-cua-toi/<int:dossier_id>/bo-sung/", my_dossiers.supplement, name="supplement"),
    path("ho-so-cua-toi/<int:dossier_id>/rut-ho-so/", my_dossiers.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<int:dossier_id>/nhan-ket-qua/", my_dossiers.delivery, name="delivery"),
    path("ho-so-cua-toi/<int:dossier_id>/danh-gia/", my_dossiers.rate, name="rate"),
    path("phan-anh-kien-nghi/", feedback_views.feedback_page, name="feedback"),
]
