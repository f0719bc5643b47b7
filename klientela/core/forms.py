"""Helpers every app's form pages share: service errors onto the form, and the answer on success.

Forms post through HTMX to their own partial and come back with the errors next to the fields;
a successful save redirects (HX-Redirect for HTMX) and leaves a message that shows as a toast.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from .cards import history_page
from .htmx import render_page, wants_partial

FORM_TEMPLATE = "core/components/form_page.html"


def add_service_errors(
    form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on ``form``: field messages by field, the rest on top.

    ``field_map`` renames service fields to form fields ({"password": "new_password1"}); a field
    the form does not show becomes a message on top, so nothing the service said is lost.
    """
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_errors in error.error_dict.items():
        target = field_map.get(name, name)
        texts = [text for item in field_errors for text in item.messages]
        form.add_error(target if target in form.fields else None, texts)


def success_redirect(request, url: str, message: str = ""):
    """Go to ``url`` after a successful save; the message appears there as a toast."""
    if message:
        messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def render_form_page(
    request,
    form: forms.Form,
    *,
    title: str,
    template: str = FORM_TEMPLATE,
    history_of=None,
    **context,
):
    """A page with one form (and optionally the record's history beside it).

    HTMX posts get only the form back, with its errors; "show more" in the history gets only the
    next history entries. ``context`` may give ``subtitle``, ``submit_label``, ``cancel_url``,
    ``back_url``/``back_label``, ``tabs`` and ``header_actions``.
    """
    history = history_page(request, history_of) if history_of is not None else None
    context = {
        "form": form,
        "title": title,
        "history": history,
        "history_url": request.path,
        **context,
    }
    if history is not None and wants_partial(request) and "history_page" in request.GET:
        return render(request, "core/components/history.html#entries", context)
    return render_page(request, template, context, partial="form")
