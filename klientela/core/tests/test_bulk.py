"""core.bulk: what thousands of rows are written with, checked against what save() writes."""

import datetime

import pytest
from django.utils import timezone

from klientela.core.bulk import bulk_insert, bulk_save
from klientela.customers.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_bulk_insert_gives_pks_and_writes_every_kind_of_value(company):
    admin_user = company["admin"]
    people = [
        Person(
            first_name=f"Ann{n}",
            last_name="Lee",
            birthday=datetime.date(1990, 1, n + 1),
            custom={"score": n},
            responsible=admin_user,
        )
        for n in range(3)
    ]
    bulk_insert(people)
    assert all(person.pk for person in people)
    stored = Person.objects.get(pk=people[2].pk)
    assert (stored.first_name, stored.birthday, stored.custom) == (
        "Ann2",
        datetime.date(1990, 1, 3),
        {"score": 2},
    )
    assert stored.responsible_id == admin_user.pk and stored.created_at is not None


def test_bulk_save_writes_what_save_would(company):
    admin_user = company["admin"]
    organizations = [Organization(legal_name=f"Firm {n}", responsible=admin_user) for n in range(3)]
    bulk_insert(organizations)
    created = {organization.pk: organization.created_at for organization in organizations}
    before = timezone.now()
    for n, organization in enumerate(organizations):
        organization.legal_name = f"Firm {n} Ltd"
        organization.description = "" if n else "The first one"
        organization.custom = {"size": n} if n else {}
        organization.responsible = None if n == 1 else admin_user
        organization.derive_fields()
    bulk_save(organizations)
    for organization in Organization.objects.filter(pk__in=created).order_by("pk"):
        n = int(organization.legal_name.split()[1])
        assert organization.name == f"Firm {n} Ltd"
        assert organization.custom == ({"size": n} if n else {})
        assert organization.description == ("" if n else "The first one")
        assert organization.responsible_id == (None if n == 1 else admin_user.pk)
        assert organization.updated_at >= before  # auto_now, as save() sets it
        assert organization.created_at == created[organization.pk]
