"""Fixtures of the back-office screens: the demo personas, a frozen clock, signed-in browsers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from motcua.catalog.data import ChannelData, DocumentData, DocumentGroupData, ProcedureData
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import Procedure, TimeUnit
from motcua.catalog.services.versions import create_procedure, publish_version
from motcua.core.models import User
from motcua.dossiers.tests.factories import People, ensure_procedure, hours

#: A procedure with a document list, for the intake checklist and supplement requests.
DOCS_PROCEDURE = "9.999002"
DOCUMENTS = ("Tờ khai theo mẫu", "Bản sao giấy khai sinh", "Giấy tờ chứng minh nơi cư trú")


@pytest.fixture
def people(demo: None) -> People:
    """Officer, handler and leader of phường Rạch Giá, the citizen Lan, and an outsider."""
    ensure_procedure()
    return People.load()


@pytest.fixture
def docs_procedure(people: People) -> str:
    """A published commune procedure (5 working days) with three documents in one group."""
    if not Procedure.objects.filter(code=DOCS_PROCEDURE).exists():
        data = ProcedureData(
            code=DOCS_PROCEDURE,
            name="Đăng ký thường trú thử nghiệm",
            field="Cư trú",
            levels=("commune",),
            channels=tuple(
                ChannelData(channel=c, amount=Decimal(5), unit=TimeUnit.WORKING_DAYS)
                for c in (CatalogChannel.IN_PERSON, CatalogChannel.ONLINE)
            ),
            document_groups=(
                DocumentGroupData(
                    case="", documents=tuple(DocumentData(name=n, copies=1) for n in DOCUMENTS)
                ),
            ),
        )
        publish_version(create_procedure(data), valid_from=dt.date(2025, 7, 1))
    return DOCS_PROCEDURE


@pytest.fixture
def frozen() -> Iterator[Callable[[float], None]]:
    """The clock at Monday 02/03/2026 14:00 (five hours after the factories' reception);
    call ``frozen(h)`` to move it to ``h`` hours after that reception."""
    with time_machine.travel(hours(5), tick=False) as traveller:

        def move(offset_hours: float) -> None:
            traveller.move_to(hours(offset_hours))

        yield move


@pytest.fixture
def browser_for() -> Callable[[User], Client]:
    """A signed-in browser for a user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
