"""Back-office URLs, under /can-bo/ (Vietnamese slugs without diacritics)."""

from __future__ import annotations

from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("lich-lam-viec/", views.calendars_home, name="calendars"),
    path("lich-lam-viec/<slug:code>/<int:year>/", views.calendar_year, name="calendar_year"),
]
