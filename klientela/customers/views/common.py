"""What the customer pages share: the two kinds of card, fetching a record, small helpers.

Most screens work the same for organizations and people; a ``Kind`` names what differs (the
model, its form, its services and its addresses), and ``urls`` passes one to each view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from klientela.core import access

from .. import services
from ..forms import CardForm, OrganizationForm, PersonForm
from ..models import Organization, Person
from ..templatetags.customers import initials


@dataclass(frozen=True)
class Kind:
    entity: str
    model: type[models.Model]
    form: type[CardForm]
    # The plural name used in addresses ("organizations", "people") and list URL names.
    plural: str
    label: str | Promise
    singular: str | Promise
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    icon: str

    def url(self, name: str, *args) -> str:
        """``kind.url("detail", pk)`` -> ``/organizations/5/``."""
        if name == "list":
            return reverse(f"customers:{self.plural}")
        return reverse(f"customers:{self.entity}_{name}", args=args)

    def may(self, user, action: str, record=None) -> bool:
        return access.can(user, action, record if record is not None else self.model)


ORGANIZATIONS = Kind(
    entity="organization",
    model=Organization,
    form=OrganizationForm,
    plural="organizations",
    label=_("Organizations"),
    singular=_("organization"),
    create=services.create_organization,
    update=lambda *, actor, record, **changes: services.update_organization(
        actor=actor, organization=record, **changes
    ),
    delete=lambda *, actor, record: services.delete_organization(actor=actor, organization=record),
    icon="building-2",
)
PEOPLE = Kind(
    entity="person",
    model=Person,
    form=PersonForm,
    plural="people",
    label=_("People"),
    singular=_("person"),
    create=services.create_person,
    update=lambda *, actor, record, **changes: services.update_person(
        actor=actor, person=record, **changes
    ),
    delete=lambda *, actor, record: services.delete_person(actor=actor, person=record),
    icon="user",
)
KINDS = {kind.entity: kind for kind in (ORGANIZATIONS, PEOPLE)}


def visible_record(request, kind: Kind, pk: int, queryset=None):
    """The record if the user may view it; otherwise 404, as if it did not exist."""
    records = queryset if queryset is not None else kind.model.objects.all()
    return get_object_or_404(records.visible_to(request.user, access.Action.VIEW), pk=pk)


def require(user, action: str, record) -> None:
    """403 for an action the user may not do on a record they can see."""
    access.require(user, action, record)


def person_chip(user):
    """A user's initials in a circle and their name: who is responsible for a card."""
    if user is None:
        return ""
    return format_html(
        '<span class="person-chip"><span class="avatar avatar-small" aria-hidden="true">{}'
        "</span><span>{}</span></span>",
        initials(user),
        user,
    )
