"""Creating, editing and deleting cards, with the duplicate check as the user types and on save."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.core import access
from klientela.core.forms import add_service_errors, render_form_page, success_redirect

from ..forms import ChannelFormsets
from ..models.querysets import CHANNELS
from ..services.channels import build_channels
from ..services.common import Errors
from .common import ORGANIZATIONS, Kind, require, visible_record
from .duplicates import duplicates_context, find_candidates, live_context


def _put_errors(form, channels: ChannelFormsets, error: ValidationError) -> None:
    """Service errors next to the fields and channel rows they are about."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    rest = channels.add_errors(error.message_dict)
    if rest:
        add_service_errors(form, ValidationError(rest))


def _check_channels(channels: ChannelFormsets) -> None:
    """A form with errors is not saved; its channel rows still get their messages now."""
    if channels.is_valid():
        errors = Errors()
        build_channels(None, channels.service_data(), errors)
        channels.add_errors(errors)


def _form_page(request, kind: Kind, form, channels, record=None, candidates=()):
    if record is None:
        title = _("New organization") if kind is ORGANIZATIONS else _("New person")
        back_url, back_label = kind.url("list"), str(kind.label)
    else:
        title = _("Edit %(name)s") % {"name": record}
        back_url, back_label = record.get_absolute_url(), str(record)
    duplicates_url = reverse(f"customers:{kind.entity}_duplicates")
    if record is not None:
        duplicates_url += f"?record={record.pk}"
    return render_form_page(
        request,
        form,
        title=title,
        template="customers/record_form.html",
        history_of=record,
        channels=channels,
        cancel_url=back_url,
        back_url=back_url,
        back_label=back_label,
        duplicates_url=duplicates_url,
        **duplicates_context(request, kind, list(candidates), record, is_blocking=True),
    )


def _save(request, kind: Kind, form, channels, record=None):
    """Validate and save; returns (saved record or None, duplicate candidates)."""
    data = {**form.service_data(), **channels.service_data()}
    confirmed = request.POST.get("confirm_duplicates") or request.POST.get("merge_with")
    if not confirmed:
        exclude = record.pk if record is not None else None
        candidates = find_candidates(request, kind, data, exclude)
        if candidates:
            return None, candidates
    try:
        if record is None:
            record = kind.create(actor=request.user, **data)
        else:
            kind.update(actor=request.user, record=record, **data)
    except ValidationError as error:
        _put_errors(form, channels, error)
        return None, []
    return record, []


@login_required
def record_create(request, kind: Kind):
    if not kind.may(request.user, access.Action.CREATE):
        raise PermissionDenied(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    form = kind.form(
        data, user=request.user, language=get_language(), initial={"responsible": request.user.pk}
    )
    channels = ChannelFormsets(data)
    candidates = []
    if data is not None and not form.is_valid():
        _check_channels(channels)
    elif data is not None and channels.is_valid():
        record, candidates = _save(request, kind, form, channels)
        if record is not None:
            merge_with = request.POST.get("merge_with", "")
            if merge_with.isdigit():
                # The existing card survives and takes what was just typed, field by field.
                url = f"{kind.url('merge', int(merge_with))}?with={record.pk}"
                message = _("%(name)s created; now merge it into the existing card.")
                return success_redirect(request, url, message % {"name": record})
            message = _("%(name)s created.") % {"name": record}
            return success_redirect(request, record.get_absolute_url(), message)
    return _form_page(request, kind, form, channels, candidates=candidates)


def _editable(request, kind: Kind, pk: int):
    records = kind.model.objects.prefetch_related("tags", *CHANNELS)
    if kind is ORGANIZATIONS:
        records = records.select_related("parent").prefetch_related("types")
    record = visible_record(request, kind, pk, records)
    require(request.user, access.Action.EDIT, record)
    return record


@login_required
def record_edit(request, pk: int, kind: Kind):
    record = _editable(request, kind, pk)
    data = request.POST if request.method == "POST" else None
    form = kind.form(data, user=request.user, language=get_language(), record=record)
    channels = ChannelFormsets(data, record=record)
    candidates = []
    if data is not None and not form.is_valid():
        _check_channels(channels)
    elif data is not None and channels.is_valid():
        saved, candidates = _save(request, kind, form, channels, record)
        if saved is not None:
            message = _("Changes to %(name)s saved.") % {"name": saved}
            return success_redirect(request, saved.get_absolute_url(), message)
    return _form_page(request, kind, form, channels, record, candidates)


@login_required
@require_POST
def record_duplicates(request, kind: Kind):
    """The cards that may be the one being typed (the form posts here as the user types)."""
    context = live_context(request, kind)
    return render(request, "customers/includes/duplicates.html", context)


@login_required
def record_delete(request, pk: int, kind: Kind):
    record = visible_record(request, kind, pk)
    require(request.user, access.Action.DELETE, record)
    if request.method == "POST":
        kind.delete(actor=request.user, record=record)
        message = _("%(name)s deleted.") % {"name": record}
        return success_redirect(request, kind.url("list"), message)
    return render(
        request,
        "core/components/confirm_delete.html",
        {
            "title": _("Delete %(name)s") % {"name": record},
            "question": _("Delete %(name)s?") % {"name": record},
            "consequences": _(
                "Its phones, emails, addresses, contact links and notes are deleted with it. "
                "To keep its history, merge it into another card instead."
            ),
            "cancel_url": record.get_absolute_url(),
        },
    )
