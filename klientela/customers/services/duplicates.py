# ruff: noqa: RUF001, RUF002 (names in Russian and typographic dashes are meant)
"""Finding cards that may be the same client as the one being entered.

Reasons: the same phone (compared normalized, however typed), the same email, the same tax
number, or a very similar name in the same city (rapidfuzz ``token_set_ratio`` >= 90 on names
without legal forms such as ООО, LLC, Sp. z o.o., d.o.o.). Every lookup is an index lookup:
phones by their international form or digits, emails and tax numbers by value, names through the
full-text index (a few distinctive words, a bounded number of candidates each) before rapidfuzz
compares the candidates; so it stays fast on a million cards.

A duplicate the user may not view is still reported, since entering the client again would
split its history, but without its data: ``is_visible`` is False, there is no record or id, only
the owner's name so the user knows whom to ask ("a matching record exists that you cannot see").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from klientela.core.fulltext import find_ids, normalize_text
from klientela.core.phones import normalize_phone

from ..models import Address, Email, Organization, Phone
from .channels import normalize_email
from .common import ENTITY_MODELS, normalize_tax_number

NAME_SIMILARITY = 90
# Full-text candidates per name word, and how many words of a name are looked up.
NAME_CANDIDATES = 50
NAME_WORDS = 3

REASONS = {
    "phone": gettext_lazy("same phone"),
    "email": gettext_lazy("same email"),
    "tax_number": gettext_lazy("same tax number"),
    "name": gettext_lazy("similar name in the same city"),
}

LEGAL_FORMS = re.compile(
    r"\b(?:sp z o o|spolka z ograniczona odpowiedzialnoscia|sp j|sp k|s a|d o o|d d|s p|"
    r"ооо|оао|зао|пао|ао|ип|нко|llc|ltd|limited|inc|corp|plc|gmbh|ag|co|sa|doo|dd)\b"
)


@lru_cache(maxsize=50_000)
def core_name(text: str) -> str:
    """``'ООО "Ромашка"'`` -> ``"ромашка"``: normalized, without legal forms."""
    return " ".join(LEGAL_FORMS.sub(" ", normalize_text(text)).split())


@dataclass(frozen=True)
class DuplicateCandidate:
    entity: str
    reasons: tuple[str, ...]
    is_visible: bool
    # None when the user may not view it: nothing of it is shown but its owner.
    record: models.Model | None
    owner: str

    @property
    def id(self) -> int | None:
        return self.record.pk if self.record is not None else None

    @property
    def title(self) -> str:
        if self.record is not None:
            return str(self.record)
        return _("A matching record exists that you cannot see (owner: %(owner)s)") % {
            "owner": self.owner or _("nobody")
        }

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


def _items(values: Any, key: str) -> list[str]:
    found = []
    for value in values or []:
        text = value.get(key) if isinstance(value, dict) else value
        if text:
            found.append(str(text))
    return found


def _owner_ids(rows: models.QuerySet, owner: str) -> set[int]:
    return set(rows.filter(**{f"{owner}__isnull": False}).values_list(f"{owner}_id", flat=True))


def _phone_matches(numbers: list[str], owner: str) -> set[int]:
    condition = models.Q(pk__in=[])
    for number in numbers:
        info = normalize_phone(number)
        if info.e164:
            condition |= models.Q(e164=info.e164)
        elif len(info.national_digits) >= 5:
            condition |= models.Q(digits_reversed=info.digits_reversed)
    return _owner_ids(Phone.objects.filter(condition), owner)


def _email_matches(addresses: list[str], owner: str) -> set[int]:
    wanted = {normalize_email(address) for address in addresses} - {""}
    return _owner_ids(Email.objects.filter(address__in=wanted), owner) if wanted else set()


def _tax_matches(value: Any) -> set[int]:
    tax_number = normalize_tax_number(value)
    if len(tax_number) < 5:
        return set()
    wanted = {tax_number}
    if tax_number[:2].isalpha():
        wanted.add(tax_number[2:])  # "PL5260250274" is also typed as "5260250274".
    return set(Organization.objects.filter(tax_number__in=wanted).values_list("pk", flat=True))


def _names_given(entity: str, data: dict) -> list[str]:
    if entity == "organization":
        return [str(data[key]) for key in ("legal_name", "short_name") if data.get(key)]
    parts = [data.get("first_name"), data.get("middle_name"), data.get("last_name")]
    return [" ".join(str(part) for part in parts if part)]


def _record_names(record) -> list[str]:
    if isinstance(record, Organization):
        return [name for name in (record.legal_name, record.short_name) if name]
    return [" ".join(filter(None, [record.first_name, record.middle_name, record.last_name]))]


def _name_matches(model, entity: str, data: dict) -> set[int]:
    cities = {normalize_text(city) for city in _items(data.get("addresses"), "city")}
    if data.get("city"):
        cities.add(normalize_text(data["city"]))
    cities.discard("")
    names = [core_name(name) for name in _names_given(entity, data)]
    names = [name for name in names if name]
    if not cities or not names:
        return set()
    words = sorted({word for name in names for word in name.split() if len(word) >= 3}, key=len)
    candidate_ids: set[int] = set()
    for word in words[-NAME_WORDS:]:
        candidate_ids.update(find_ids(model, word, limit=NAME_CANDIDATES))
    if not candidate_ids:
        return set()
    owner = model._meta.model_name
    in_city = {
        owner_id
        for owner_id, city in Address.objects.filter(
            **{f"{owner}_id__in": candidate_ids}
        ).values_list(f"{owner}_id", "city")
        if normalize_text(city) in cities
    }
    matches = set()
    for record in model.objects.filter(pk__in=in_city):
        for candidate_name in _record_names(record):
            known = core_name(candidate_name)
            if known and any(
                fuzz.token_set_ratio(known, name) >= NAME_SIMILARITY for name in names
            ):
                matches.add(record.pk)
                break
    return matches


def find_duplicates(
    *, entity: str, data: dict, user, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    """Cards that may be the client described by ``data`` (the create/update arguments).

    Most reasons first; visible records before hidden ones.
    """
    model = ENTITY_MODELS[entity]
    owner = model._meta.model_name
    reasons: dict[int, list[str]] = {}

    def add(ids: set[int], reason: str) -> None:
        for pk in ids:
            if pk != exclude_id:
                reasons.setdefault(pk, []).append(reason)

    add(_phone_matches(_items(data.get("phones"), "number"), owner), "phone")
    add(_email_matches(_items(data.get("emails"), "address"), owner), "email")
    if model is Organization and data.get("tax_number"):
        add(_tax_matches(data["tax_number"]), "tax_number")
    add(_name_matches(model, entity, data), "name")
    if not reasons:
        return []
    visible = set(
        model.objects.visible_to(user).filter(pk__in=reasons).values_list("pk", flat=True)
    )
    records = model.objects.filter(pk__in=reasons).select_related("responsible")
    candidates = [
        DuplicateCandidate(
            entity=entity,
            reasons=tuple(reasons[record.pk]),
            is_visible=record.pk in visible,
            record=record if record.pk in visible else None,
            owner=str(record.responsible or ""),
        )
        for record in records
    ]
    return sorted(candidates, key=lambda item: (-len(item.reasons), not item.is_visible))
