"""Sort indexes of custom number and money fields: made with the field, used by its sorting."""

import pytest
from django.db import connection

from klientela.core import access, customfields
from klientela.core.customfields import indexes, services
from tests.accessapp.models import Gadget

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="indexes are made on PostgreSQL")


@pytest.fixture
def gadget_entity(db):
    access.register_entity("gadget", label="Gadget", model=Gadget)
    yield "gadget"
    access.unregister_entity("gadget")


def define(key: str, type: str, capture):
    with capture(execute=True):
        return services.create_field_definition(
            actor=None, entity="gadget", key=key, label=key.capitalize(), type=type
        )


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s", ["accessapp_gadget"]
        )
        return {row[0] for row in cursor.fetchall()}


@postgresql_only
def test_number_and_money_fields_get_an_index_each_way(
    gadget_entity, django_capture_on_commit_callbacks
):
    # when an administrator adds a number and a money field
    employees = define("employees", "number", django_capture_on_commit_callbacks)
    revenue = define("revenue", "money", django_capture_on_commit_callbacks)

    # then each has an ascending and a descending index
    expected = {
        name for field in (employees, revenue) for name, _sql in indexes.sort_indexes(field)
    }
    assert len(expected) == 4
    assert expected <= index_names()


@pytest.mark.parametrize("kind", ["text", "long_text", "date", "boolean"])
def test_other_types_get_none(gadget_entity, django_capture_on_commit_callbacks, kind):
    definition = define("other", kind, django_capture_on_commit_callbacks)

    assert indexes.sort_indexes(definition) == []


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite bases stay small")
def test_nothing_is_indexed_on_sqlite(gadget_entity, django_capture_on_commit_callbacks):
    definition = define("employees", "number", django_capture_on_commit_callbacks)

    assert indexes.sort_indexes(definition) == []


@postgresql_only
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_the_field_walks_its_index(
    gadget_entity, django_capture_on_commit_callbacks, descending
):
    # given a number field and gadgets holding values
    define("employees", "number", django_capture_on_commit_callbacks)
    Gadget.objects.bulk_create(
        Gadget(name=f"Gadget {number}", custom={"employees": number} if number % 3 else {})
        for number in range(30)
    )
    order = customfields.custom_order_by("gadget", "employees", descending)

    # when PostgreSQL plans the first page of the sorted list (a table this small would
    # rather be read whole, so reading it whole is ruled out)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Gadget.objects.order_by(order, "pk")[:10].explain()

    # then it walks the index of that direction
    name = indexes.index_name("accessapp_gadget", "employees", "desc" if descending else "asc")
    assert f"Index Scan using {name}" in plan


@postgresql_only
def test_deleting_the_field_drops_its_indexes(gadget_entity, django_capture_on_commit_callbacks):
    definition = define("employees", "number", django_capture_on_commit_callbacks)
    names = {name for name, _sql in indexes.sort_indexes(definition)}

    services.delete_field_definition(actor=None, definition=definition)

    assert not names & index_names()
