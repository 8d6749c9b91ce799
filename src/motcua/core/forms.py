"""Form rendering with the design system (USWDS classes, hints, errors, accessible radios)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input


class MotcuaFormRenderer(TemplatesSetting):
    """Renders ``{{ form.field.as_field_group }}`` with ``motcua/forms/field.html``."""

    field_template_name = "motcua/forms/field.html"


_WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.RadioSelect, "usa-radio__input"),
    (forms.CheckboxInput, "usa-checkbox__input"),
    (forms.Select, "usa-select"),
    (forms.Textarea, "usa-textarea"),
    (Input, "usa-input"),
)


class StyledForm(forms.Form):
    """A form whose widgets carry the design system's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    field.widget.attrs.setdefault("class", css)
                    break
