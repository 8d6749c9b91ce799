"""Request parameters django-ninja has no shortcut for.

``JsonOrForm``: the fields of one schema read from a JSON body (``application/json``) or from
form fields (``multipart/form-data``, ``application/x-www-form-urlencoded``), so an endpoint that
takes files as well keeps accepting its plain JSON calls. Validation and errors are those of the
schema either way (422 ``invalid_input``). The OpenAPI document shows the form shape; an endpoint
adds the JSON one with ``json_request_body``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError, ValidationError
from ninja.params.models import Form, FormModel
from pydantic import BaseModel

if TYPE_CHECKING:
    from ninja import NinjaAPI

JSON = "application/json"


class _JsonOrFormModel(FormModel):
    @classmethod
    def get_request_data(
        cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if request.content_type != JSON:
            return super().get_request_data(request, api, path_params)
        if not request.body:
            return None
        try:
            data = api.parser.parse_body(request)
        except Exception as error:  # the same answer as a JSON ``Body`` parameter
            detail = f"Cannot parse request body ({error})" if settings.DEBUG else ""
            raise HttpError(400, detail or "Cannot parse request body") from error
        if not isinstance(data, dict):  # as pydantic says it for a JSON ``Body`` parameter
            raise ValidationError(
                [
                    {
                        "type": "model_type",
                        "loc": ("body",),
                        "msg": "Input should be a valid dictionary or object",
                    }
                ]
            )
        return data


class JsonOrForm(Form):  # type: ignore[misc]
    """Use as ``Annotated[SomeSchema, JsonOrForm()]``."""

    _model = _JsonOrFormModel

    def __init__(self, default: Any = ..., **kwargs: Any) -> None:
        super().__init__(default, **kwargs)

    @classmethod
    def _param_source(cls) -> str:
        return "form"  # flattened like a form; documented as a form (plus ``json_request_body``)


def json_request_body(schema: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` adding the JSON shape of ``schema`` to an operation's request body (the
    schema is in the components: django-ninja puts it there for the flattened form parameter)."""
    return {
        "requestBody": {
            "content": {
                JSON: {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}},
            }
        }
    }
