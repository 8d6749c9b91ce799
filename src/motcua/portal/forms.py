"""The portal's HTML forms (parsing and display only; the rules live in the domain apps).

The electronic form of a procedure is built from its JSON Schema (``catalog.forms``): the fields
carry the schema's limits as HTML attributes (``required``, ``maxlength``, ``pattern``, ``min``,
``max``) so the browser script can point at a mistake before the page is sent; the server always
decides with the schema itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.catalog.forms import FormField, FormSection
from motcua.core.forms import StyledForm
from motcua.dossiers.feedback import CRITERIA
from motcua.dossiers.models import ApplicantType, FeedbackKind, ResultDelivery, Satisfaction


class SignInForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class ApplicantForm(StyledForm):
    """Who applies; pre-filled from the account."""

    applicant_type = forms.ChoiceField(
        label=_("Who applies"),
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=ApplicantType.CITIZEN,
    )
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("For an organisation: the person submitting on its behalf."),
    )
    id_number = forms.CharField(
        label=_("Personal identification number"), max_length=12, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We e-mail you at each step: received, documents needed, result ready."),
    )
    address = forms.CharField(label=_("Postal address"), max_length=500, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation's name"),
        max_length=200,
        required=False,
        help_text=_("Only when you apply for an enterprise or an organisation."),
    )
    tax_code = forms.CharField(label=_("Organisation's tax code"), max_length=14, required=False)
    result_delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=ResultDelivery.choices,
        widget=forms.RadioSelect,
        initial=ResultDelivery.ONLINE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel", "pattern": r"\+?[0-9 .\-]{9,15}"}
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["id_number"].widget.attrs.update(
            {"inputmode": "numeric", "pattern": "[0-9]{9,12}"}
        )
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"


_INPUT_TYPES = {"date": "date", "integer": "number", "email": "email", "tel": "tel"}


def _schema_field(spec: FormField) -> forms.Field:
    """A Django field rendering one schema field (no validation of its own)."""
    attrs: dict[str, Any] = {}
    if spec.required and spec.kind != "checkbox":
        attrs["required"] = True
    if spec.max_length:
        attrs["maxlength"] = spec.max_length
    if spec.pattern:
        # HTML patterns match the whole value; strip the schema's anchors.
        attrs["pattern"] = spec.pattern.removeprefix("^").removesuffix("$")
    if spec.minimum is not None:
        attrs["min"] = spec.minimum
    if spec.maximum is not None:
        attrs["max"] = spec.maximum
    label, hint = spec.title, spec.hint
    if spec.kind == "checkbox":
        return forms.BooleanField(
            label=label, required=False, help_text=hint, widget=forms.CheckboxInput(attrs=attrs)
        )
    if spec.kind in {"radio", "select"}:
        widget: forms.Widget = (
            forms.RadioSelect(attrs=attrs) if spec.kind == "radio" else forms.Select(attrs=attrs)
        )
        choices = [("", "—")] if spec.kind == "select" else []
        return forms.ChoiceField(
            label=label,
            required=False,
            help_text=hint,
            choices=[*choices, *spec.options],
            widget=widget,
        )
    if spec.kind == "textarea":
        return forms.CharField(
            label=label,
            required=False,
            help_text=hint,
            widget=forms.Textarea(attrs={**attrs, "rows": 4}),
        )
    input_type = _INPUT_TYPES.get(spec.kind, "text")
    return forms.CharField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.TextInput(attrs={**attrs, "type": input_type}),
    )


class ElectronicForm(StyledForm):
    """The procedure's electronic form, built from its schema sections."""

    def __init__(self, sections: list[FormSection], *args: Any, **kwargs: Any) -> None:
        self.sections_spec = sections
        fields: dict[str, forms.Field] = {}
        for section in sections:
            for spec in section.fields:
                fields[spec.input_name] = _schema_field(spec)
        super().__init__(*args, **kwargs)
        # Fields are added after StyledForm styled the (absent) base fields: style them here.
        for name, field in fields.items():
            self.fields[name] = field
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "usa-radio__input")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "usa-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "usa-textarea")
            else:
                widget.attrs.setdefault("class", "usa-input")

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(section title, bound fields) in the schema's order."""
        return [
            (section.title, [self[spec.input_name] for spec in section.fields])
            for section in self.sections_spec
        ]


class OfficeForm(StyledForm):
    office = forms.TypedChoiceField(
        label=_("Where should your application go?"), coerce=int, widget=forms.RadioSelect
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    requirement = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReuseForm(forms.Form):
    attachment = forms.IntegerField(label=_("Document you already have"))
    requirement = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DeclarationForm(StyledForm):
    declared = forms.BooleanField(
        label=_(
            "I declare that the information I gave is true and I am responsible for it before "
            "the law."
        ),
        required=False,
    )
    draft_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SupplementForm(StyledForm):
    note = forms.CharField(
        label=_("Note for the office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn dossier is closed and cannot be reopened."),
        required=True,
    )


class DeliveryForm(StyledForm):
    result_delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=ResultDelivery.choices,
        widget=forms.RadioSelect,
    )


class RatingForm(StyledForm):
    comment = forms.CharField(
        label=_("Anything else you want to tell us"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(Satisfaction.choices)
        for criterion in CRITERIA:
            self.fields[f"c_{criterion.key}"] = forms.ChoiceField(
                label=str(criterion.label),
                choices=choices if criterion.required else [*choices, ("", _("Does not apply"))],
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                required=False,
            )

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"c_{c.key}"] for c in CRITERIA]


class FeedbackForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Describe it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    email = forms.EmailField(
        label=_("E-mail for the answer"),
        required=False,
        help_text=_("The answer is also shown on this page."),
    )
    dossier = forms.TypedChoiceField(
        label=_("About one of your dossiers (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
    )


def max_upload_mb() -> int:
    return int(settings.MOTCUA_MAX_UPLOAD_BYTES) // (1024 * 1024)
