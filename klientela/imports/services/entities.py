"""What can be imported: a registry of entities, each with its fields and how a cleaned row
becomes a card. Organizations and people register here; deals and products add their own
``ImportEntity`` from their app's ``ready()`` with ``register_import_entity``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise

from klientela.core.models import FieldDefinition


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str | Promise
    # text / name / phone / email / website / date / number / reference / custom
    kind: str = "text"
    list_key: str = ""  # for references
    multiple: bool = False  # several columns may map here (phones, emails)
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportEntity:
    key: str  # the access-core entity key
    label: str | Promise
    model: type[models.Model]
    fields: tuple[ImportField, ...]
    # create(actor, data) / update(actor, record, data) call the app's services.
    create: Callable[..., models.Model]
    update: Callable[..., models.Model]
    delete: Callable[..., None]
    # snapshot(record) -> dict of service arguments that restore the card (undo).
    snapshot: Callable[[models.Model], dict]
    # Optional bulk path: prepare(actor, data) -> an unsaved checked card (ValidationError);
    # insert(actor, records) writes many prepared cards at once.
    prepare: Callable[..., models.Model] | None = None
    insert: Callable[..., None] | None = None
    # Optional bulk path for rows that add to existing records: prepare_addition(actor,
    # record, data) checks (ValidationError); write_additions(actor, records) writes many.
    prepare_addition: Callable[..., models.Model] | None = None
    write_additions: Callable[..., None] | None = None
    # the service arguments for duplicate detection
    duplicate_keys: tuple[str, ...] = ("phones", "emails")
    # a field whose equal values (in any case) are the same record, such as a product's SKU
    natural_key: str = ""
    # who may import; by default whoever the access core lets import ``model``
    permitted: Callable[[Any], bool] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def all_fields(self) -> list[ImportField]:
        custom = [
            ImportField(
                key=f"custom.{definition.key}",
                label=definition.label,
                kind="custom",
                synonyms=tuple(str(label) for label in (definition.labels or {}).values()),
            )
            for definition in FieldDefinition.objects.filter(entity=self.key, is_active=True)
        ]
        return [*self.fields, *custom]


_ENTITIES: dict[str, ImportEntity] = {}


def register_import_entity(entity: ImportEntity) -> None:
    _ENTITIES[entity.key] = entity


def import_entities() -> dict[str, ImportEntity]:
    return dict(_ENTITIES)


def get_entity(key: str) -> ImportEntity:
    return _ENTITIES[key]
