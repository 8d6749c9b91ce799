"""Online applications on the citizen portal: drafts, the electronic form, files, submission (T1),
the applicant's supplement, the choice of result delivery, the acknowledgement.

A draft is a dossier in ``DRAFT`` owned by the citizen (invisible to staff, ``policy``), with its
``OnlineApplication`` (form data, expiry). It expires ``MOTCUA_DRAFT_DAYS`` after its last save:
an expired draft can be read but no longer changed or submitted. Submitting is idempotent by
draft: the draft *is* the dossier, so a second click finds it already submitted and gets the same
dossier back — never a twin. The officer accepts it in the back office (T3), which gives the code
and starts the legal clock; until then the appointment shown is an estimate.

Organisations act through a person: the applicant type says so, the organisation's name and tax
code are the applicant's name and identifier, and the signed-in person is the representative.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ, DueDate
from motcua.calendars.selectors import compute_due_date
from motcua.catalog import forms as electronic_forms
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import DocumentRequirement, ProcedureVersion
from motcua.catalog.offers import reception_rule
from motcua.catalog.selectors import version_for_intake
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.documents.forms import Letterhead, html_to_pdf
from motcua.documents.models import Attachment, AttachmentKind
from motcua.documents.selectors import attachments_of, open_attachment
from motcua.documents.services import store_attachment
from motcua.dossiers.attachments import attachment_for, upload_attachment
from motcua.dossiers.models import (
    ApplicantType,
    Channel,
    Dossier,
    OnlineApplication,
    ResultDelivery,
    SupplementResponse,
)
from motcua.dossiers.receipts import issue_receipt_safely
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.dossiers.services import DossierInput, NotFound
from motcua.dossiers.services._core import Context, Step, transition
from motcua.dossiers.services.intake import (
    ASSUMED_UNIT,
    build_dossier,
    new_submission_ref,
)
from motcua.dossiers.workflow import TERMINAL, Action, Status, Transition
from motcua.integrations.identity.profiles import citizen_profile
from motcua.integrations.payments.records import paid_fee
from motcua.notifications.services import enqueue
from motcua.organizations.models import Agency, AgencyLevel
from motcua.organizations.selectors import calendar_of, one_stop_offices

SUPPLEMENT_SENT = "dossier.supplement_sent"
_PHONE = re.compile(r"^\+?[0-9 .-]{9,15}$")
_ID_NUMBER = re.compile(r"^[0-9]{9,12}$")
_TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


# --- Finding where to apply ---------------------------------------------------------------------


def online_channel(version: ProcedureVersion) -> Any:
    """The procedure version's online channel (time limit, fee), or None: not offered online."""
    return next((c for c in version.channels.all() if c.channel == CatalogChannel.ONLINE), None)


def online_fee(version: ProcedureVersion) -> int | None:
    """The fee for online submission in VND when the catalogue gives an amount, else None."""
    channel = online_channel(version)
    if channel is None or channel.fee_amount is None or channel.fee_currency not in ("", "VND"):
        return None
    return int(channel.fee_amount)


def offices_for(version: ProcedureVersion, on: dt.date) -> list[Agency]:
    """The one-stop offices where the citizen may send this procedure online (reception rules)."""
    levels = set(version.levels)
    result = []
    for office in one_stop_offices(on):
        if not reception_rule(version.procedure.code, office, on).allowed:
            continue
        if "commune" in levels and "province" not in levels:
            if office.level != AgencyLevel.COMMUNE:
                continue
        elif (
            "province" in levels
            and "commune" not in levels
            and office.level != (AgencyLevel.PROVINCE)
        ):
            continue
        result.append(office)
    return result


@dataclass(frozen=True)
class Estimate:
    """The appointment if the dossier were received at ``start`` (an estimate until reception)."""

    due: DueDate
    unit_assumed: bool


def appointment_estimate(
    version: ProcedureVersion, start: dt.datetime, office: Agency | None = None
) -> Estimate | None:
    """When the result would be due if received now: the online time limit counted in legal
    working time (the office's calendar, else the national one). None without a numeric limit."""
    channel = online_channel(version) or next(iter(version.channels.all()), None)
    if channel is None or channel.amount is None:
        return None
    unit, assumed = (channel.unit, False) if channel.unit else (ASSUMED_UNIT, True)
    calendar = calendar_of(office) if office is not None else None
    due = compute_due_date(start, Decimal(channel.amount), unit, calendar=calendar)
    return Estimate(due, assumed)


# --- Drafts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantDetails:
    """Who applies (pre-filled from the account; organisations through their representative)."""

    applicant_type: str
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    organisation_name: str = ""
    tax_code: str = ""
    result_delivery: str = ResultDelivery.ONLINE


def applicant_problems(details: ApplicantDetails) -> dict[str, str]:
    """What is wrong with the applicant's details (field → message)."""
    problems: dict[str, str] = {}
    if details.applicant_type not in ApplicantType.values:
        problems["applicant_type"] = str(_("Choose who applies."))
    if len(details.full_name.strip()) < 2:
        problems["full_name"] = str(_("Enter your full name."))
    if details.id_number and not _ID_NUMBER.match(details.id_number):
        problems["id_number"] = str(_("An identification number has 9 or 12 digits."))
    if not details.phone.strip():
        problems["phone"] = str(_("Enter a phone number: the office calls or texts you about it."))
    elif not _PHONE.match(details.phone.strip()):
        problems["phone"] = str(_("Enter a phone number like 0912 345 678."))
    if details.applicant_type != ApplicantType.CITIZEN:
        if len(details.organisation_name.strip()) < 2:
            problems["organisation_name"] = str(_("Enter the organisation's name."))
        if not _TAX_CODE.match(details.tax_code.strip()):
            problems["tax_code"] = str(_("A tax code has 10 digits (or 10 digits, a dash and 3)."))
    if details.result_delivery not in ResultDelivery.values:
        problems["result_delivery"] = str(_("Choose how to receive the result."))
    elif details.result_delivery == ResultDelivery.POST and len(details.address.strip()) < 5:
        problems["address"] = str(_("Enter the address the result should be posted to."))
    return problems


def _expired(application: OnlineApplication, at: dt.datetime) -> bool:
    return application.expires_at <= at


def _draft_expired_error(application: OnlineApplication) -> DomainError:
    return DomainError(
        "draft_expired",
        _(
            "This draft expired on %(date)s (drafts are kept %(days)s days after the last "
            "change). Start a new application; your uploaded files can be reused."
        ),
        {
            "date": f"{application.expires_at.astimezone(VN_TZ):%d/%m/%Y}",
            "days": settings.MOTCUA_DRAFT_DAYS,
        },
    )


def _expiry(at: dt.datetime) -> dt.datetime:
    return at + dt.timedelta(days=settings.MOTCUA_DRAFT_DAYS)


def start_draft(
    user: User, procedure_code: str, office: Agency, *, at: dt.datetime | None = None
) -> Dossier:
    """Start an online application (a draft dossier owned by ``user``) at ``office``.

    Refused when the procedure is not offered online or not received at that office.
    """
    at = at or clock.now()
    on = at.astimezone(VN_TZ).date()
    version = version_for_intake(procedure_code, on)
    if version is None:
        raise NotFound
    if online_channel(version) is None:
        raise DomainError(
            "not_online", _("This procedure cannot be submitted online; see where to submit it.")
        )
    profile = citizen_profile(user)
    data = DossierInput(
        procedure_code=procedure_code,
        receiving_office=office,
        channel=Channel.PORTAL,
        applicant_name=profile.full_name or user.username,
        applicant_id_number=profile.id_number,
        applicant_phone=profile.phone,
        applicant_email=profile.email,
        applicant_user=user,
        result_delivery=ResultDelivery.ONLINE,
    )
    form = electronic_forms.schema_for(version)
    with transaction.atomic():
        dossier = build_dossier(data, at, Status.DRAFT)
        dossier.save()
        OnlineApplication.objects.create(
            dossier=dossier,
            form_data=electronic_forms.prefill(form.schema, _known(user)),
            form_schema_id=form.schema_id,
            form_schema_sha256=form.sha256,
            form_source=form.source,
            fee_amount=online_fee(version),
            expires_at=_expiry(at),
        )
    return dossier


def _known(user: User) -> dict[str, str]:
    profile = citizen_profile(user)
    return {
        "full_name": profile.full_name,
        "id_number": profile.id_number,
        "phone": profile.phone,
        "email": profile.email,
    }


def draft_for(user: User, dossier_id: int) -> Dossier:
    """The user's own draft (``NotFound`` for anyone else's, or a dossier already submitted)."""
    dossier = dossier_for(user, dossier_id)
    if dossier.status != Status.DRAFT or dossier.applicant_user_id != user.pk:
        raise NotFound
    return dossier


def application_of(dossier: Dossier) -> OnlineApplication:
    application = OnlineApplication.objects.filter(dossier=dossier).first()
    if application is None:
        raise NotFound
    return application


def drafts_of(user: User) -> QuerySet[Dossier]:
    """The user's drafts, most recently saved first."""
    return (
        dossiers_visible_to(user)
        .filter(applicant_user=user, status=Status.DRAFT)
        .select_related("online_application")
        .order_by("-online_application__updated_at")
    )


def draft_is_expired(dossier: Dossier, at: dt.datetime | None = None) -> bool:
    return _expired(application_of(dossier), at or clock.now())


def save_draft(
    user: User,
    dossier_id: int,
    *,
    applicant: ApplicantDetails,
    submitted_form: dict[str, str],
    at: dt.datetime | None = None,
) -> dict[str, str]:
    """Save the applicant's details and the electronic form of a draft; returns the problems
    found (saving an incomplete draft is allowed; unknown form fields are refused outright)."""
    at = at or clock.now()
    dossier = draft_for(user, dossier_id)
    application = application_of(dossier)
    if _expired(application, at):
        raise _draft_expired_error(application)
    schema = electronic_forms.schema_for(dossier.procedure_version).schema
    checked = electronic_forms.check(schema, submitted_form)
    if "__all__" in checked.errors:
        raise DomainError("unknown_field", checked.errors["__all__"])
    problems = {f"form:{name}": message for name, message in checked.errors.items()}
    problems |= applicant_problems(applicant)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != Status.DRAFT:
            raise NotFound
        organisation = applicant.applicant_type != ApplicantType.CITIZEN
        person = nfc(applicant.full_name).strip()[:200]
        locked.applicant_type = applicant.applicant_type
        locked.applicant_name = (
            nfc(applicant.organisation_name).strip()[:200] if organisation else person
        ) or person
        locked.representative_name = person if organisation else ""
        locked.applicant_id_number = (
            applicant.tax_code.strip() if organisation else applicant.id_number.strip()
        )[:20]
        locked.applicant_phone = applicant.phone.strip()[:20]
        locked.applicant_email = applicant.email.strip()[:254]
        locked.applicant_address = nfc(applicant.address).strip()[:500]
        if applicant.result_delivery in ResultDelivery.values:
            locked.result_delivery = applicant.result_delivery
        locked.save()
        application.form_data = checked.data
        application.expires_at = _expiry(at)
        application.save(update_fields=["form_data", "expires_at", "updated_at"])
    return problems


def form_problems(dossier: Dossier) -> dict[str, str]:
    """What still stops the draft from being submitted (field → message)."""
    application = application_of(dossier)
    schema = electronic_forms.schema_for(dossier.procedure_version).schema
    problems = {
        f"form:{name}": message
        for name, message in electronic_forms.validate(schema, application.form_data).items()
    }
    details = ApplicantDetails(
        applicant_type=dossier.applicant_type,
        full_name=dossier.representative_name or dossier.applicant_name,
        id_number=dossier.applicant_id_number
        if dossier.applicant_type == ApplicantType.CITIZEN
        else "",
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        address=dossier.applicant_address,
        organisation_name=dossier.applicant_name,
        tax_code=dossier.applicant_id_number,
        result_delivery=dossier.result_delivery,
    )
    return problems | applicant_problems(details)


# --- Files --------------------------------------------------------------------------------------


def uploadable_requirements(version: ProcedureVersion) -> list[DocumentRequirement]:
    """The catalogue components a citizen can attach: those counting an original or a copy (the
    rest are notes the national data lists among the components)."""
    return [d for d in version.documents.all() if (d.originals or 0) > 0 or (d.copies or 0) > 0]


def _current_for(dossier: Dossier, requirement_id: int | None) -> Attachment | None:
    if requirement_id is None:
        return None
    return (
        attachments_of(dossier.pk)
        .filter(kind=AttachmentKind.COMPONENT, requirement_id=requirement_id)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def attach_file(
    user: User,
    dossier_id: int,
    uploaded_file: File,  # type: ignore[type-arg]
    *,
    requirement_id: int | None,
    at: dt.datetime | None = None,
) -> Attachment:
    """Attach a file to a draft for one component (replacing the component's earlier file)."""
    dossier = draft_for(user, dossier_id)
    application = application_of(dossier)
    if _expired(application, at or clock.now()):
        raise _draft_expired_error(application)
    current = _current_for(dossier, requirement_id)
    return upload_attachment(
        user,
        dossier.pk,
        uploaded_file,
        kind=AttachmentKind.COMPONENT,
        requirement_id=requirement_id,
        replaces_id=current.pk if current else None,
    )


def reusable_documents(user: User, *, excluding: int | None = None) -> list[Attachment]:
    """Files the citizen already holds in MotCua: components of their earlier applications and
    results issued to them (newest first, one per content)."""
    own = dossiers_visible_to(user).filter(applicant_user=user)
    if excluding is not None:
        own = own.exclude(pk=excluding)
    candidates = (
        Attachment.objects.filter(
            dossier__in=own.values("pk"),
            kind__in=[AttachmentKind.COMPONENT, AttachmentKind.RESULT, AttachmentKind.SUPPLEMENT],
            replaced_by__isnull=True,
        )
        .select_related("dossier")
        .order_by("-uploaded_at", "-id")
    )
    seen: set[str] = set()
    result = []
    for attachment in candidates[:200]:
        if attachment.sha256 in seen:
            continue
        seen.add(attachment.sha256)
        result.append(attachment)
    return result


def reuse_document(
    user: User,
    dossier_id: int,
    attachment_id: int,
    *,
    requirement_id: int | None,
    at: dt.datetime | None = None,
) -> Attachment:
    """Attach a document the citizen already holds instead of uploading it again; the copy is
    marked reused (national ``DuocTaiSuDung``, 766 indicator 4.3)."""
    dossier = draft_for(user, dossier_id)
    application = application_of(dossier)
    if _expired(application, at or clock.now()):
        raise _draft_expired_error(application)
    source = attachment_for(user, attachment_id)
    if source.dossier.applicant_user_id != user.pk or source.pk not in {
        a.pk for a in reusable_documents(user, excluding=dossier.pk)
    }:
        raise NotFound
    if (
        requirement_id is not None
        and not dossier.procedure_version.documents.filter(pk=requirement_id).exists()
    ):
        raise DomainError(
            "unknown_requirement", _("This document is not a component of the dossier's procedure.")
        )
    current = _current_for(dossier, requirement_id)
    name = source.name
    if requirement_id is not None:
        name = dossier.procedure_version.documents.get(pk=requirement_id).name[:300]
    stored = open_attachment(source)
    try:
        stored.name = source.original_name
        return store_attachment(
            dossier.pk,
            stored,
            kind=AttachmentKind.COMPONENT,
            name=name,
            requirement_id=requirement_id,
            user=user,
            reused=True,
            replaces_id=current.pk if current else None,
        )
    finally:
        stored.close()


# --- Submission (T1) ----------------------------------------------------------------------------


def submit_draft(
    user: User, dossier_id: int, *, declared: bool, at: dt.datetime | None = None
) -> Dossier:
    """Submit the draft online (T1): a submission reference, no code and no clock until the
    one-stop officer accepts it (T3).

    Idempotent by draft: submitting an already submitted draft returns it unchanged (a double
    click never makes a second dossier). Refused: without the declaration, with an invalid form
    or applicant details, or when the draft expired.
    """
    dossier = dossier_for(user, dossier_id)  # NotFound for anyone else's
    if dossier.applicant_user_id != user.pk:
        raise NotFound
    if dossier.status != Status.DRAFT:
        return dossier  # already submitted (a repeated click)
    if not declared:
        raise DomainError(
            "declaration_required",
            _("Confirm that the information you gave is true before submitting."),
        )
    problems = form_problems(dossier)
    if problems:
        raise DomainError(
            "form_invalid",
            _("Some information is missing or wrong; correct it before submitting."),
            {"fields": ", ".join(sorted(problems))},
        )
    profile = citizen_profile(user)
    schema = electronic_forms.schema_for(dossier.procedure_version)

    def apply(locked: Dossier, _rule: Transition, ctx: Context) -> Step:
        application = OnlineApplication.objects.select_for_update().get(dossier=locked)
        if _expired(application, ctx.at):
            raise _draft_expired_error(application)
        fee = paid_fee(locked.pk)
        locked.submitted_at = ctx.at
        locked.submission_ref = new_submission_ref(ctx.at)
        locked.vneid_authenticated = profile.vneid_verified
        locked.paid_online = fee is not None
        application.declared_at = ctx.at
        application.form_schema = schema.schema
        application.form_schema_id = schema.schema_id
        application.form_schema_sha256 = schema.sha256
        application.form_source = schema.source
        application.save()
        reused = attachments_of(locked.pk).filter(reused=True).count()
        return Step(
            data={
                "form": schema.schema_id,
                "form_sha256": schema.sha256,
                "paid_fee": fee.txn_ref if fee else None,
                "files": attachments_of(locked.pk).count(),
                "reused_files": reused,
                "vneid": profile.vneid_verified,
            }
        )

    try:
        submitted = transition(dossier.pk, Action.SUBMIT, user, apply, at=at)
    except DomainError as error:
        if error.code != "not_allowed":
            raise
        # A concurrent click won the lock and submitted it: answer with the same dossier.
        again = dossier_for(user, dossier_id)
        if again.status == Status.DRAFT:
            raise
        return again
    fee = paid_fee(submitted.pk)
    if fee is not None:  # the fee's receipt waited for the submission reference to print
        issue_receipt_safely(fee.pk)
    return submitted


# --- After submission ---------------------------------------------------------------------------


def my_dossiers(user: User) -> QuerySet[Dossier]:
    """The citizen's submitted dossiers (not drafts), most recent first."""
    return (
        dossiers_visible_to(user)
        .filter(applicant_user=user)
        .exclude(status=Status.DRAFT)
        .order_by("-submitted_at", "-received_at", "-id")
    )


def own_dossier(user: User, dossier_id: int) -> Dossier:
    """A dossier of which ``user`` is the applicant (``NotFound`` otherwise, also for staff)."""
    dossier = dossier_for(user, dossier_id)
    if dossier.applicant_user_id != user.pk or dossier.status == Status.DRAFT:
        raise NotFound
    return dossier


def supplement_request(dossier: Dossier) -> Any:
    """The open supplement request (its history entry) when the dossier waits for one."""
    if dossier.status != Status.AWAITING_SUPPLEMENT:
        return None
    return dossier.transitions.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-seq").first()


def supplement_sent(dossier: Dossier) -> SupplementResponse | None:
    """The applicant's answer to the open supplement request, if already sent."""
    request = supplement_request(dossier)
    if request is None:
        return None
    return SupplementResponse.objects.filter(dossier=dossier, request_seq=request.seq).first()


def send_supplement(
    user: User,
    dossier_id: int,
    files: list[File],  # type: ignore[type-arg]
    *,
    note: str = "",
    at: dt.datetime | None = None,
) -> SupplementResponse:
    """Send the documents a supplement request asked for, once (NĐ 61/2018 Art 15: one complete
    request, one complete answer). Stores the files, records the answer and tells the office
    (outbox ``dossier.supplement_sent``); the officer then confirms receipt (T11)."""
    at = at or clock.now()
    dossier = own_dossier(user, dossier_id)
    if not files:
        raise DomainError("files_required", _("Attach the documents that were asked for."))
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        request = supplement_request(locked)
        if request is None:
            raise DomainError(
                "no_supplement_requested", _("No supplementary documents are asked for now.")
            )
        if SupplementResponse.objects.filter(dossier=locked, request_seq=request.seq).exists():
            raise DomainError(
                "supplement_already_sent",
                _("You already sent the supplementary documents; the office is checking them."),
            )
        stored = [
            upload_attachment(user, locked.pk, upload, kind=AttachmentKind.SUPPLEMENT)
            for upload in files
        ]
        response = SupplementResponse.objects.create(
            dossier=locked,
            request_seq=request.seq,
            sent_at=at,
            sent_by=user,
            note=nfc(note).strip()[:2000],
            attachment_ids=[a.pk for a in stored],
        )
        enqueue(
            SUPPLEMENT_SENT,
            f"dossier:{locked.pk}:supplement:{request.seq}",
            {
                "dossier_id": locked.pk,
                "code": locked.code,
                "receiving_office_id": locked.receiving_office_id,
                "files": len(stored),
                "at": at.isoformat(),
            },
        )
    return response


def choose_result_delivery(user: User, dossier_id: int, method: str) -> Dossier:
    """Change how the applicant receives the result, while it is not issued yet."""
    dossier = own_dossier(user, dossier_id)
    if method not in ResultDelivery.values:
        raise DomainError("unknown_delivery", _("Choose how to receive the result."))
    closed = Status(dossier.status) in TERMINAL or dossier.status == Status.RESOLVED
    if closed:
        raise DomainError(
            "result_already_issued",
            _("The result is already issued; the delivery can no longer be changed here."),
        )
    if method == ResultDelivery.POST and len(dossier.applicant_address.strip()) < 5:
        raise DomainError(
            "address_required", _("The dossier has no postal address; contact the office.")
        )
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery=method)
    dossier.refresh_from_db()
    return dossier


def result_files(user: User, dossier_id: int) -> QuerySet[Attachment]:
    """The electronic result files of the citizen's dossier (current versions)."""
    dossier = own_dossier(user, dossier_id)
    return attachments_of(dossier.pk).filter(kind=AttachmentKind.RESULT)


# --- Acknowledgement ----------------------------------------------------------------------------


def acknowledgement_pdf(user: User, dossier_id: int) -> tuple[str, bytes]:
    """The submission acknowledgement (giấy xác nhận đã nộp hồ sơ trực tuyến) as a PDF."""
    dossier = own_dossier(user, dossier_id)
    if dossier.submitted_at is None:
        raise NotFound
    estimate = appointment_estimate(
        dossier.procedure_version, dossier.submitted_at, dossier.receiving_office
    )
    office = dossier.receiving_office
    context = {
        "spec": {"title": "GIẤY XÁC NHẬN ĐÃ NỘP HỒ SƠ TRỰC TUYẾN", "number": ""},
        "circular": "",
        "paper": "a5",
        "form": {"purpose": "acknowledgement", "number_line": False},
        "letterhead": Letterhead(
            superior=office.parent.name if office.parent else "", unit=office.name, place="……"
        ),
        "issued_on": dossier.submitted_at.astimezone(VN_TZ).date(),
        "d": {
            "dossier": dossier,
            "procedure": dossier.procedure_version,
            "files": attachments_of(dossier.pk).filter(kind=AttachmentKind.COMPONENT),
            "estimate": estimate,
        },
    }
    with translation.override("vi"):
        html = render_to_string("dossiers/acknowledgement.html", context)
    safe = (dossier.submission_ref or str(dossier.pk)).replace("/", "-")
    return f"{safe}-xac-nhan.pdf", html_to_pdf(html)
