"""Inserting thousands of rows at once: PostgreSQL's COPY there, ``bulk_create`` elsewhere.

``bulk_create`` on PostgreSQL sends one INSERT with a placeholder per value, and turning tens of
thousands of values into SQL text costs more than the database's own work. COPY streams the
rows instead. Primary keys are taken from the table's sequence first, so the objects have them
afterwards, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def bulk_insert(objects: Sequence[models.Model]) -> None:
    """Insert ``objects`` (all of one model, not yet saved) in one go; they get their pks."""
    if not objects:
        return
    model = type(objects[0])
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_create(objects)
        return
    meta = model._meta
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")
    fields = [field for field in meta.concrete_fields if not field.generated]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        _take_primary_keys(cursor, meta, [obj for obj in objects if obj.pk is None])
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(obj, True), connection)
                        for field in fields
                    ]
                )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using


def _take_primary_keys(cursor, meta, objects: list[models.Model]) -> None:
    if not objects:
        return
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, len(objects)],
    )
    for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
        obj.pk = pk


def _db_value(field: models.Field, obj: models.Model, connection):
    return field.get_db_prep_save(field.pre_save(obj, True), connection)
