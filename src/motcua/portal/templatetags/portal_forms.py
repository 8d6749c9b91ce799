"""Form rendering helpers for the portal's templates (USWDS error pattern)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from motcua.core.templatetags.motcua_format import money

register = template.Library()

_ERROR_CLASSES = {
    "usa-input": "usa-input--error",
    "usa-select": "usa-input--error",
    "usa-textarea": "usa-input--error",
}


@register.filter
def widget_with_errors(field: forms.BoundField) -> SafeString:
    """The field's widget, pointing at its hint and error message, marked invalid when needed."""
    attrs = dict(field.field.widget.attrs)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        css = str(attrs.get("class", ""))
        extra = _ERROR_CLASSES.get(css.split(" ")[0] if css else "", "")
        if extra:
            attrs["class"] = f"{css} {extra}"
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return SafeString(field.as_widget(attrs=attrs))


register.filter("money", money)  # shared with the back office: core.templatetags
