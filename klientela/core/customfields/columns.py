"""Custom fields as optional list columns: ``ListDefinition(extra_columns=custom_columns(...))``."""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.utils.translation import get_language

from klientela.core.lists import Column

from .definitions import load_definitions
from .types import get_type


def _custom_cell(definition, language: str, users: dict, record):
    value = record.custom.get(definition.key)
    if value in (None, "", []):
        return ""
    if definition.type == "user":
        if not users:
            # Every user at once: one query for the page rather than one per cell.
            users.update((user.pk, str(user)) for user in get_user_model().objects.all())
        return users.get(value, f"#{value}")
    if definition.type == "number":
        return value
    return get_type(definition.type).display(definition, value, language)


def custom_columns(entity: str):
    """``extra_columns`` of a list: one optional column per active custom field."""

    def columns() -> list[Column]:
        language = get_language()
        users: dict[int, str] = {}
        found = []
        for definition in load_definitions(entity):
            field_type = get_type(definition.type)
            sort = field_type.sort_expression(definition, "custom") if field_type.sortable else None
            found.append(
                Column(
                    f"custom.{definition.key}",
                    definition.label_in(language),
                    sort=sort,
                    value=partial(_custom_cell, definition, language, users),
                    numeric=definition.type in ("number", "money"),
                )
            )
        return found

    return columns
