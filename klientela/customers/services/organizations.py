"""Organizations: create, change, delete (the shared rules are in ``cards``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import CLIENT_GROUPS, INDUSTRIES, ORGANIZATION_TYPES, SOURCES, Organization
from .cards import CardSpec, create_card, delete_card, update_card

ORGANIZATION = CardSpec(
    model=Organization,
    fields=(
        "legal_name",
        "short_name",
        "tax_number",
        "registration_number",
        "size",
        "description",
        "needs",
    ),
    references={"industry": INDUSTRIES, "client_group": CLIENT_GROUPS, "source": SOURCES},
    multi_references={"types": ORGANIZATION_TYPES},
)


@transaction.atomic
def create_organization(
    *,
    actor,
    legal_name: str,
    short_name: str = "",
    tax_number: str = "",
    registration_number: str = "",
    industry: Any = None,
    client_group: Any = None,
    source: Any = None,
    size: str = "",
    types: list | None = None,
    parent: Organization | int | None = None,
    responsible=None,
    description: str = "",
    needs: str = "",
    tags: list | None = None,
    custom: dict | None = None,
    phones: list | None = None,
    emails: list | None = None,
    messengers: list | None = None,
    websites: list | None = None,
    addresses: list | None = None,
    memberships: list | None = None,
) -> Organization:
    """A new organization owned by ``responsible`` (the actor when not given).

    Reference values (industry, client_group, source, types) are item keys, ids or items;
    ``memberships`` items are ``{"person": <Person or id>, "role": <key>, "position": "",
    "is_primary": False}``; channels as described in ``services.channels``.
    """
    data = {name: value for name, value in locals().items() if name != "actor"}
    return create_card(ORGANIZATION, actor=actor, data=data)


@transaction.atomic
def update_organization(*, actor, organization: Organization, **changes) -> Organization:
    """Change only the fields given (same names as ``create_organization``)."""
    return update_card(ORGANIZATION, actor=actor, record=organization, data=changes)


@transaction.atomic
def delete_organization(*, actor, organization: Organization) -> None:
    """Its channels, links and notes go with it; its branches lose their parent."""
    delete_card(actor=actor, record=organization)
