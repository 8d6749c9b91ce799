"""Electronic application forms (tờ khai điện tử) as data: one JSON Schema per procedure version.

Where a form comes from, first found wins:

1. the version's own ``ProcedureForm`` row (set by an administrator for that version);
2. the form shipped for the procedure code (``catalog/form_schemas/<code>.json``);
3. the generic form (``_generic.json``: what is asked, and anything else).

Schemas are JSON Schema 2020-12 objects with ``additionalProperties: false`` (unknown fields are
refused). MotCua reads a few annotations for display: ``title`` (Vietnamese) and ``x-title-en``;
``x-sections`` (ordered groups of fields); ``x-labels`` (option → [Vietnamese, English]);
``x-hint``; ``x-widget`` (``textarea``). The portal renders the fields from these, the browser may
check them as it types (progressive enhancement), and ``validate`` decides on the server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from motcua.catalog.models import ProcedureForm, ProcedureVersion
from motcua.core.errors import DomainError

SCHEMA_DIR = Path(__file__).resolve().parent / "form_schemas"
GENERIC = "_generic"
#: Every submitted field travels under this prefix in the HTML form (``f_child_full_name``), so
#: the form's own fields (applicant, declaration) never collide with a schema's.
PREFIX = "f_"


@dataclass(frozen=True)
class FormSchema:
    """A form schema with where it came from and its fingerprint (kept with each submission)."""

    schema: dict[str, Any]
    source: str  # "version", "procedure", "generic"
    schema_id: str
    sha256: str


@dataclass(frozen=True)
class FormField:
    """One field as the portal shows it."""

    name: str
    title: str
    kind: str  # text, textarea, date, integer, email, tel, select, radio, checkbox
    required: bool
    hint: str = ""
    max_length: int | None = None
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def input_name(self) -> str:
        return PREFIX + self.name


@dataclass(frozen=True)
class FormSection:
    title: str
    fields: tuple[FormField, ...]


@dataclass
class Checked:
    """Submitted values, typed, and the errors per field (``__all__`` for the whole form)."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _fingerprint(schema: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


def check_schema(schema: Mapping[str, Any]) -> None:
    """Refuse a schema that is not valid JSON Schema or allows unknown fields."""
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise DomainError(
            "form_schema_invalid",
            _("The form schema is not valid JSON Schema: %(problem)s"),
            {"problem": error.message},
        ) from None
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        raise DomainError(
            "form_schema_open",
            _("A form schema must be an object that refuses unknown fields."),
        )


@cache
def shipped_schema(name: str) -> dict[str, Any] | None:
    """A form shipped with MotCua (by procedure code), or None."""
    path = SCHEMA_DIR / f"{name}.json"
    if "/" in name or not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def schema_for(version: ProcedureVersion) -> FormSchema:
    """The electronic form of a procedure version (see the module docstring)."""
    own = ProcedureForm.objects.filter(version=version).values_list("schema", flat=True).first()
    if own:
        schema, source = dict(own), "version"
    else:
        shipped = shipped_schema(version.procedure.code)
        if shipped is not None:
            schema, source = shipped, "procedure"
        else:
            schema, source = shipped_schema(GENERIC) or {}, "generic"
    return FormSchema(schema, source, str(schema.get("$id", "")), _fingerprint(schema))


def _pick(value: Any, language: str) -> str:
    """A [Vietnamese, English] pair (or a plain string) in the language."""
    if isinstance(value, list | tuple):
        return str(value[1] if language == "en" and len(value) > 1 else value[0])
    return str(value or "")


def _field(name: str, spec: Mapping[str, Any], required: bool, language: str) -> FormField:
    title = str(spec.get("x-title-en") if language == "en" else spec.get("title") or name)
    kind = {"integer": "integer", "boolean": "checkbox"}.get(str(spec.get("type")), "text")
    if spec.get("format") == "date":
        kind = "date"
    elif spec.get("format") == "email":
        kind = "email"
    elif spec.get("x-widget") == "textarea":
        kind = "textarea"
    options: tuple[tuple[str, str], ...] = ()
    if "enum" in spec:
        labels = spec.get("x-labels", {})
        options = tuple((str(v), _pick(labels.get(v, v), language)) for v in spec["enum"])
        kind = "radio" if len(options) <= 4 else "select"
    return FormField(
        name=name,
        title=title or spec.get("title", name),
        kind=kind,
        required=required,
        hint=_pick(spec.get("x-hint", ""), language),
        max_length=spec.get("maxLength"),
        pattern=str(spec.get("pattern", "")),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        options=options,
    )


def sections(schema: Mapping[str, Any], language: str = "vi") -> list[FormSection]:
    """The fields to show, in sections (every property appears once)."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    placed: set[str] = set()
    result = []
    for section in schema.get("x-sections", []):
        names = [n for n in section.get("fields", []) if n in properties and n not in placed]
        placed.update(names)
        title = str(section.get("x-title-en") if language == "en" else section.get("title"))
        result.append(
            FormSection(
                title or "",
                tuple(_field(n, properties[n], n in required, language) for n in names),
            )
        )
    rest = [n for n in properties if n not in placed]
    if rest:
        result.append(
            FormSection("", tuple(_field(n, properties[n], n in required, language) for n in rest))
        )
    return result


def coerce(schema: Mapping[str, Any], submitted: Mapping[str, str]) -> Checked:
    """Typed data from the HTML form's strings (``f_`` fields only); unknown fields refused."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    checked = Checked()
    for key, raw in submitted.items():
        if not key.startswith(PREFIX):
            continue
        name = key[len(PREFIX) :]
        spec = properties.get(name)
        if spec is None:
            checked.errors["__all__"] = (
                _("The form contains a field it does not have: “%s”.") % (name[:40])
            )
            continue
        value = str(raw).strip()
        kind = spec.get("type")
        if kind == "boolean":
            checked.data[name] = value in {"on", "true", "1"}
        elif value == "":
            continue  # empty = not given (required fields are then reported by validate)
        elif kind == "integer":
            try:
                checked.data[name] = int(value.replace(".", "").replace(" ", ""))
            except ValueError:
                checked.errors[name] = _("Enter a whole number.")
        else:
            checked.data[name] = value
    return checked


def _message(error: Any, properties: Mapping[str, Any]) -> tuple[str, str]:
    """(field, plain-language message) of a jsonschema error."""
    path = list(error.absolute_path)
    name = str(path[0]) if path else ""
    spec = properties.get(name, {})
    keyword = error.validator
    if keyword == "required":
        missing = str(error.message.split("'")[1]) if "'" in error.message else name
        return missing, _("This field is required.")
    if keyword == "additionalProperties":
        return "__all__", _("The form contains fields it does not have.")
    if keyword == "maxLength":
        return name, _("At most %(n)s characters.") % {"n": spec.get("maxLength")}
    if keyword == "minLength":
        return name, _("Too short: at least %(n)s characters.") % {"n": spec.get("minLength")}
    if keyword == "format" and spec.get("format") == "date":
        return name, _("Enter a date as dd/mm/yyyy.")
    if keyword in {"minimum", "maximum"}:
        return name, _("Enter a number between %(min)s and %(max)s.") % {
            "min": spec.get("minimum", "…"),
            "max": spec.get("maximum", "…"),
        }
    if keyword in {"enum", "const"}:
        return name, _("Choose one of the options.")
    if keyword == "pattern":
        return name, _("The format is not right.") + (
            " " + _pick(spec.get("x-hint"), "vi") if spec.get("x-hint") else ""
        )
    return name or "__all__", _("This value is not accepted.")


def validate(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """Server-side validation against the schema; {} when valid, else field → message."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    validator = Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(dict(data)), key=lambda e: list(e.absolute_path)):
        name, message = _message(error, properties)
        errors.setdefault(name, message)
    for name, spec in properties.items():
        if spec.get("format") == "date" and isinstance(data.get(name), str):
            try:
                day = dt.date.fromisoformat(data[name])
            except ValueError:
                continue
            if day.year < 1900:
                errors.setdefault(name, _("Enter a date as dd/mm/yyyy."))
    return errors


def check(schema: Mapping[str, Any], submitted: Mapping[str, str]) -> Checked:
    """Coerce and validate the submitted HTML form in one go."""
    checked = coerce(schema, submitted)
    if "__all__" not in checked.errors:
        for name, message in validate(schema, checked.data).items():
            checked.errors.setdefault(name, message)
    return checked


def prefill(schema: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, Any]:
    """Initial values from what the account knows (``x-prefill``: field → profile key)."""
    mapping: Mapping[str, str] = schema.get("x-prefill", {})
    return {name: known[key] for name, key in mapping.items() if known.get(key)}


def save_version_form(version: ProcedureVersion, schema: Mapping[str, Any]) -> ProcedureForm:
    """Set the electronic form of one procedure version (validated first)."""
    check_schema(schema)
    form, _created = ProcedureForm.objects.update_or_create(
        version=version, defaults={"schema": dict(schema)}
    )
    return form
