"""Create the national working calendar with the 2025 and 2026 decreed tables and 2027 suggestions.

Entries come from ``motcua.calendars.schedule_vn`` (domain notes §4, secondary sources, each with its
notice number). 2027 has no notice yet: its statutory days are entered as suggestions and the year
stays provisional until an administrator confirms it.
"""

from __future__ import annotations

import uuid

from django.db import migrations
from django.utils import timezone

DECREED = (2025, 2026)
SUGGESTED = (2027,)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    from motcua.calendars import schedule_vn

    WorkingCalendar = apps.get_model("calendars", "WorkingCalendar")
    CalendarYear = apps.get_model("calendars", "CalendarYear")
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    CalendarChange = apps.get_model("calendars", "CalendarChange")
    calendar, _ = WorkingCalendar.objects.get_or_create(
        code="vn", defaults={"name": "Lịch làm việc quốc gia (cơ quan hành chính nhà nước)"}
    )
    for year in (*DECREED, *SUGGESTED):
        if CalendarYear.objects.filter(calendar=calendar, year=year).exists():
            continue
        entries = schedule_vn.national_schedule(year, year)
        for entry in entries:
            status = "secondary" if entry.status == schedule_vn.STATUS_SECONDARY else "suggested"
            CalendarDay.objects.update_or_create(
                calendar=calendar,
                date=entry.date,
                defaults={
                    "kind": (
                        "day_off"
                        if entry.kind == schedule_vn.EntryKind.DAY_OFF
                        else "make_up_working_day"
                    ),
                    "name_vi": entry.name_vi,
                    "name_en": entry.name_en,
                    "source": entry.source,
                    "status": status,
                    "detail_vi": entry.detail_vi,
                    "detail_en": entry.detail_en,
                },
            )
        CalendarYear.objects.create(
            calendar=calendar,
            year=year,
            provisional=year in SUGGESTED,
            note="" if year in SUGGESTED else "Bảng nghỉ lễ, Tết và ngày làm bù theo thông báo năm",
        )
        CalendarChange.objects.create(
            calendar=calendar,
            action="year_entered",
            after={"year": year, "entries": len(entries), "provisional": year in SUGGESTED},
            reason="Khởi tạo lịch quốc gia (migration)",
            at=timezone.now(),
        )
    calendar.revision = uuid.uuid4().hex
    calendar.save(update_fields=["revision"])


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
