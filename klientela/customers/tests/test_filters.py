"""The filter definition shared by the list pages and the API, used directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from klientela.core.customfields.services import create_field_definition
from klientela.core.models import ReferenceList
from klientela.customers.filters import (
    OrganizationFilter,
    PersonFilter,
    filter_records,
    order_records,
)
from klientela.customers.models import Organization, Person

from .factories import EmailFactory, OrganizationFactory, PersonFactory, PhoneFactory


def _names(filterset) -> list[str]:
    assert filterset.is_valid(), filterset.errors
    return sorted(str(record) for record in filterset.qs)


@pytest.fixture
def organizations(db):
    acme = OrganizationFactory(legal_name="Acme Trading", tax_number="PL5260250274")
    PhoneFactory(organization=acme, raw="+7 495 123-45-67", is_primary=True)
    EmailFactory(organization=acme, address="office@acme.example")
    globex = OrganizationFactory(legal_name="Globex")
    return {"acme": acme, "globex": globex}


@pytest.mark.parametrize(
    "text",
    [
        "acme",
        "trad",
        "+7 (495) 123-45-67",
        "8 495 123 45 67",
        "123-45-67",
        "office@acme",
        "PL 526-025-02-74",
    ],
)
def test_the_text_filter_finds_names_phones_emails_and_tax_numbers(organizations, text):
    filterset = OrganizationFilter({"q": text}, queryset=Organization.objects.all())

    assert _names(filterset) == ["Acme Trading"]


def test_an_unbound_filterset_filters_nothing(organizations):
    filterset = OrganizationFilter(None, queryset=Organization.objects.all())

    assert not filterset.is_bound
    assert sorted(map(str, filterset.qs)) == ["Acme Trading", "Globex"]


def test_the_filterset_narrows_the_queryset_it_is_given(organizations):
    only_globex = Organization.objects.filter(pk=organizations["globex"].pk)

    filterset = OrganizationFilter({"q": "acme"}, queryset=only_globex)

    assert _names(filterset) == []


def test_custom_fields_add_their_own_filters(organizations):
    # given a number, a choice and a text field
    sizes = ReferenceList.objects.create(key="sizes", name="Sizes")
    for order, key in enumerate(("small", "large")):
        sizes.items.create(key=key, label=key.title(), order=order)
    for key, kind, extra in (
        ("employees", "number", {}),
        ("size", "choice", {"reference_list": sizes}),
        ("motto", "text", {}),
        ("founded", "date", {}),
    ):
        create_field_definition(
            actor=None, entity="organization", key=key, label=key.title(), type=kind, **extra
        )
    Organization.objects.filter(pk=organizations["acme"].pk).update(
        custom={"employees": 250, "size": "large", "motto": "Ever forward", "founded": "1999-05-01"}
    )
    Organization.objects.filter(pk=organizations["globex"].pk).update(
        custom={"employees": 40, "size": "small"}
    )

    def names(**data) -> list[str]:
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        return _names(OrganizationFilter(query, queryset=Organization.objects.all()))

    # then every lookup is a parameter of its own
    filters = OrganizationFilter(None, queryset=Organization.objects.all()).filters
    assert {
        "custom.employees",
        "custom.employees__gte",
        "custom.employees__lte",
        "custom.employees__isnull",
        "custom.size",
        "custom.motto",
        "custom.motto__contains",
        "custom.founded__gte",
    } <= set(filters)
    assert names(**{"custom.employees__gte": "100"}) == ["Acme Trading"]
    assert names(**{"custom.employees": "40"}) == ["Globex"]
    assert names(**{"custom.size": ["small", "large"]}) == ["Acme Trading", "Globex"]
    assert names(**{"custom.size": "small"}) == ["Globex"]
    assert names(**{"custom.motto__contains": "FORWARD"}) == ["Acme Trading"]
    assert names(**{"custom.motto__isnull": "true"}) == ["Globex"]
    assert names(**{"custom.founded__lte": "2000-01-01"}) == ["Acme Trading"]


def test_an_invalid_value_is_an_error_on_its_parameter(organizations):
    create_field_definition(
        actor=None, entity="organization", key="employees", label="Employees", type="number"
    )

    with pytest.raises(ValidationError) as error:
        filter_records(
            OrganizationFilter,
            {"custom.employees__gte": "many", "industry": "piracy"},
            Organization.objects.all(),
        )

    assert set(error.value.message_dict) == {"custom.employees__gte", "industry"}


def test_people_filter_by_city_and_channels(db, company):
    berg = PersonFactory(last_name="Berg", responsible=company["n_manager1"])
    berg.addresses.create(city="Ljubljana", is_primary=True)
    PhoneFactory(person=berg, is_primary=True)
    PersonFactory(last_name="Lind", responsible=company["s_manager1"])

    def names(**data) -> list[str]:
        return _names(PersonFilter(data, queryset=Person.objects.all()))

    assert names(city="LJUBLJANA") == [str(berg)]
    assert names(has_phone=False) == [str(Person.objects.get(last_name="Lind"))]
    assert names(team=company["s_manager1"].team_id) == [str(Person.objects.get(last_name="Lind"))]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert names(created_after=tomorrow.isoformat()) == []


def test_order_records_sorts_by_fields_and_custom_fields(organizations):
    create_field_definition(
        actor=None, entity="organization", key="employees", label="Employees", type="number"
    )
    Organization.objects.filter(pk=organizations["acme"].pk).update(custom={"employees": 9})
    Organization.objects.filter(pk=organizations["globex"].pk).update(custom={"employees": 10})
    everything = Organization.objects.all()

    assert [str(o) for o in order_records(everything, "-custom.employees")] == [
        "Globex",
        "Acme Trading",
    ]
    assert [str(o) for o in order_records(everything, "-name")] == ["Globex", "Acme Trading"]
    assert list(order_records(everything, "")) == list(everything)
    with pytest.raises(ValidationError) as error:
        order_records(everything, "name,colour")
    assert "ordering" in error.value.message_dict


def test_a_number_the_type_cannot_hold_is_a_form_error(organizations):
    create_field_definition(
        actor=None, entity="organization", key="employees", label="Employees", type="number"
    )

    filterset = OrganizationFilter(
        {"custom.employees": "1.0000000000000001"}, queryset=Organization.objects.all()
    )

    assert not filterset.is_valid()
    assert "custom.employees" in filterset.errors
    assert sorted(map(str, filterset.qs)) == ["Acme Trading", "Globex"]
