"""Writes to reference lists and field definitions: administrators only, audited, atomic."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext_lazy as _

from klientela.core import access
from klientela.core.access import require_admin
from klientela.core.audit import record_create, record_delete, record_update, snapshot
from klientela.core.models import FieldDefinition, ReferenceItem, ReferenceList

from .expressions import has_key
from .indexes import create_sort_indexes, drop_sort_indexes

# Changing these would orphan stored data: keys identify values, the type decides their form.
FIXED_FIELDS = {"entity", "key", "type"}


def _save(obj: Model) -> None:
    obj.full_clean()
    obj.save()


def _update(obj: Model, *, actor, fixed: set[str], fields: dict[str, Any]) -> None:
    changed_fixed = sorted(name for name in fields if name in fixed)
    if changed_fixed:
        raise ValidationError(
            {name: [_("This cannot be changed once created.")] for name in changed_fixed}
        )
    before = snapshot(obj, list(fields))
    for name, value in fields.items():
        setattr(obj, name, value)
    _save(obj)
    record_update(obj, before, actor=actor)


@transaction.atomic
def create_reference_list(
    *, actor, key: str, name: str, names: dict | None = None, is_system: bool = False
) -> ReferenceList:
    require_admin(actor)
    reference_list = ReferenceList(key=key, name=name, names=names or {}, is_system=is_system)
    _save(reference_list)
    record_create(reference_list, actor=actor)
    return reference_list


@transaction.atomic
def update_reference_list(*, actor, reference_list: ReferenceList, **fields) -> ReferenceList:
    require_admin(actor)
    _update(reference_list, actor=actor, fixed={"key", "is_system"}, fields=fields)
    return reference_list


@transaction.atomic
def delete_reference_list(*, actor, reference_list: ReferenceList) -> None:
    require_admin(actor)
    if reference_list.is_system:
        raise ValidationError(_("A system list cannot be deleted; hide its items instead."))
    if reference_list.field_definitions.exists():
        raise ValidationError(_("Custom fields use this list; delete those fields first."))
    record_delete(reference_list, actor=actor)
    reference_list.delete()


@transaction.atomic
def add_reference_item(
    *,
    actor,
    reference_list: ReferenceList,
    key: str,
    label: str,
    labels: dict | None = None,
    order: int | None = None,
    is_active: bool = True,
) -> ReferenceItem:
    require_admin(actor)
    if order is None:
        last = reference_list.items.aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
    item = ReferenceItem(
        reference_list=reference_list,
        key=key,
        label=label,
        labels=labels or {},
        order=order,
        is_active=is_active,
    )
    _save(item)
    record_create(item, actor=actor)
    return item


@transaction.atomic
def update_reference_item(*, actor, item: ReferenceItem, **fields) -> ReferenceItem:
    """Relabel, reorder or retire an item (``is_active=False``); records keep its key."""
    require_admin(actor)
    _update(item, actor=actor, fixed={"key", "reference_list"}, fields=fields)
    return item


@transaction.atomic
def create_field_definition(
    *,
    actor,
    entity: str,
    key: str,
    label: str,
    type: str,
    labels: dict | None = None,
    required: bool = False,
    is_active: bool = True,
    section: str = "",
    order: int | None = None,
    reference_list: ReferenceList | None = None,
    help_text: str = "",
    options: dict | None = None,
) -> FieldDefinition:
    require_admin(actor)
    try:
        access.get_entity(entity)
    except KeyError:
        raise ValidationError({"entity": [_("Unknown entity.")]}) from None
    if order is None:
        last = FieldDefinition.objects.filter(entity=entity).aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
    definition = FieldDefinition(
        entity=entity,
        key=key,
        label=label,
        labels=labels or {},
        type=type,
        required=required,
        is_active=is_active,
        section=section,
        order=order,
        reference_list=reference_list,
        help_text=help_text,
        options=options or {},
    )
    _save(definition)
    record_create(definition, actor=actor)
    transaction.on_commit(partial(create_sort_indexes, definition), robust=True)
    return definition


@transaction.atomic
def update_field_definition(*, actor, definition: FieldDefinition, **fields) -> FieldDefinition:
    """Relabel, reorder, hide or change the rules of a field; stored values are untouched."""
    require_admin(actor)
    _update(definition, actor=actor, fixed=FIXED_FIELDS, fields=fields)
    return definition


def delete_field_definition(
    *,
    actor,
    definition: FieldDefinition,
    models: list[type[Model]] | None = None,
    batch_size: int = 500,
) -> int:
    """Delete the definition, then remove its key from the stored JSON of ``models``.

    ``models`` defaults to the entity's registered model. Each batch is its own transaction, so
    a large table is never locked at once; if the job stops half way, ``purge_custom_key`` finishes
    it (the validator already refuses the key). Returns the number of records rewritten.
    """
    require_admin(actor)
    entity, key = definition.entity, definition.key
    with transaction.atomic():
        record_delete(definition, actor=actor)
        drop_sort_indexes(definition)
        definition.delete()
    if models is None:
        registered = access.get_entity(entity).model
        models = [registered] if registered is not None else []
    return sum(purge_custom_key(model=model, key=key, batch_size=batch_size) for model in models)


def purge_custom_key(
    *, model: type[Model], key: str, field: str = "custom", batch_size: int = 500
) -> int:
    rewritten = 0
    while True:
        with transaction.atomic():
            rows = list(
                model._default_manager.select_for_update()
                .filter(has_key(field, key))
                .only("pk", field)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return rewritten
            for row in rows:
                getattr(row, field).pop(key, None)
            model._default_manager.bulk_update(rows, [field])
            rewritten += len(rows)
