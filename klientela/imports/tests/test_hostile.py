"""Hostile cells never crash the import and never leave half a row behind."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klientela.customers.models import Organization, Person
from klientela.customers.services import sync_reference_lists
from klientela.imports.services import batches

from .conftest import csv_bytes, run

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+7 (999) 000-00-00 ext 1234567890123",
            "@SUM(1+1)",
            "\x00\x01\x1b[31m",
            "x" * 20_000,
            "Фирма «Ромашка»",
            "not-an-email@",
            "8 800 555 35 35",
            "31.02.2020",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.mark.django_db(transaction=True)
def test_hostile_rows_land_whole_or_not_at_all(company):
    sync_reference_lists()
    head = company["n_head"]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.lists(HOSTILE, min_size=6, max_size=6), min_size=1, max_size=4))
    def check(rows):
        Person.objects.all().delete()
        Organization.objects.all().delete()
        header = ["Name", "Phone", "E-mail", "Company", "Birthday", "Source"]
        batch = run(head, "person", csv_bytes([header, *rows]), region="RU", duplicates="create")
        assert batch.status == "done"
        assert batch.created + batch.failed + batch.updated + batch.skipped == batch.rows
        # Every person written has all the row gave: a name, and a phone for each valid one.
        for person in Person.objects.all():
            assert person.first_name or person.last_name
        people_with_company = Person.objects.filter(memberships__isnull=False).count()
        assert people_with_company <= Person.objects.count()
        # Organizations only appear for rows that landed.
        assert Organization.objects.count() <= batch.created

    check()


@pytest.mark.django_db(transaction=True)
def test_a_row_with_one_bad_cell_writes_nothing(company):
    sync_reference_lists()
    rows = [["Name", "Phone", "Company", "E-mail"], ["Ann Lee", "+1 202 555 0143", "Acme", "bad@"]]
    batch = run(company["n_head"], "person", csv_bytes(rows))
    assert (batch.created, batch.failed) == (0, 1)
    assert not Person.objects.exists() and not Organization.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_organization_of_a_refused_row_is_not_reused(company):
    sync_reference_lists()
    rows = [["Name", "Company", "Phone"], ["", "Acme", "+1 202 555 0143"], ["Ann Lee", "Acme", ""]]
    batch = run(company["n_head"], "person", csv_bytes(rows))
    assert (batch.created, batch.failed) == (1, 1)
    assert Person.objects.get().memberships.get().organization.name == "Acme"


def test_cleaning_a_row_never_raises_on_wrong_types(db, company):
    sync_reference_lists()
    from datetime import datetime

    from django.core.files.base import ContentFile

    batch = batches.create_import(
        actor=company["n_head"],
        entity="person",
        upload=ContentFile(csv_bytes([["Name", "Phone", "Birthday", "E-mail"]])),
        filename="x.csv",
    )
    spec = batches.get_entity("person")
    for cells in (
        [12.5, True, datetime(2020, 1, 1), None],
        [None, None, None, None],
        [[1], {"a": 1}, b"bytes", 3],
    ):
        row = batches.clean_row(batch, spec, 2, cells, actor=company["n_head"])
        assert isinstance(row.errors, list)
