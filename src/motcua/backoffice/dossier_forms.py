"""Forms of the dossier screens: intake and one small form per lifecycle action.

They only parse input (choices come from selectors); every rule is checked by the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.forms import StyledForm
from motcua.dossiers.models import ApplicantType, Channel, ResultDelivery
from motcua.dossiers.services import StopReason
from motcua.dossiers.workflow import Action
from motcua.organizations.models import Agency

STOP_REASONS = [
    (StopReason.NO_SUPPLEMENT, _("The applicant did not supplement in time")),
    (StopReason.APPLICANT_REQUEST, _("At the applicant's request")),
    (StopReason.SPECIALISED_LAW, _("Legal grounds under specialised law")),
    (StopReason.OTHER, _("Other")),
]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def lines(text: str) -> list[str]:
    """Non-empty lines of a textarea (one item per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ActionForm(StyledForm):
    """The common part of every action form: which action, on which version of the dossier."""

    action = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("context", None)
        super().__init__(*args, **kwargs)


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class MissingDocumentsForm(ActionForm):
    """One complete list of what the applicant must add (NĐ 61/2018 Art 15)."""

    documents = forms.MultipleChoiceField(
        label=_("Documents to add or correct"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other = forms.CharField(
        label=_("Other items"),
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    reason = forms.CharField(
        label=_("Reason and guidance"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = (context or {}).get("document_names", [])
        _set_choices(self, "documents", [(name, name) for name in names])
        if not names:
            del self.fields["documents"]
            self.fields["other"].label = _("Documents to add or correct")

    def missing(self) -> list[str]:
        return [*self.cleaned_data.get("documents", []), *lines(self.cleaned_data["other"])]


class SupplementForm(MissingDocumentsForm):
    override = forms.BooleanField(
        label=_("Exception decided by the leader (outside the window or a second request)"),
        required=False,
    )


class AssignForm(ActionForm):
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int)
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handlers = (context or {}).get("handlers", [])
        _set_choices(self, "handler", [(u.pk, u.display_name) for u in handlers])


class ForwardForm(ActionForm):
    step = forms.CharField(
        label=_("Next step"),
        max_length=300,
        help_text=_("The step of the internal process the dossier goes to."),
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (context or {}).get("steps"):
            self.fields["step"].widget.attrs["list"] = "process-steps"


class ConsultForm(ActionForm):
    agencies = forms.TypedMultipleChoiceField(
        label=_("Agencies"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    reason = forms.CharField(
        label=_("Task or question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    deadline = forms.DateField(
        label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies: list[Agency] = (context or {}).get("agencies", [])
        _set_choices(self, "agencies", [(a.pk, a.name) for a in agencies])


class TransferElsewhereForm(ActionForm):
    """T22: send the dossier to the competent agency of another unit (lifecycle.md §7)."""

    agency = forms.TypedChoiceField(label=_("Competent agency"), coerce=int)
    reason = forms.CharField(
        label=_("Why it goes there"),
        help_text=_(
            "For example: received for the wrong agency, or received here for another unit."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    paper_sent = forms.BooleanField(
        label=_("The paper originals leave now"),
        help_text=_(
            "Paper originals follow the same working day, or the next morning when sent on at or "
            "after 15:00; leave this unticked if they go later."
        ),
        required=False,
    )

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies: list[Agency] = (context or {}).get("agencies", [])
        _set_choices(self, "agency", [(a.pk, a.name) for a in agencies])


class AnswerConsultationForm(StyledForm):
    """A consulted agency's answer (T21); its files are read from the request (several allowed)."""

    answer = forms.CharField(
        label=_("Your agency's answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class PaymentForm(ActionForm):
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=10**12)
    reason = forms.CharField(label=_("What for"), required=False, max_length=500)


class ConfirmPaymentForm(ActionForm):
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=100)
    paid_online = forms.BooleanField(label=_("Paid online"), required=False)


class ExtendForm(ActionForm):
    new_date = forms.DateField(
        label=_("New appointment"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        earliest: dt.date | None = (context or {}).get("earliest_date")
        if earliest is not None:
            self.fields["new_date"].widget.attrs["min"] = earliest.isoformat()
            self.fields["new_date"].help_text = _(
                "The earliest possible: %(date)s (closing time of that working day)."
            ) % {"date": f"{earliest:%d/%m/%Y}"}


class StopForm(ActionForm):
    reason_code = forms.ChoiceField(
        label=_("Ground"), choices=STOP_REASONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class IssueForm(ActionForm):
    results = forms.CharField(
        label=_("Result documents"),
        help_text=_("One per line; each gets its electronic result code."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReturnForm(ActionForm):
    method = forms.ChoiceField(
        label=_("How"), choices=ResultDelivery.choices, widget=forms.RadioSelect
    )
    received_by = forms.CharField(label=_("Received by"), required=False, max_length=200)


class PostForm(ActionForm):
    tracking_code = forms.CharField(label=_("Postal tracking code"), max_length=60)


#: The form each action needs (plain ``ActionForm``: a single button).
ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.ACCEPT_ONLINE: ActionForm,
    Action.REQUEST_COMPLETION: MissingDocumentsForm,
    Action.REFUSE_INTAKE: ReasonForm,
    Action.WITHDRAW: OptionalReasonForm,
    Action.TRANSFER: ActionForm,
    Action.ASSIGN: AssignForm,
    Action.FORWARD_STEP: ForwardForm,
    Action.CONSULT: ConsultForm,
    Action.TRANSFER_TO_COMPETENT: TransferElsewhereForm,
    Action.REQUEST_SUPPLEMENT: SupplementForm,
    Action.RECEIVE_SUPPLEMENT: ActionForm,
    Action.REQUEST_PAYMENT: PaymentForm,
    Action.CONFIRM_PAYMENT: ConfirmPaymentForm,
    Action.EXTEND: ExtendForm,
    Action.REFUSE_AFTER_APPRAISAL: ReasonForm,
    Action.STOP: StopForm,
    Action.ISSUE_RESULT: IssueForm,
    Action.RETURN_RESULT: ReturnForm,
    Action.HAND_TO_POST: PostForm,
}


# --- Intake -----------------------------------------------------------------------------------


class IntakeForm(StyledForm):
    """Receiving a dossier at the desk or by post (T2)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    office = forms.TypedChoiceField(
        label=_("Receiving office"), coerce=int, required=False, empty_value=None
    )
    competent_agency = forms.TypedChoiceField(
        label=_("Competent agency"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The agency that decides; this centre receives for several."),
    )
    channel = forms.ChoiceField(
        label=_("How it arrived"),
        choices=[(Channel.COUNTER, _("At the desk")), (Channel.POST, _("By post"))],
        widget=forms.RadioSelect,
        initial=Channel.COUNTER,
    )
    applicant_type = forms.ChoiceField(
        label=_("Applicant type"), choices=ApplicantType.choices, initial=ApplicantType.CITIZEN
    )
    id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        required=False,
        help_text=_("Personal ID (CCCD) or tax code; look up to fill from earlier dossiers."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    representative_name = forms.CharField(
        label=_("Submitted by (if not the applicant)"), max_length=200, required=False
    )
    subject = forms.CharField(
        label=_("Request"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents received"), widget=forms.CheckboxSelectMultiple, required=False
    )
    sets_count = forms.IntegerField(
        label=_("Number of sets"), min_value=1, max_value=100, initial=1
    )
    result_delivery = forms.ChoiceField(
        label=_("Result delivery"),
        choices=ResultDelivery.choices,
        widget=forms.RadioSelect,
        initial=ResultDelivery.COUNTER,
    )

    def __init__(
        self,
        *args: Any,
        offices: list[Agency],
        agencies: list[Agency],
        document_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "office", [(o.pk, o.name) for o in offices])
        _set_choices(self, "competent_agency", [(a.pk, a.name) for a in agencies])
        _set_choices(self, "documents", document_choices)
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
        if len(agencies) <= 1:
            self.fields["competent_agency"].widget = forms.HiddenInput()
        for name in ("id_number", "phone", "applicant_name", "email", "address"):
            self.fields[name].widget.attrs.setdefault("class", "usa-input")

    def clean_phone(self) -> str:
        return "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit() or ch == "+")


class SearchForm(StyledForm):
    """The search page and the inbox filters (every field optional)."""

    code = forms.CharField(label=_("Dossier code"), max_length=60, required=False)
    name = forms.CharField(
        label=_("Applicant's name"),
        max_length=200,
        required=False,
        help_text=_("With or without diacritics."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    id_number = forms.CharField(label=_("Personal ID number"), max_length=20, required=False)
    procedure = forms.CharField(
        label=_("Procedure"),
        max_length=200,
        required=False,
        help_text=_("Name or national code."),
    )
    date_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False
    )


class RegisterForm(StyledForm):
    """The dossier register (Sổ theo dõi hồ sơ) of an office for a period."""

    office = forms.TypedChoiceField(label=_("Office"), coerce=int)
    date_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, offices: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "office", [(o.pk, o.name) for o in offices])
