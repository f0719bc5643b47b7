"""Custom values as people and API clients see them: display text and field descriptions."""

from __future__ import annotations

from typing import Any

from klientela.core.models import FieldDefinition

from .definitions import load_definitions
from .types import get_type
from .validation import is_empty


def custom_display(
    entity: str,
    custom: dict | None,
    language: str | None,
    *,
    definitions: list[FieldDefinition] | None = None,
) -> list[tuple[str, str, str]]:
    """``[(section, label, shown value)]`` for the active fields that hold a value, in order."""
    if definitions is None:
        definitions = load_definitions(entity)
    custom = custom or {}
    rows = []
    for definition in definitions:
        value = custom.get(definition.key)
        if not definition.is_active or is_empty(value):
            continue
        shown = get_type(definition.type).display(definition, value, language)
        rows.append((definition.section, definition.label_in(language), shown))
    return rows


def active_custom_values(
    entity: str, custom: dict | None, *, definitions: list[FieldDefinition] | None = None
) -> dict[str, Any]:
    """The stored values of active fields only: what the API shows and accepts back."""
    if definitions is None:
        definitions = load_definitions(entity)
    active = {definition.key for definition in definitions if definition.is_active}
    return {key: value for key, value in (custom or {}).items() if key in active}


def describe_definition(definition: FieldDefinition, language: str | None = None) -> dict:
    field_type = get_type(definition.type)
    description = {
        "key": definition.key,
        "label": definition.label_in(language),
        "labels": {"default": definition.label, **definition.labels},
        "type": definition.type,
        "required": definition.required,
        "section": definition.section,
        "order": definition.order,
        "help_text": definition.help_text,
        "options": definition.options,
        "lookups": list(field_type.lookups),
        "sortable": field_type.sortable,
        "reference_list": None,
        "choices": [],
    }
    if definition.reference_list is not None:
        description["reference_list"] = definition.reference_list.key
        description["choices"] = [
            {"key": item.key, "label": item.label_in(language)}
            for item in definition.reference_list.items.all()
            if item.is_active
        ]
    return description


def describe_custom_fields(entity: str, language: str | None = None) -> list[dict]:
    """JSON-ready descriptions of the entity's active fields, for ``GET /custom-fields``."""
    return [describe_definition(definition, language) for definition in load_definitions(entity)]
