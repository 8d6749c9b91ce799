"""Load (idempotently) the demo province: units, agencies, staff per role, citizens."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from motcua.calendars.models import NATIONAL_CODE, WorkingCalendar
from motcua.calendars.services import create_calendar, set_office_hours
from motcua.catalog.demo import load_demo_procedures
from motcua.catalog.models import Procedure
from motcua.catalog.offers import offer_procedure
from motcua.catalog.services.versions import (
    StepData,
    create_new_version,
    publish_version,
    set_process_steps,
)
from motcua.config.demo.dossiers import load_demo_dossiers
from motcua.core.models import User
from motcua.organizations.importing import import_units
from motcua.organizations.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    DataSource,
    Role,
)
from motcua.organizations.services import (
    AgencyData,
    assign_calendar,
    assign_staff,
    upsert_agency,
)

UNITS_FILE = Path(__file__).with_name("an-giang-units-2025.json")
REFORM_DATE = dt.date(2025, 7, 1)  # two-level local government (Luật 72/2025/QH15; NQ 202/2025)
DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - printed on purpose: demo accounts only
PROVINCE_CODE = "91"
# Level-1 code of the new An Giang: unconfirmed (forms-and-codes.md §7.2); demo codes use H01.
L1 = "H01"

PROVINCIAL_DEPARTMENTS = [
    # (level-2 number, name) — the mandatory sở of NĐ 150/2025 that handle most procedures.
    ("02", "Sở Tư pháp"),
    ("03", "Sở Xây dựng"),
    ("04", "Sở Nông nghiệp và Môi trường"),
    ("05", "Sở Tài chính"),
    ("06", "Sở Y tế"),
    ("07", "Sở Công Thương"),
    ("08", "Sở Nội vụ"),
]

# Commune-level units given a People's Committee and a commune service centre in the demo:
# (official unit code, level-2 number in the demo agency codes, short key for user names).
DEMO_COMMUNES = [
    ("30742", "31", "rachgia"),  # Phường Rạch Giá, the provincial centre's seat
    ("31078", "32", "phuquoc"),  # Đặc khu Phú Quốc
    ("30307", "33", "longxuyen"),  # Phường Long Xuyên
    ("30316", "34", "chaudoc"),  # Phường Châu Đốc
    ("30880", "35", "chauthanh"),  # Xã Châu Thành (former Kiên Giang)
    ("30817", "36", "hondat"),  # Xã Hòn Đất
]


@dataclass(frozen=True)
class DemoAccount:
    """A printed demo account."""

    username: str
    full_name: str
    role: str
    agency: str


@dataclass(frozen=True)
class DemoSummary:
    units: int
    agencies: int
    procedures: int
    dossiers: int
    accounts: list[DemoAccount]


def _code(level3: str, level2: str) -> str:
    return f"000.{level3}.{level2}.{L1}"


def _load_units() -> dict[str, str]:
    """The real administrative units of An Giang, with the legacy units of the former An Giang and
    Kiên Giang and the conversion lines; returns {code: name} of the units in force."""
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    import_units(data)
    names = {data["province"]["code"]: data["province"]["name"]}
    names |= {commune["code"]: commune["name"] for commune in data["communes"]}
    return names


def _load_agencies(unit_names: dict[str, str]) -> int:
    demo = DataSource.DEMO
    count = 0

    def add(data: AgencyData) -> None:
        nonlocal count
        upsert_agency(data, source=demo)
        count += 1

    province = _code("00", "00")
    add(
        AgencyData(
            province,
            "Ủy ban nhân dân tỉnh An Giang",
            AgencyKind.PEOPLES_COMMITTEE,
            AgencyLevel.PROVINCE,
            REFORM_DATE,
            unit_code=PROVINCE_CODE,
            short_name="UBND tỉnh An Giang",
            address="Phường Rạch Giá, tỉnh An Giang",
        )
    )
    office = _code("00", "01")
    add(
        AgencyData(
            office,
            "Văn phòng Ủy ban nhân dân tỉnh An Giang",
            AgencyKind.OFFICE,
            AgencyLevel.PROVINCE,
            REFORM_DATE,
            parent_code=province,
            unit_code=PROVINCE_CODE,
            short_name="Văn phòng UBND tỉnh",
        )
    )
    add(
        AgencyData(
            _code("01", "01"),
            "Trung tâm Phục vụ hành chính công tỉnh An Giang",
            AgencyKind.SERVICE_CENTRE,
            AgencyLevel.PROVINCE,
            REFORM_DATE,
            parent_code=office,
            unit_code=PROVINCE_CODE,
            short_name="TTPVHCC tỉnh",
            address="Phường Rạch Giá, tỉnh An Giang",
        )
    )
    for number, name in PROVINCIAL_DEPARTMENTS:
        add(
            AgencyData(
                _code("00", number),
                f"{name} tỉnh An Giang",
                AgencyKind.DEPARTMENT,
                AgencyLevel.PROVINCE,
                REFORM_DATE,
                parent_code=province,
                unit_code=PROVINCE_CODE,
                short_name=name,
            )
        )
    for unit_code, number, _key in DEMO_COMMUNES:
        # Inside a name the unit type is written in lower case: "UBND phường Rạch Giá".
        unit_name = unit_names[unit_code][0].lower() + unit_names[unit_code][1:]
        committee = _code("00", number)
        add(
            AgencyData(
                committee,
                f"Ủy ban nhân dân {unit_name}",
                AgencyKind.PEOPLES_COMMITTEE,
                AgencyLevel.COMMUNE,
                REFORM_DATE,
                parent_code=province,
                unit_code=unit_code,
                short_name=f"UBND {unit_name}",
            )
        )
        add(
            AgencyData(
                _code("01", number),
                f"Trung tâm Phục vụ hành chính công {unit_name}",
                AgencyKind.SERVICE_CENTRE,
                AgencyLevel.COMMUNE,
                REFORM_DATE,
                parent_code=committee,
                unit_code=unit_code,
                short_name=f"TTPVHCC {unit_name}",
            )
        )
        add(
            AgencyData(
                _code("02", number),
                f"Phòng Văn hóa - Xã hội {unit_name}",
                AgencyKind.DIVISION,
                AgencyLevel.COMMUNE,
                REFORM_DATE,
                parent_code=committee,
                unit_code=unit_code,
                short_name="Phòng Văn hóa - Xã hội",
            )
        )
    return count


# (username, full name, role, agency code, title) — fictional people.
def _staff() -> list[tuple[str, str, Role, str, str]]:
    rg = "31"  # Phường Rạch Giá
    pq = "32"  # Đặc khu Phú Quốc
    return [
        (
            "tiepnhan.tinh",
            "Nguyễn Thị Hồng",
            Role.RECEPTION_OFFICER,
            _code("01", "01"),
            "Công chức tiếp nhận và trả kết quả",
        ),
        (
            "giamdoc.trungtam",
            "Lê Văn Phúc",
            Role.CENTRE_HEAD,
            _code("01", "01"),
            "Giám đốc Trung tâm Phục vụ hành chính công tỉnh",
        ),
        (
            "chuyenvien.tuphap",
            "Trần Minh Khoa",
            Role.HANDLER,
            _code("00", "02"),
            "Chuyên viên Phòng Hành chính tư pháp",
        ),
        (
            "lanhdao.tuphap",
            "Phạm Thị Thu Hà",
            Role.AGENCY_LEADER,
            _code("00", "02"),
            "Phó Giám đốc Sở Tư pháp",
        ),
        ("vanthu.tuphap", "Võ Thị Mai", Role.CLERK, _code("00", "02"), "Văn thư Sở Tư pháp"),
        (
            "chuyenvien.xaydung",
            "Huỳnh Quốc Bảo",
            Role.HANDLER,
            _code("00", "03"),
            "Chuyên viên Phòng Quản lý xây dựng",
        ),
        (
            "tiepnhan.rachgia",
            "Đặng Thị Ngọc Ánh",
            Role.RECEPTION_OFFICER,
            _code("01", rg),
            "Công chức tiếp nhận và trả kết quả",
        ),
        (
            "chuyenvien.rachgia",
            "Bùi Văn Tâm",
            Role.HANDLER,
            _code("02", rg),
            "Công chức văn hóa - xã hội (hộ tịch)",
        ),
        (
            "lanhdao.rachgia",
            "Ngô Thanh Sơn",
            Role.AGENCY_LEADER,
            _code("00", rg),
            "Phó Chủ tịch UBND phường",
        ),
        (
            "tiepnhan.phuquoc",
            "Trương Thị Kim Oanh",
            Role.RECEPTION_OFFICER,
            _code("01", pq),
            "Công chức tiếp nhận và trả kết quả",
        ),
        (
            "chuyenvien.phuquoc",
            "Lý Hoàng Nam",
            Role.HANDLER,
            _code("02", pq),
            "Công chức văn hóa - xã hội (hộ tịch)",
        ),
        (
            "lanhdao.phuquoc",
            "Tô Minh Hiếu",
            Role.AGENCY_LEADER,
            _code("00", pq),
            "Phó Chủ tịch UBND",
        ),
        (
            "giamsat.tinh",
            "Châu Thị Bích Vân",
            Role.PROVINCE_SUPERVISOR,
            _code("00", "01"),
            "Chuyên viên Phòng Kiểm soát thủ tục hành chính",
        ),
        ("quantri", "Đoàn Minh Trí", Role.ADMINISTRATOR, _code("00", "01"), "Quản trị hệ thống"),
    ]


CITIZENS = [
    ("congdan.lan", "Nguyễn Thị Lan", "0901000001"),
    ("congdan.minh", "Trần Văn Minh", "0901000002"),
]


def _user(username: str, full_name: str, *, superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.is_staff = superuser  # Django admin (configuration) only for the administrator
    user.is_superuser = superuser
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


#: Commune-level procedures of the demo received at every commune centre for its People's Committee.
COMMUNE_PROCEDURES = (
    "1.004222",
    "1.004194",
    "1.004837",
    "1.000593",
    "1.001193",
    "1.010038",
    "1.010028",
)
#: Provincial procedures received anywhere in the province for the competent department.
PROVINCIAL_PROCEDURES = (("1.003179", "02"),)


#: Internal processes (quy trình nội bộ) of two demo procedures, budgets summing to the legal limit:
#: (step name, role, working hours). Thường trú: 7 WD = 56 h; tạm trú: 3 WD = 24 h.
DEMO_PROCESSES = {
    "1.004222": [
        ("Tiếp nhận, kiểm tra và chuyển hồ sơ", Role.RECEPTION_OFFICER, 4),
        ("Thẩm định, xác minh nơi cư trú", Role.HANDLER, 36),
        ("Lãnh đạo xem xét, ký duyệt", Role.AGENCY_LEADER, 8),
        ("Cập nhật Cơ sở dữ liệu cư trú, trả kết quả", Role.RECEPTION_OFFICER, 8),
    ],
    "1.004194": [
        ("Tiếp nhận, kiểm tra và chuyển hồ sơ", Role.RECEPTION_OFFICER, 4),
        ("Thẩm định hồ sơ", Role.HANDLER, 12),
        ("Lãnh đạo ký duyệt", Role.AGENCY_LEADER, 4),
        ("Trả kết quả", Role.RECEPTION_OFFICER, 4),
    ],
}


def _load_processes() -> None:
    """Give two demo procedures an internal process (a new version, published the day after)."""
    for code, steps in DEMO_PROCESSES.items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None or procedure.versions.filter(process_steps__isnull=False).exists():
            continue
        draft = create_new_version(procedure)
        set_process_steps(
            draft,
            [StepData(name, role, Decimal(hours), "working_hours") for name, role, hours in steps],
        )
        publish_version(draft, valid_from=REFORM_DATE + dt.timedelta(days=1))


def _load_offers() -> None:
    """Where the demo procedures are received (commune centres; location-independent for sở)."""
    procedures = {
        p.code: p
        for p in Procedure.objects.filter(
            code__in=[*COMMUNE_PROCEDURES, *(code for code, _sở in PROVINCIAL_PROCEDURES)]
        )
    }
    for _unit, number, _key in DEMO_COMMUNES:
        centre = Agency.objects.get(code=_code("01", number), valid_from=REFORM_DATE)
        committee = Agency.objects.get(code=_code("00", number), valid_from=REFORM_DATE)
        for code in COMMUNE_PROCEDURES:
            if code in procedures:
                offer_procedure(procedures[code], centre, committee, valid_from=REFORM_DATE)
    provincial_centre = Agency.objects.get(code=_code("01", "01"), valid_from=REFORM_DATE)
    for code, department in PROVINCIAL_PROCEDURES:
        if code in procedures:
            offer_procedure(
                procedures[code],
                provincial_centre,
                Agency.objects.get(code=_code("00", department), valid_from=REFORM_DATE),
                valid_from=REFORM_DATE,
                location_independent=True,
            )


SATURDAY_DESK = "an-giang-ttpvhcc"


def _load_calendars() -> None:
    """The provincial centre also receives on Saturday morning (counting days stay Mon–Fri)."""
    calendar = WorkingCalendar.objects.filter(code=SATURDAY_DESK).first()
    if calendar is None:
        calendar = create_calendar(
            code=SATURDAY_DESK,
            name="TTPVHCC tỉnh An Giang – tiếp nhận cả sáng thứ Bảy",
            parent=WorkingCalendar.objects.get(code=NATIONAL_CODE),
        )
        week = [["07:00", "11:30"], ["13:30", "17:00"]]
        set_office_hours(
            calendar,
            weekly_periods=None,
            reception_periods=[week] * 5 + [[["07:00", "11:30"]], []],
            reason="Dữ liệu minh họa: tiếp nhận hồ sơ sáng thứ Bảy",
        )
    centre = Agency.objects.get(code=_code("01", "01"), valid_from=REFORM_DATE)
    if centre.calendar_id != calendar.pk:
        assign_calendar(centre, calendar)


@transaction.atomic
def load_demo(
    progress: Callable[[str], None] | None = None, *, procedures: bool = True
) -> DemoSummary:
    """Create or refresh the demo province; safe to run any number of times.

    ``procedures=False`` skips the ~150 real procedures and the demo dossiers (tests that do not
    need them).
    """
    say = progress or (lambda _msg: None)
    say("Đơn vị hành chính (danh mục chính thức, 01/07/2025)…")
    unit_names = _load_units()
    say("Cơ quan, trung tâm phục vụ hành chính công (dữ liệu minh họa)…")
    agencies = _load_agencies(unit_names)
    _load_calendars()
    procedure_count = 0
    if procedures:
        say("Thủ tục hành chính (trích danh mục quốc gia)…")
        procedure_count = load_demo_procedures().total
        _load_processes()
        _load_offers()
    say("Tài khoản cán bộ và công dân (dữ liệu minh họa)…")
    accounts: list[DemoAccount] = []
    for username, full_name, role, agency_code, title in _staff():
        agency = Agency.objects.get(code=agency_code, valid_from=REFORM_DATE)
        user = _user(username, full_name, superuser=role == Role.ADMINISTRATOR)
        assign_staff(user, agency, role, valid_from=REFORM_DATE, title=title)
        accounts.append(DemoAccount(username, full_name, str(role.label), agency.name))
    for username, full_name, phone in CITIZENS:
        user = _user(username, full_name)
        if user.phone != phone:
            user.phone = phone
            user.save(update_fields=["phone"])
        accounts.append(DemoAccount(username, full_name, "Công dân", "—"))
    dossier_count = 0
    if procedures:
        say("Hồ sơ minh họa (vài tháng gần đây)…")
        dossier_count = load_demo_dossiers()
    return DemoSummary(
        units=len(unit_names),
        agencies=agencies,
        procedures=procedure_count,
        dossiers=dossier_count,
        accounts=accounts,
    )


def demo_accounts() -> list[DemoAccount]:
    """Demo accounts present in the database (for the start-up banner)."""
    names = {u for u, *_ in _staff()} | {u for u, *_ in CITIZENS}
    result = []
    for user in User.objects.filter(username__in=names).prefetch_related("assignments__agency"):
        assignment = user.assignments.first()
        result.append(
            DemoAccount(
                user.username,
                user.display_name,
                assignment.get_role_display() if assignment else "Công dân",
                assignment.agency.name if assignment else "—",
            )
        )
    order = [u for u, *_ in _staff()] + [u for u, *_ in CITIZENS]
    return sorted(result, key=lambda a: order.index(a.username))
