"""Filtering and sorting records by custom values, on PostgreSQL and SQLite alike.

Lookups per type: ``equals`` (text, number, date, boolean, choice, user; for multi-choice: holds
the value), ``in`` (choice, multi-choice: holds any of them, user), ``contains`` (text, long
text; case-insensitive), ``range`` (number, money, date: ``{"min": a, "max": b}`` or ``(a, b)``,
either end optional; money may add ``"currency"``) and ``isnull`` (every type; ``True`` = no
value). ``field`` names the JSON column, across joins too: ``"organization__custom"``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from klientela.core.models import FieldDefinition

from .definitions import load_definitions
from .types import get_type


def find_definition(
    entity: str, key: str, definitions: list[FieldDefinition] | None = None
) -> FieldDefinition:
    if definitions is None:
        definitions = load_definitions(entity, include_inactive=True)
    for definition in definitions:
        if definition.key == key:
            return definition
    raise ValidationError(_("There is no custom field “%(key)s”."), params={"key": key})


def custom_filter_q(
    entity: str,
    key: str,
    lookup: str,
    value: Any,
    *,
    field: str = "custom",
    definitions: list[FieldDefinition] | None = None,
) -> models.Q:
    """A filter on one custom field: ``custom_filter_q("organization", "size", "in", ["s"])``."""
    definition = find_definition(entity, key, definitions)
    field_type = get_type(definition.type)
    if lookup not in field_type.lookups:
        raise ValidationError(
            _("The field “%(field)s” cannot be filtered with “%(lookup)s”."),
            params={"field": definition.label, "lookup": lookup},
        )
    return field_type.filter_q(definition, lookup, value, field)


def custom_order_by(
    entity: str,
    key: str,
    descending: bool = False,
    *,
    field: str = "custom",
    definitions: list[FieldDefinition] | None = None,
) -> OrderBy:
    """An ``order_by`` term: numeric for numbers and money, by date for dates, records without
    a value last."""
    definition = find_definition(entity, key, definitions)
    field_type = get_type(definition.type)
    if not field_type.sortable:
        raise ValidationError(
            _("The field “%(field)s” cannot be sorted."), params={"field": definition.label}
        )
    expression = field_type.sort_expression(definition, field)
    if descending:
        return expression.desc(nulls_last=True)
    return expression.asc(nulls_last=True)
