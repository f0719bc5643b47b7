"""The shared pieces of the REST API: the API class, one JSON error shape and pagination.

``LimitOffset`` lives in ``pagination`` so core's own routes can use it (import-linter keeps
core's entry points independent of each other); every app imports it from here.

Every error body is ``{"error": {"code": ..., "message": ..., "fields": {name: [messages]}}}``.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import path, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .pagination import LimitOffset

__all__ = ["ErrorOut", "KlientelaAPI", "LimitOffset", "error_body", "install_error_handlers"]


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


class KlientelaAPI(NinjaAPI):
    """A NinjaAPI that answers unknown URLs with the JSON 404 and documents its error bodies."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        install_error_handlers(self)

    def _get_urls(self):
        # Ninja answers a wrong URL or method in HTML or plain text; integrators parse JSON.
        urls = [url for url in super()._get_urls() if getattr(url, "name", None) != "api-root"]
        for url in urls:
            url.callback = self._json_not_allowed(url.callback)
        return [
            *urls,
            path("", self.not_found, name="api-root"),
            re_path(r"^.+$", self.not_found),
        ]

    def not_found(self, request, *args, **kwargs):
        return self.create_response(request, error_body("not_found", _("Not found.")), status=404)

    def _json_not_allowed(self, view):
        @wraps(view)
        def checked_view(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponseNotAllowed):
                return response
            message = _("This method is not allowed here.")
            json_response = self.create_response(
                request, error_body("method_not_allowed", message), status=405
            )
            json_response["Allow"] = response["Allow"]
            return json_response

        return checked_view

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


def document_errors(schema: dict) -> None:
    """Declare the ErrorOut responses each operation can give, so clients need not guess."""
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error_schema.pop("$defs", {}))
    components.setdefault("ErrorOut", error_schema)
    error_response = {"content": {"application/json": {"schema": {"$ref": _ref("ErrorOut")}}}}
    descriptions = {
        401: "Not authenticated: no valid token or session.",
        403: "Authenticated, but not allowed to do this.",
        404: "No such record, or not visible to the caller.",
        422: "The input is not valid; `fields` names the culprits.",
    }
    for url, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            codes = []
            if operation.get("security"):
                codes += [401, 403]
            if "{" in url:
                codes.append(404)
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append(422)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": descriptions[code], **error_response})


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _field_name(location: tuple) -> str:
    # Ninja reports ("body", "payload", "name"); clients want "name".
    skipped = ("body", "query", "path", "payload", "pagination", "filters")
    parts = [str(part) for part in location if part not in skipped]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            # A validator's own (translated) message comes prefixed by pydantic.
            message = error["msg"].removeprefix("Value error, ")
            fields.setdefault(_field_name(tuple(error.get("loc", ()))), []).append(message)
        return api.create_response(
            request, error_body("validation_error", _("The data is not valid."), fields), status=422
        )

    @api.exception_handler(ValidationError)
    def rejected_by_rules(request, exc):
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        else:
            fields = {"__all__": [str(message) for message in exc.messages]}
        message = fields.get("__all__", [_("The data is not valid.")])[0]
        return api.create_response(
            request, error_body("validation_error", message, fields), status=422
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or _("You do not have permission to do this.")
        return api.create_response(request, error_body("forbidden", message), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        response = api.create_response(
            request,
            error_body("unauthorized", _("Authentication required: send a valid API token.")),
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict"}
        code = codes.get(exc.status_code, "error")
        return api.create_response(request, error_body(code, exc.message), status=exc.status_code)
