"""Demo dossiers: a few months of realistic work at three offices, through the real services.

Deterministic (seeded): real procedures of the demo catalogue, receptions spread over the last
``days`` days in office hours, then transfer, assignment, sometimes a supplement request, a fee, an
apology and extension, a refusal, a withdrawal; most results are issued on time and returned, some
late, and the most recent dossiers are still open (some of them overdue). Every person is fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from motcua.calendars.engine import VN_TZ, CompiledCalendar
from motcua.calendars.selectors import compiled_calendar
from motcua.catalog.selectors import procedure_in_force
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, ResultDelivery
from motcua.organizations.models import Agency
from motcua.organizations.selectors import calendar_of

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Kim", "Quốc", "Thu", "Hữu"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]


@dataclass(frozen=True)
class Desk:
    """An office, its people, the competent agency and the procedures it receives."""

    office: str
    officer: str
    handler: str
    leader: str
    competent: str | None
    procedures: tuple[str, ...]


DESKS = (
    Desk(
        "000.01.31.H01",
        "tiepnhan.rachgia",
        "chuyenvien.rachgia",
        "lanhdao.rachgia",
        None,
        ("1.004222", "1.004194", "1.004837", "1.000593", "1.001193", "1.010038"),
    ),
    Desk(
        "000.01.32.H01",
        "tiepnhan.phuquoc",
        "chuyenvien.phuquoc",
        "lanhdao.phuquoc",
        None,
        ("1.004222", "1.004194", "1.010028", "1.001193"),
    ),
    Desk(
        "000.01.01.H01",
        "tiepnhan.tinh",
        "chuyenvien.tuphap",
        "lanhdao.tuphap",
        "000.00.02.H01",
        ("1.003179",),
    ),
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


def load_demo_dossiers(count: int = 240, days: int = 120, seed: int = 2026) -> int:
    """Create the demo dossiers unless some exist already; returns how many were created."""
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    users = _users()
    now = clock.now()
    created = 0
    for index in range(count):
        desk = DESKS[0] if index % 5 < 3 else DESKS[1] if index % 5 == 3 else DESKS[2]
        office = Agency.objects.get(code=desk.office, valid_to__isnull=True)
        leader = users[desk.leader]
        calendar = compiled_calendar(calendar_of(office))
        # Denser towards today, so the inboxes hold open and overdue dossiers.
        start = now - dt.timedelta(days=days * (1 - index / count) ** 1.6)
        received = calendar.next_working_instant(
            start.replace(hour=7, minute=0) + dt.timedelta(minutes=rng.randrange(0, 540))
        )
        if received > now:
            continue
        code = rng.choice(desk.procedures)
        if procedure_in_force(code, received.astimezone(VN_TZ).date()) is None:
            continue
        competent = (
            Agency.objects.get(code=desk.competent, valid_to__isnull=True)
            if desk.competent
            else None
        )
        name = _name(rng)
        data = services.DossierInput(
            procedure_code=code,
            receiving_office=office,
            competent_agency=competent,
            channel=rng.choice([Channel.COUNTER] * 3 + [Channel.POST]),
            applicant_name=name,
            applicant_phone=f"09{rng.randrange(10**7, 10**8)}",
            applicant_address=f"{office.administrative_unit.name}, tỉnh An Giang"
            if office.administrative_unit
            else "tỉnh An Giang",
            result_delivery=rng.choice([ResultDelivery.COUNTER] * 4 + [ResultDelivery.POST]),
        )
        try:
            _live(data, desk, users, leader, calendar, received, now, rng)
        except DomainError:
            continue  # an unlucky random plan (e.g. a window just closed): skip it
        created += 1
    created += _online_submissions(users, now)
    return created


def _online_submissions(users: dict[str, User], now: dt.datetime) -> int:
    """Online dossiers of the demo citizens waiting at phường Rạch Giá (one of them refused)."""
    office = Agency.objects.get(code=DESKS[0].office, valid_to__isnull=True)
    made = 0
    for hours_ago, username, code in (
        (30, "congdan.lan", "1.004194"),
        (6, "congdan.minh", "1.004222"),
        (3, "congdan.lan", "1.004837"),
        (50, "congdan.minh", "1.010028"),
    ):
        citizen = users[username]
        data = services.DossierInput(
            procedure_code=code,
            receiving_office=office,
            channel=Channel.PORTAL,
            applicant_name=citizen.display_name,
            applicant_phone=citizen.phone,
            applicant_user=citizen,
            result_delivery=ResultDelivery.ONLINE,
        )
        dossier = services.submit_online(data, citizen, at=now - dt.timedelta(hours=hours_ago))
        made += 1
        if hours_ago == 50:
            services.refuse_intake(
                dossier.pk,
                users[DESKS[0].officer],
                reason="Thủ tục không thuộc thẩm quyền của phường",
                at=now - dt.timedelta(hours=40),
            )
    return made


def _live(
    data: services.DossierInput,
    desk: Desk,
    users: dict[str, User],
    leader: User,
    calendar: CompiledCalendar,
    received: dt.datetime,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """One dossier's life from ``received`` until ``now``, as the plan (seeded) says."""
    officer, handler = users[desk.officer], users[desk.handler]

    def after(t: dt.datetime, minutes: int) -> dt.datetime:
        result: dt.datetime = calendar.add_working_time(t, minutes)
        return result

    dossier = services.receive_dossier(data, officer, at=received)
    t = after(received, rng.randrange(10, 120))
    if t > now:
        return
    if rng.random() < 0.02:
        services.withdraw_dossier(dossier.pk, officer, reason="Công dân xin rút hồ sơ", at=t)
        return
    dossier = services.transfer_dossier(dossier.pk, officer, at=t)
    t = after(t, rng.randrange(30, 240))
    if t > now:
        return
    dossier = services.assign_handler(dossier.pk, leader, handler=handler, at=t)
    if rng.random() < 0.12:
        t = after(t, rng.randrange(60, 600))
        if t > now:
            return
        dossier = services.request_supplement(
            dossier.pk,
            handler,
            missing=["Bản sao giấy tờ chứng minh nơi cư trú"],
            reason="Hồ sơ thiếu giấy tờ chứng minh",
            at=t,
        )
        t = t + dt.timedelta(days=rng.randrange(1, 8), hours=rng.randrange(0, 6))
        t = calendar.next_working_instant(t)
        if t > now:
            return
        dossier = services.receive_supplement(dossier.pk, officer, at=t)
    if rng.random() < 0.06:
        t = after(t, rng.randrange(30, 480))
        if t > now:
            return
        dossier = services.request_payment(
            dossier.pk,
            handler,
            amount=rng.choice([20_000, 50_000]),
            note="Lệ phí theo quy định",
            at=t,
        )
        t = after(t, rng.randrange(240, 1920))
        if t > now:
            return
        dossier = services.confirm_payment(dossier.pk, officer, receipt="BL-demo", at=t)
    due_legal = dossier.due_legal
    if due_legal is None:
        return
    span = max(60, calendar.working_minutes_between(t, due_legal))
    roll = rng.random()
    if roll < 0.04 and span > 960:
        apology = calendar.subtract_working_time(due_legal, 960)
        if apology <= now and apology > t:
            new_due = after(due_legal, 480 * rng.randrange(2, 5))
            dossier = services.extend_deadline(
                dossier.pk,
                leader,
                new_due=new_due,
                reason="Cần xác minh thêm thông tin",
                at=apology,
            )
            finish = after(due_legal, rng.randrange(60, 900))
        else:
            finish = after(t, int(span * rng.uniform(0.3, 0.95)))
    elif roll < 0.14:
        finish = after(due_legal, rng.randrange(60, 2400))  # late
    else:
        finish = after(t, int(span * rng.uniform(0.2, 0.95)))
    if finish > now:
        return  # still open (overdue when its appointment has passed)
    if rng.random() < 0.03:
        services.refuse_after_appraisal(
            dossier.pk, leader, reason="Không đủ điều kiện theo quy định", at=finish
        )
        return
    dossier = services.issue_result(
        dossier.pk, leader, results=[dossier.procedure_version.name], at=finish
    )
    returned = after(finish, rng.randrange(60, 1440))
    if returned <= now:
        services.return_result(dossier.pk, officer, at=returned)
