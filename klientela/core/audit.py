"""Record who changed what on any model, from which value to which.

Services call ``snapshot`` before a change and ``record_update`` after it (or ``record_create`` /
``record_delete``); nothing is recorded by signals, so each write decides what it audits.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language

from .models import AuditEntry


def _display(obj: models.Model, field: models.Field) -> Any:
    if field.choices and not field.many_to_many:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.name)
    if isinstance(field, models.ForeignKey):
        return None if value is None else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)  # "0:12:00": entries are JSON
    if isinstance(value, models.Model):
        return str(value)
    return value


def _audited_fields(obj: models.Model, fields: list[str] | None) -> list[models.Field]:
    skipped = {"password", "last_login", "id"}
    concrete = [
        field
        for field in obj._meta.concrete_fields
        if field.name not in skipped and not getattr(field, "auto_now", False)
    ]
    if fields is None:
        return concrete
    return [field for field in concrete if field.name in fields]


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of ``obj`` as shown to people, to compare after a change."""
    return {field.name: _display(obj, field) for field in _audited_fields(obj, fields)}


def _label(obj: models.Model, name: str) -> str:
    return _field_label(obj._meta.model, name, get_language())


@lru_cache(maxsize=4096)
def _field_label(model: type[models.Model], name: str, language: str | None) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _entry(obj, kind: str, actor, changes: dict, *, save: bool = True) -> AuditEntry:
    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )
    if save:
        entry.save()
    return entry


def record_create(
    obj: models.Model,
    *,
    actor,
    fields: list[str] | None = None,
    extra: dict | None = None,
    save: bool = True,
) -> AuditEntry:
    """The "created" entry; ``save=False`` leaves it unsaved for a bulk insert."""
    values = snapshot(obj, fields)
    changes = {
        name: {"label": _label(obj, name), "old": None, "new": value}
        for name, value in values.items()
        if value not in (None, "", [], {})
    }
    changes.update(extra or {})
    return _entry(obj, AuditEntry.Kind.CREATE, actor, changes, save=save)


def record_update(
    obj: models.Model,
    before: dict[str, Any],
    *,
    actor,
    extra: dict | None = None,
    save: bool = True,
) -> AuditEntry | None:
    """Compare ``obj`` with the ``before`` snapshot; an entry only if something changed
    (``save=False`` leaves it unsaved for a bulk insert)."""
    after = snapshot(obj, list(before))
    changes = {
        name: {"label": _label(obj, name), "old": before[name], "new": after[name]}
        for name in before
        if before[name] != after[name]
    }
    changes.update(extra or {})
    if not changes:
        return None
    return _entry(obj, AuditEntry.Kind.UPDATE, actor, changes, save=save)


def record_saved(
    obj: models.Model, before: dict[str, Any] | None, *, actor, fields: list[str] | None = None
) -> AuditEntry | None:
    """After a service saved ``obj``: the "created" entry when there was no ``before`` snapshot
    (a new record), else the changes since it."""
    if before is None:
        return record_create(obj, actor=actor, fields=fields)
    return record_update(obj, before, actor=actor)


def record_delete(obj: models.Model, *, actor) -> AuditEntry:
    return _entry(obj, AuditEntry.Kind.DELETE, actor, {})


def history_for(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")
