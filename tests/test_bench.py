"""The customer-base benchmark (bench/): its fast fill writes what the services would write, and
every scenario it measures answers. A small base here; the real run fills a million people."""

import sys
from pathlib import Path

import pytest
from django.db import connection

from klientela.accounts.models import User
from klientela.core.fulltext import normalize_text
from klientela.core.models import SearchEntry
from klientela.customers.models import Email, Membership, Organization, Person, Phone
from klientela.customers.services.search import organization_text, person_text

BENCH = Path(__file__).resolve().parent.parent / "bench"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmark fills PostgreSQL with COPY"
    ),
    # The fill forks worker processes and runs its own transaction.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    import fill
    import measure

    yield fill, measure
    sys.path.remove(str(BENCH))


@pytest.fixture
def filled(bench):
    fill, _measure = bench
    before = index_names(fill.TABLES), constraint_names(fill.TABLES)
    fill.fill(people=120, organizations=30, seed=7, workers=1, log=lambda message: None)
    yield before
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {fill.MARKER}")


def index_names(tables: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        return {row[0] for row in cursor.fetchall()}


def constraint_names(tables: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])", [tables]
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_fill_writes_the_rows_services_would_write(bench, filled):
    fill, _measure = bench

    # then the cards are there, each with its channels, and people work at organizations
    assert (Organization.objects.count(), Person.objects.count()) == (30, 120)
    assert not Person.objects.filter(phones=None).exists()
    assert not Person.objects.filter(emails=None).exists()
    assert Membership.objects.exists()
    # search entries are those index_record makes
    entries = {
        (entry.content_type.model, entry.object_id): (entry.text, entry.normalized)
        for entry in SearchEntry.objects.select_related("content_type")
    }
    expected = {}
    for person in Person.objects.prefetch_related("emails"):
        expected["person", person.pk] = person_text(person)
    for organization in Organization.objects.prefetch_related("emails", "websites"):
        expected["organization", organization.pk] = organization_text(organization)
    assert entries == {key: (text, normalize_text(text)) for key, text in expected.items()}
    # phones are normalized as set_phone does it, emails as the services store them
    for phone in Phone.objects.all():
        again = Phone()
        again.set_phone(phone.raw)
        assert (phone.e164, phone.digits, phone.digits_reversed, phone.is_valid) == (
            again.e164,
            again.digits,
            again.digits_reversed,
            again.is_valid,
        )
    addresses = Email.objects.values_list("address", flat=True)
    assert all(address == address.strip().lower() for address in addresses)
    # indexes and constraints are back (with the new fields' sort indexes), sequences follow,
    # and the base is marked complete
    indexes, constraints = filled
    added = index_names(fill.TABLES) - indexes
    assert len(added) == 4 and all(name.endswith(("_asc", "_desc")) for name in added)
    assert constraint_names(fill.TABLES) == constraints
    assert Person.objects.create(last_name="Next").pk == 121
    assert fill.filled_with()["people"] == 120


def test_every_scenario_answers_with_a_constant_number_of_queries(bench, filled):
    _fill, measure = bench
    admin = User.objects.get(username="bench_admin")

    # when every scenario runs a few requests
    results = measure.run(
        user=admin, requests=3, warmup=1, only="", seed=1, log=lambda message: None
    )

    # then none failed, and the list pages of 25 and 100 rows made the same queries
    assert len(results) == 18
    assert [result.scenario.name for result in results if result.errors] == []
    pages = [
        result.queries for result in results if "Page people: custom choice" in result.scenario.name
    ]
    assert len(pages) == 2 and pages[0] == pages[1]
