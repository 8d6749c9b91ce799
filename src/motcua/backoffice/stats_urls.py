"""Statistics pages of the back office, under /can-bo/thong-ke/ (issue: statistics and 766)."""

from __future__ import annotations

from django.urls import path

from motcua.backoffice import stats_views

app_name = "stats"
urlpatterns = [
    path("", stats_views.dashboard_page, name="dashboard"),
    path("chi-so-766/", stats_views.index_page, name="index766"),
    path("danh-gia-tt01/", stats_views.evaluation_page, name="tt01"),
    path("danh-gia-tt01.xlsx", stats_views.evaluation_xlsx, name="tt01_xlsx"),
    path("cai-cach/", stats_views.scorecard_page, name="scorecard"),
    path("ho-so/", stats_views.dossiers_page, name="dossiers"),
    path("ho-so.csv", stats_views.dossiers_csv, name="dossiers_csv"),
    path("ho-so.xlsx", stats_views.dossiers_xlsx, name="dossiers_xlsx"),
    path("bao-cao.xlsx", stats_views.export_xlsx, name="export_xlsx"),
    path("bao-cao.csv", stats_views.export_csv, name="export_csv"),
]
