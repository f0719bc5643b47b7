# ruff: noqa: RUF001 (names in Russian and typographic dashes are meant)
"""The demo loader fills an empty base quickly, the same way every time."""

import time

from django.db.models import Count

from klientela.core.fulltext import find_ids
from klientela.core.models import FieldDefinition
from klientela.customers.demo import DEMO, load_customers
from klientela.customers.models import Membership, Organization, Person, Phone
from klientela.customers.services import find_duplicates


def test_demo_loads_on_an_empty_base(company):
    users = [user for user in company.values() if user.team_id]
    context = {"users": users, "admin": company["admin"]}
    assert not DEMO.is_loaded()

    started = time.monotonic()
    load_customers(context)
    elapsed = time.monotonic() - started

    assert DEMO.is_loaded()
    assert elapsed < 30
    assert 250 <= Organization.objects.count() <= 400
    assert 400 <= Person.objects.count() <= 900
    assert Organization.objects.filter(parent__isnull=False).count() == 12
    assert Membership.objects.filter(role__key="director").count() >= 280
    assert Phone.objects.filter(is_valid=False).exists()
    assert Phone.objects.filter(is_valid=True).count() > Phone.objects.count() * 0.85
    assert FieldDefinition.objects.filter(entity="organization").count() == 3
    assert Organization.objects.filter(custom__has_key="annual_revenue").exists()
    assert {user.pk for user in users} == set(
        Organization.objects.values_list("responsible", flat=True)
    )
    for language_sample in ("ООО", "Sp. z o.o.", "d.o.o.", "Ltd"):
        assert Organization.objects.filter(legal_name__contains=language_sample).exists()
    assert len(context["organizations"]) == Organization.objects.count()
    assert find_ids(Person, "Kowalsk")


def test_demo_has_duplicates_to_merge(company):
    load_customers({"users": [company["n_manager1"]], "admin": company["admin"]})

    repeated = Organization.objects.values("tax_number").annotate(count=Count("id")).filter(count=2)
    assert len(repeated) == 2
    copy = Organization.objects.filter(tax_number=repeated[0]["tax_number"]).order_by("id").last()
    phones = [phone.raw for phone in copy.phones.all()]
    found = find_duplicates(
        entity="organization",
        data={"tax_number": copy.tax_number, "phones": phones},
        user=company["admin"],
        exclude_id=copy.pk,
    )
    assert [set(candidate.reasons) for candidate in found] == [{"phone", "tax_number"}]
