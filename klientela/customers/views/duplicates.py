"""The duplicate check as the user types: on the card forms and in the card's contact dialog.

Both post what is typed so far to ``/<kind>/duplicates/`` and show the same partial
(``customers/includes/duplicates.html``); the contact dialog adds ``?form=contact``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language

from klientela.core import access

from .. import services
from ..forms import ChannelFormsets, QuickPersonForm
from .common import ORGANIZATIONS, PEOPLE, Kind, visible_record

NAME_KEYS = ("legal_name", "short_name", "tax_number", "first_name", "middle_name", "last_name")
CONTACT_PREFIX = "contact"


def find_candidates(request, kind: Kind, data: dict, exclude_id: int | None = None) -> list:
    return services.find_duplicates(
        entity=kind.entity, data=data, user=request.user, exclude_id=exclude_id
    )


def typed_data(request) -> dict:
    """What the user has typed into a card form so far, as far as the check needs it."""
    data = {key: request.POST.get(key, "") for key in NAME_KEYS if key in request.POST}
    channels = ChannelFormsets(request.POST)
    if channels.is_valid():
        data.update(channels.service_data())
    return data


def contact_form(data=None) -> QuickPersonForm:
    return QuickPersonForm(data, language=get_language(), prefix=CONTACT_PREFIX)


def contact_data(form: QuickPersonForm) -> dict:
    """The contact dialog's fields as the duplicate check reads a person's data."""
    form.is_valid()  # every field is optional: what is clean so far is enough
    values = form.cleaned_data
    return {
        "first_name": values.get("first_name", ""),
        "last_name": values.get("last_name", ""),
        "phones": [values["phone"]] if values.get("phone") else [],
        "emails": [values["email"]] if values.get("email") else [],
    }


def _mergeable(user, kind: Kind, candidates: list, record) -> set[int]:
    """Candidates the user may merge with: from a new card the candidate stays (edited) and the
    new card is deleted; from an edit this card stays and the candidate is deleted."""
    if record is None:
        allowed = kind.may(user, access.Action.DELETE)
        needed = access.Action.EDIT
    else:
        allowed = kind.may(user, access.Action.EDIT, record)
        needed = access.Action.DELETE
    return {
        candidate.id
        for candidate in candidates
        if allowed and candidate.is_visible and kind.may(user, needed, candidate.record)
    }


def duplicates_context(request, kind: Kind, candidates: list, record=None, **extra) -> dict:
    """The partial's context on a card form: open or merge each candidate."""
    return {
        "kind": kind,
        "candidates": candidates,
        "record": record,
        "mergeable": _mergeable(request.user, kind, candidates, record),
        "merge_url": kind.url("merge", record.pk) if record is not None else "",
        **extra,
    }


def contact_duplicates_context(request, organization, candidates: list, **extra) -> dict:
    """The partial's context in an organization's contact dialog: rather than typing the
    person again, open them or add them as a contact (when the user may change the card)."""
    may_link = ORGANIZATIONS.may(request.user, access.Action.EDIT, organization)
    return {
        "kind": PEOPLE,
        "candidates": candidates,
        "record": None,
        "mergeable": set(),
        "link_url": ORGANIZATIONS.url("link", organization.pk) if may_link else "",
        "in_dialog": True,
        **extra,
    }


def contact_dialog(request, organization, form=None, candidates=()) -> dict:
    """The context of the "New contact person" dialog on an organization's card."""
    duplicates_url = reverse(f"customers:{PEOPLE.entity}_duplicates")
    return {
        "form": form if form is not None else contact_form(),
        "url": reverse("customers:organization_contact_create", args=[organization.pk]),
        "duplicates_url": f"{duplicates_url}?form={CONTACT_PREFIX}&organization={organization.pk}",
        **contact_duplicates_context(request, organization, list(candidates), is_blocking=True),
    }


def live_context(request, kind: Kind) -> dict:
    """The candidates for what a card form or the contact dialog has typed so far."""
    if kind is PEOPLE and request.GET.get("form") == CONTACT_PREFIX:
        organization_id = request.GET.get("organization", "")
        if organization_id.isdigit():
            organization = visible_record(request, ORGANIZATIONS, int(organization_id))
            candidates = find_candidates(request, kind, contact_data(contact_form(request.POST)))
            return contact_duplicates_context(request, organization, candidates, is_blocking=False)
    record = None
    record_id = request.GET.get("record", "")
    if record_id.isdigit():
        record = visible_record(request, kind, int(record_id))
    candidates = find_candidates(request, kind, typed_data(request), record and record.pk)
    return duplicates_context(request, kind, candidates, record, is_blocking=False)
