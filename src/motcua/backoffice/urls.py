"""Back-office URLs, under /can-bo/ (Vietnamese slugs without diacritics)."""

from __future__ import annotations

from django.urls import include, path

from motcua.backoffice import dossier_views, inbox_views, intake_views, receipt_views, views

app_name = "backoffice"
urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("tim-kiem/", inbox_views.search, name="search"),
    path("tra-ket-qua/", inbox_views.bulk_return, name="bulk_return"),
    path("tiep-nhan/", intake_views.intake_start, name="intake"),
    path("tiep-nhan/<str:code>/", intake_views.intake_form, name="intake_form"),
    path("ho-so/<int:dossier_id>/", dossier_views.dossier_page, name="dossier"),
    path("ho-so/<int:dossier_id>/thao-tac/", dossier_views.dossier_action, name="dossier_action"),
    path(
        "ho-so/<int:dossier_id>/in/<slug:form>/", dossier_views.dossier_print, name="dossier_print"
    ),
    path(
        "ho-so/<int:dossier_id>/in/<slug:form>/<int:seq>/",
        dossier_views.dossier_print,
        name="dossier_print_event",
    ),
    path("ho-so/<int:dossier_id>/tep/", dossier_views.dossier_upload, name="dossier_upload"),
    path(
        "ho-so/<int:dossier_id>/bien-lai/<int:receipt_id>.pdf",
        receipt_views.receipt_download,
        name="fee_receipt",
    ),
    path(
        "ho-so/<int:dossier_id>/bien-lai/<int:receipt_id>/dieu-chinh/",
        receipt_views.receipt_change,
        name="fee_receipt_change",
    ),
    path(
        "ho-so/<int:dossier_id>/lay-y-kien/<int:task_id>/",
        dossier_views.consultation_answer,
        name="consultation_answer",
    ),
    path("lay-y-kien/", inbox_views.consultations, name="consultations"),
    path("tep/<int:attachment_id>/", dossier_views.attachment_download, name="attachment"),
    path("so-theo-doi/", dossier_views.register, name="register"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("lich-lam-viec/", views.calendars_home, name="calendars"),
    path("lich-lam-viec/<slug:code>/<int:year>/", views.calendar_year, name="calendar_year"),
    path("thong-ke/", include("motcua.backoffice.stats_urls")),  # statistics (reports)
    path("phan-anh/", include("motcua.backoffice.feedback_views")),  # feedback, ratings (portal)
]
