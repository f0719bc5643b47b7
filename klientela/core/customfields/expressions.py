"""Query expressions over one key of a JSON column, written so both databases can answer them.

Equality goes through ``JSONKeyIn``: on PostgreSQL it is ``custom @> '{"key": value}'``, which the
GIN index on ``custom`` answers; on SQLite it is ``json_extract``/``json_each``. Ranges and sorting
cast the key's text to a number or a date, so order is numeric and chronological, not textual.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import NotSupportedError, models
from django.db.models.fields.json import KeyTextTransform, KeyTransform, compile_json_path
from django.db.models.functions import Cast


class AnyNumeric(models.DecimalField):
    """Cast target without precision: ``::numeric`` on PostgreSQL, NUMERIC on SQLite."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 65)
        kwargs.setdefault("decimal_places", 30)
        super().__init__(*args, **kwargs)

    def db_type(self, connection) -> str:
        return "numeric"

    def get_db_prep_value(self, value, connection, prepared=False):
        # Keep the Decimal exact; the database compares it as a number.
        return value


class JSONKeyIn(models.Expression):
    """``field[key]`` equals one of ``values``; with ``many`` the stored list holds one of them."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, field: str, key: str, values: Sequence[Any], *, many: bool = False):
        super().__init__()
        self.source = models.F(field) if isinstance(field, str) else field
        self.key = key
        self.values = list(values)
        self.many = many

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, expressions):
        (self.source,) = expressions

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.source)
        if not self.values:
            return "1 = 0", []
        documents = [
            json.dumps({self.key: [value] if self.many else value}) for value in self.values
        ]
        sql = " OR ".join(f"{column} @> %s::jsonb" for _ in documents)
        return f"({sql})", [item for document in documents for item in (*params, document)]

    def as_sqlite(self, compiler, connection):
        column, params = compiler.compile(self.source)
        if not self.values:
            return "1 = 0", []
        path = compile_json_path([self.key])
        placeholders = ", ".join(["%s"] * len(self.values))
        if self.many:
            sql = (
                f"EXISTS (SELECT 1 FROM json_each({column}, %s) "
                f"WHERE json_each.value IN ({placeholders}))"
            )
        else:
            sql = f"json_extract({column}, %s) IN ({placeholders})"
        return sql, [*params, path, *self.values]

    def as_sql(self, compiler, connection):
        raise NotSupportedError("Custom fields support PostgreSQL and SQLite.")


def key_text(field: str, key: str, *subkeys: str) -> KeyTextTransform:
    """The value at ``field[key][subkey...]`` as text."""
    if not subkeys:
        return KeyTextTransform(key, field)
    expression = KeyTransform(key, field)
    for subkey in subkeys[:-1]:
        expression = KeyTransform(subkey, expression)
    return KeyTextTransform(subkeys[-1], expression)


def key_number(field: str, key: str, *subkeys: str) -> Cast:
    return Cast(key_text(field, key, *subkeys), AnyNumeric())


def key_date(field: str, key: str) -> Cast:
    return Cast(key_text(field, key), models.DateField())


def has_key(field: str, key: str) -> models.Q:
    return models.Q(**{f"{field}__has_key": key})
