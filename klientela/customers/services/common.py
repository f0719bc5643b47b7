"""Helpers the customer services share: errors, reference items, tags, access to owners."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.models import ReferenceItem

from ..models import Organization, Person, Tag

ENTITY_MODELS = {"organization": Organization, "person": Person}


class Errors(dict):
    """Collects messages keyed by field ("emails.1.address"), raised together at the end."""

    def add(self, key: str, message: Any) -> None:
        self.setdefault(key, []).append(message)

    def merge(self, error: ValidationError, prefix: str = "") -> None:
        """Add a ValidationError's messages; ``prefix`` ("phones.0.") places them in a list."""
        found = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for key, messages in found.items():
            name = (prefix.rstrip(".") or key) if key == "__all__" else f"{prefix}{key}"
            for message in messages:
                self.add(name, message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def entity_key(record_or_model) -> str:
    return access.get_entity(record_or_model).key


def require_assign(actor, entity: str, action: str, owner) -> None:
    """Creating a card for someone else, or handing it over, needs the scope that covers them."""
    if not access.can_assign(actor, entity, action, owner):
        raise PermissionDenied(_("You may not make this user responsible for the record."))


def normalize_tax_number(value: str | None) -> str:
    """``"PL 123-456-32-18"`` -> ``"PL1234563218"``: tax ids are compared as letters and digits."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def reference_items(list_key: str) -> dict[str, ReferenceItem]:
    return {item.key: item for item in ReferenceItem.objects.filter(reference_list__key=list_key)}


def resolve_reference(
    list_key: str, value: Any, *, field: str, errors: Errors, current_id: int | None = None
) -> ReferenceItem | None:
    """An item of the list from its key, id or instance; a retired item only if already set."""
    if value in (None, ""):
        return None
    items = ReferenceItem.objects.filter(reference_list__key=list_key)
    if isinstance(value, ReferenceItem):
        item = value if value.reference_list.key == list_key else None
    elif isinstance(value, int):
        item = items.filter(pk=value).first()
    else:
        item = items.filter(key=str(value)).first()
    if item is None:
        errors.add(field, _("Choose one of the values of the list."))
        return None
    if not item.is_active and item.pk != current_id:
        errors.add(field, _("This value is no longer in use."))
        return None
    return item


def resolve_references(
    list_key: str, values: Iterable[Any], *, field: str, errors: Errors
) -> list[ReferenceItem]:
    items = reference_items(list_key)
    by_id = {item.pk: item for item in items.values()}
    found = []
    for value in values:
        if isinstance(value, ReferenceItem):
            item = by_id.get(value.pk)
        elif isinstance(value, int):
            item = by_id.get(value)
        else:
            item = items.get(str(value))
        if item is None:
            errors.add(
                field, _("%(value)s is not one of the values of the list.") % {"value": value}
            )
        elif item not in found:
            found.append(item)
    return found


def resolve_tags(values: Iterable[Any]) -> list[Tag]:
    """Tags by instance, id or name; a new name creates the tag (names compare without case)."""
    tags: list[Tag] = []
    for value in values:
        if isinstance(value, Tag):
            tag = value
        elif isinstance(value, int):
            tag = Tag.objects.filter(pk=value).first()
            if tag is None:
                raise ValidationError({"tags": [_("There is no such tag.")]})
        else:
            name = " ".join(str(value).split())[:100]
            if not name:
                continue
            tag = Tag.objects.annotate(lowered=Lower("name")).filter(lowered=name.lower()).first()
            if tag is None:
                tag = Tag.objects.create(name=name)
        if tag not in tags:
            tags.append(tag)
    return tags


def visible_record(model, value: Any, *, actor, field: str, errors: Errors):
    """A linked record (parent, person, organization) the actor can see; else a field error."""
    if value in (None, ""):
        return None
    if isinstance(value, model) and getattr(value, "seen_by", False) == getattr(actor, "pk", None):
        return value  # checked for this actor already (an import checks each organization once)
    pk = value.pk if isinstance(value, model) else value
    try:
        return model.objects.visible_to(actor, access.Action.VIEW).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        errors.add(field, _("There is no such record, or you may not see it."))
        return None


def names(objects: Iterable[Any]) -> list[str]:
    return sorted(str(obj) for obj in objects)
