"""Tags: anyone editing a card may tag it with a new name; renaming and deleting is for admins."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from klientela.core.access import require_admin
from klientela.core.audit import record_create, record_delete, record_update, snapshot

from ..models import Tag


def _check_name(name: str, *, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    same = Tag.objects.annotate(lowered=Lower("name")).filter(lowered=name.lower())
    if same.exclude(pk=exclude_id).exists():
        raise ValidationError({"name": [_("A tag with this name already exists.")]})
    return name


@transaction.atomic
def create_tag(*, actor, name: str, colour: str = Tag.Colour.GREY) -> Tag:
    tag = Tag(name=_check_name(name), colour=colour)
    tag.full_clean(validate_constraints=False)
    tag.save()
    record_create(tag, actor=actor)
    return tag


@transaction.atomic
def update_tag(*, actor, tag: Tag, name: str | None = None, colour: str | None = None) -> Tag:
    require_admin(actor)
    before = snapshot(tag, ["name", "colour"])
    if name is not None:
        tag.name = _check_name(name, exclude_id=tag.pk)
    if colour is not None:
        tag.colour = colour
    tag.full_clean(validate_constraints=False)
    tag.save()
    record_update(tag, before, actor=actor)
    return tag


@transaction.atomic
def delete_tag(*, actor, tag: Tag) -> None:
    require_admin(actor)
    record_delete(tag, actor=actor)
    tag.delete()
