"""The version workflow: drafts change, published versions never do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.models import ProcedureVersion, VersionStatus
from motcua.catalog.selectors import procedure_history, procedure_in_force
from motcua.catalog.services import (
    StepData,
    create_new_version,
    discard_draft,
    publish_version,
    retire_version,
    set_process_steps,
    update_draft,
)
from motcua.catalog.tests.records import BIRTH, data, record
from motcua.core.errors import DomainError
from motcua.organizations.models import Role

pytestmark = pytest.mark.django_db
START = dt.date(2025, 7, 1)


def _published(catalogue: None) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code=BIRTH["code"])


def _in_force_on(on: dt.date) -> int | None:
    version = procedure_in_force(BIRTH["code"], on=on)
    return version.version if version else None


def test_a_published_version_cannot_be_edited(catalogue):
    version = _published(catalogue)
    with pytest.raises(DomainError) as refused:
        update_draft(version, data(record(BIRTH, steps="Khác.")))
    assert refused.value.code == "catalog.version_not_editable"
    with pytest.raises(DomainError):
        set_process_steps(version, [])
    with pytest.raises(DomainError):
        discard_draft(version)
    version.refresh_from_db()
    assert version.steps == "Nộp hồ sơ.\nNhận kết quả."


def test_a_new_version_is_a_draft_copy_with_the_next_number(catalogue):
    published = _published(catalogue)
    draft = create_new_version(published.procedure)
    assert (draft.version, draft.status, draft.valid_from) == (2, VersionStatus.DRAFT, None)
    assert draft.name == published.name
    assert draft.content_hash == published.content_hash
    assert draft.channels.count() == published.channels.count()
    assert draft.documents.count() == published.documents.count()


def test_only_one_draft_at_a_time(catalogue):
    procedure = _published(catalogue).procedure
    create_new_version(procedure)
    with pytest.raises(DomainError) as refused:
        create_new_version(procedure)
    assert refused.value.code == "catalog.draft_exists"


def test_publishing_closes_the_previous_version_the_day_before(catalogue):
    published = _published(catalogue)
    draft = create_new_version(published.procedure)
    update_draft(draft, data(record(BIRTH, steps="Quy trình mới.")))
    publish_version(draft, dt.date(2026, 3, 1))
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.valid_to == dt.date(2026, 2, 28)
    assert (draft.status, draft.valid_from, draft.valid_to) == (
        "published",
        dt.date(2026, 3, 1),
        None,
    )
    assert _in_force_on(dt.date(2026, 2, 28)) == 1
    assert _in_force_on(dt.date(2026, 3, 1)) == 2
    assert [v.version for v in procedure_history(BIRTH["code"])] == [2, 1]


def test_a_version_published_for_later_is_not_yet_in_force(catalogue):
    draft = create_new_version(_published(catalogue).procedure)
    publish_version(draft, dt.date(2099, 1, 1))
    assert _in_force_on(dt.date(2026, 6, 1)) == 1


def test_a_new_version_keeps_the_internal_process(catalogue):
    draft = create_new_version(_published(catalogue).procedure)
    set_process_steps(
        draft,
        [StepData("Tiếp nhận", Role.RECEPTION_OFFICER, Decimal("0.5"), "working_days")],
    )
    update_draft(draft, data(record(BIRTH, steps="Khác.")))
    assert draft.process_steps.count() == 1
    publish_version(draft, dt.date(2026, 1, 1))
    third = create_new_version(draft.procedure)
    assert [s.name for s in third.process_steps.all()] == ["Tiếp nhận"]


def test_retiring_ends_the_procedure(catalogue):
    version = retire_version(_published(catalogue), dt.date(2026, 6, 30))
    assert (version.status, version.valid_to) == ("retired", dt.date(2026, 6, 30))
    assert procedure_in_force(BIRTH["code"], on=dt.date(2026, 7, 1)) is None
    with pytest.raises(DomainError):
        retire_version(version, dt.date(2026, 7, 1))


def test_discarding_the_only_draft_removes_the_procedure(db):
    from motcua.catalog.services import create_procedure

    draft = create_procedure(data(BIRTH))
    discard_draft(draft)
    assert not ProcedureVersion.objects.exists()


def test_refreshing_a_draft_edited_in_place_recomputes_search_and_fingerprint(catalogue):
    from motcua.catalog.search_index import search_index_mismatches
    from motcua.catalog.services import refresh_draft

    draft = create_new_version(_published(catalogue).procedure)
    before = draft.content_hash
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (sửa tay)")
    refresh_draft(draft)
    assert draft.search_text.startswith("dang ky khai sinh sua tay ")
    assert draft.content_hash != before
    assert search_index_mismatches() == 0
