"""People: create, change, delete (the shared rules are in ``cards``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import SOURCES, Person
from .cards import CardSpec, create_card, delete_card, update_card
from .common import Errors


def _require_name(person: Person, errors: Errors) -> None:
    if not (person.first_name or person.last_name):
        errors.add("last_name", _("Give a first or a last name."))


PERSON = CardSpec(
    model=Person,
    fields=("first_name", "middle_name", "last_name", "position", "birthday", "description"),
    references={"source": SOURCES},
    check=_require_name,
)


@transaction.atomic
def create_person(
    *,
    actor,
    first_name: str = "",
    middle_name: str = "",
    last_name: str = "",
    position: str = "",
    birthday: datetime.date | str | None = None,
    source: Any = None,
    responsible=None,
    description: str = "",
    tags: list | None = None,
    custom: dict | None = None,
    phones: list | None = None,
    emails: list | None = None,
    messengers: list | None = None,
    websites: list | None = None,
    addresses: list | None = None,
    memberships: list | None = None,
) -> Person:
    """A new person owned by ``responsible`` (the actor when not given); a first or last name
    is needed. ``memberships`` items are ``{"organization": <Organization or id>, "role": <key>,
    "position": "", "is_primary": False}``; channels as described in ``services.channels``."""
    data = {name: value for name, value in locals().items() if name != "actor"}
    return create_card(PERSON, actor=actor, data=data)


@transaction.atomic
def update_person(*, actor, person: Person, **changes) -> Person:
    """Change only the fields given (same names as ``create_person``)."""
    return update_card(PERSON, actor=actor, record=person, data=changes)


@transaction.atomic
def delete_person(*, actor, person: Person) -> None:
    delete_card(actor=actor, record=person)
