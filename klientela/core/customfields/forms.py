"""Custom fields on Django forms: fields named ``custom.<key>``, grouped by section.

The names match the error keys of ``validate_custom_values``, so a form passes the validator's
``ValidationError`` straight to ``form.add_error(None, error)``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from klientela.core.models import FieldDefinition

from .definitions import ERROR_PREFIX, error_key, load_definitions
from .types import get_type
from .validation import is_empty


def custom_form_fields(
    entity: str, language: str | None, *, definitions: list[FieldDefinition] | None = None
) -> dict[str, dict[str, forms.Field]]:
    """``{section: {"custom.<key>": form field}}`` for the active fields, in display order."""
    if definitions is None:
        definitions = load_definitions(entity)
    sections: dict[str, dict[str, forms.Field]] = {}
    for definition in definitions:
        if not definition.is_active:
            continue
        field = get_type(definition.type).form_field(definition, language)
        field.label = definition.label_in(language)
        field.help_text = definition.help_text
        field.required = definition.required
        sections.setdefault(definition.section, {})[error_key(definition.key)] = field
    return sections


def custom_initial(
    entity: str, custom: dict | None, *, definitions: list[FieldDefinition] | None = None
) -> dict[str, Any]:
    """Initial form values for a record's stored custom values."""
    if definitions is None:
        definitions = load_definitions(entity)
    custom = custom or {}
    initial = {}
    for definition in definitions:
        value = custom.get(definition.key)
        if definition.is_active and not is_empty(value):
            initial[error_key(definition.key)] = get_type(definition.type).to_form(
                definition, value
            )
    return initial


def custom_values_from_form(cleaned_data: dict[str, Any]) -> dict[str, Any]:
    """``{key: value}`` from a form's cleaned data, ready for ``validate_custom_values``."""
    return {
        name.removeprefix(ERROR_PREFIX): value
        for name, value in cleaned_data.items()
        if name.startswith(ERROR_PREFIX)
    }
