"""Inserting thousands of rows at once: PostgreSQL's COPY there, ``bulk_create`` elsewhere.

``bulk_create`` on PostgreSQL sends one INSERT with a placeholder per value, and turning tens of
thousands of values into SQL text costs more than the database's own work. COPY streams the
rows instead. Primary keys are taken from the table's sequence first, so the objects have them
afterwards, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router

_MISSING = object()
_SEQUENCES: dict[str, str] = {}


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
    plain = [_plain_types(field) for field in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        _take_primary_keys(cursor, meta, [obj for obj in objects if obj.pk is None])
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                values = obj.__dict__
                copy.write_row(
                    [
                        value
                        if type(value := values.get(field.attname, _MISSING)) in as_is
                        else field.get_db_prep_save(field.pre_save(obj, True), connection)
                        for field, as_is in zip(fields, plain, strict=True)
                    ]
                )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using


def bulk_save(objects: Sequence[models.Model], batch_size: int = 1000) -> None:
    """Write every field of ``objects`` (all of one model, already in the database) as
    ``save()`` would, without its per-object round trip: one UPDATE joined to a list of values
    per ``batch_size`` objects on PostgreSQL (``bulk_update``'s CASE per field costs the
    database a comparison per object and row there), ``bulk_update`` elsewhere."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and not field.generated and not getattr(field, "auto_now_add", 0)
    ]
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        for obj in objects:
            for field in fields:
                field.pre_save(obj, False)  # auto_now
        model._default_manager.bulk_update(objects, [field.name for field in fields], batch_size)
        return
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = [meta.pk, *fields]
    row = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in columns) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    names = ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            values = []
            for obj in batch:
                values.append(obj.pk)
                values.extend(
                    field.get_db_prep_save(field.pre_save(obj, False), connection)
                    for field in fields
                )
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES "
                + ", ".join([row] * len(batch))
                + f") AS v({names}) WHERE {table}.{pk} = v.{pk}",
                values,
            )


def _take_primary_keys(cursor, meta, objects: list[models.Model]) -> None:
    if not objects:
        return
    # The sequence's name is read once: asked inside the query, it is looked up for every row
    # (9 ms instead of 1 ms per thousand keys).
    if meta.db_table not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        _SEQUENCES[meta.db_table] = cursor.fetchone()[0]
    sequence = _SEQUENCES[meta.db_table]
    cursor.execute(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(objects)]
    )
    for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
        obj.pk = pk


def _plain_types(field: models.Field) -> frozenset[type]:
    """The types of value that go to the database as they are in ``field``: asking the field
    (``get_db_prep_save``) for each of a chunk's hundred thousand values is most of the cost."""
    if isinstance(field, models.ForeignKey):
        return _plain_types(field.target_field)
    if type(field).pre_save is not models.Field.pre_save:  # auto_now and the like
        return frozenset()
    if isinstance(field, models.CharField | models.TextField):
        return frozenset({str, type(None)})
    if isinstance(field, models.BooleanField):
        return frozenset({bool, type(None)})
    if isinstance(field, models.IntegerField):
        return frozenset({int, type(None)})
    return frozenset()
