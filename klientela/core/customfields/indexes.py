"""Sort indexes of custom fields on PostgreSQL: sorting a large list by a number stays a walk.

Without an index, "people with loyalty gold, highest lifetime value first" reads every matching
row and sorts them (on a million people: 135,000 rows, about 300 ms); with an index on the sort
expression PostgreSQL walks it in order and stops after a page (about 4 ms). So each number and
money field gets two B-tree indexes of exactly the expression ``custom_order_by`` sorts by: one
ascending, one descending, both with the records without a value last, as lists show them.

Only numbers and money: their values are short, so an index entry never outgrows a B-tree page
(a long text could), and their expressions are immutable (a cast to a date is not). The service
creates them when a field is added (after the commit, without locking the table) and drops them
with the field. Nothing happens on SQLite, whose embedded bases stay small.
"""

from __future__ import annotations

import hashlib

from django.db import connection
from django.db.models.sql import Query

from klientela.core import access

from .types import get_type

INDEXED_TYPES = ("number", "money")
DIRECTIONS = ("asc", "desc")


def _model(definition):
    try:
        return access.get_entity(definition.entity).model
    except KeyError:
        return None


def index_name(table: str, key: str, direction: str) -> str:
    digest = hashlib.md5(f"{table}.{key}".encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{table[:24]}_{key[:20]}_{digest}_{direction}"


def sort_expression_sql(model, definition) -> str:
    """The SQL of the field's sort expression, as the ORM writes it in ORDER BY."""
    expression = get_type(definition.type).sort_expression(definition, "custom")
    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(expression.resolve_expression(query))
    return connection.ops.compose_sql(sql, params)


def sort_indexes(definition) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement without CONCURRENTLY) of each index the field needs."""
    model = _model(definition)
    if connection.vendor != "postgresql" or definition.type not in INDEXED_TYPES or model is None:
        return []
    table = model._meta.db_table
    expression = sort_expression_sql(model, definition)
    quote = connection.ops.quote_name
    return [
        (
            index_name(table, definition.key, direction),
            f"CREATE INDEX IF NOT EXISTS {quote(index_name(table, definition.key, direction))} "
            f"ON {quote(table)} (({expression}) {direction.upper()} NULLS LAST)",
        )
        for direction in DIRECTIONS
    ]


def create_sort_indexes(definition) -> None:
    """Build the field's sort indexes; without blocking writes unless inside a transaction."""
    with connection.cursor() as cursor:
        for _name, statement in sort_indexes(definition):
            if not connection.in_atomic_block:
                statement = statement.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY", 1)
            cursor.execute(statement)


def drop_sort_indexes(definition) -> None:
    with connection.cursor() as cursor:
        for name, _statement in sort_indexes(definition):
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
