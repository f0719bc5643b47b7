"""The one validator of custom values, used by forms, the API and imports alike.

``validate_custom_values`` returns ``{key: JSON value}``; ``None`` means "no value" and removes the
key when merged. Errors are a ``ValidationError`` whose dict is keyed ``"custom.<key>"`` (and
``"custom"`` when the data is not an object at all).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from klientela.core.models import FieldDefinition

from .definitions import error_key, load_definitions
from .types import get_type


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict) and "amount" in value:
        return value["amount"] in (None, "")
    return value is None or value in ([], (), {}, set())


def validate_custom_values(
    entity: str,
    data: dict | None,
    *,
    partial: bool = False,
    definitions: list[FieldDefinition] | None = None,
) -> dict[str, Any]:
    """Clean ``data`` against the entity's active field definitions.

    Unknown keys and keys of inactive fields are refused. Without ``partial`` every active field is
    checked (a missing required field is an error) and the result has every active key; with it
    only the keys given are. Pass ``definitions`` (from ``load_definitions(entity,
    include_inactive=True)``) to validate many records with the same queries.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(
            {"custom": [_("Custom fields must be an object of keys and values.")]}
        )
    if definitions is None:
        definitions = load_definitions(entity, include_inactive=True)
    by_key = {definition.key: definition for definition in definitions}
    errors: dict[str, list] = {}
    for key in data:
        definition = by_key.get(key)
        if definition is None:
            errors[error_key(str(key))] = [_("There is no such field.")]
        elif not definition.is_active:
            errors[error_key(key)] = [_("This field is no longer in use.")]
    cleaned: dict[str, Any] = {}
    for definition in definitions:
        if not definition.is_active or (partial and definition.key not in data):
            continue
        value = data.get(definition.key)
        if not is_empty(value):
            try:
                value = get_type(definition.type).clean(definition, value)
            except ValidationError as error:
                errors[error_key(definition.key)] = error.messages
                continue
        if is_empty(value) and definition.required:
            errors[error_key(definition.key)] = [_("This field is required.")]
            continue
        cleaned[definition.key] = None if is_empty(value) else value
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge_custom_values(current: dict | None, cleaned: dict[str, Any]) -> dict[str, Any]:
    """Apply cleaned values to stored ones; values of other (hidden) fields are kept."""
    merged = dict(current or {})
    for key, value in cleaned.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
