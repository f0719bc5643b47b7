# ruff: noqa: RUF001 (names in Russian and typographic dashes are meant)
"""Duplicate detection: phone however typed, email of any case, tax number, similar name."""

import pytest

from klientela.customers.services import find_duplicates
from klientela.customers.services.duplicates import core_name

from .factories import (
    AddressFactory,
    EmailFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)


@pytest.fixture
def romashka(company):
    organization = OrganizationFactory(
        legal_name='ООО "Ромашка"', tax_number="7707083893", responsible=company["n_manager1"]
    )
    PhoneFactory(organization=organization, raw="+7 (495) 123-45-67")
    EmailFactory(organization=organization, address="info@romashka.ru")
    AddressFactory(organization=organization, city="Москва")
    return organization


def reasons(candidates):
    return [(candidate.id, list(candidate.reasons)) for candidate in candidates]


@pytest.mark.parametrize("typed", ["8 495 123 45 67", "84951234567", "+7 495 1234567"])
def test_same_phone_typed_differently(company, romashka, typed):
    found = find_duplicates(
        entity="organization", data={"phones": [{"number": typed}]}, user=company["n_manager2"]
    )

    assert reasons(found) == [(romashka.pk, ["phone"])]


def test_same_email_in_another_case(company, romashka):
    found = find_duplicates(
        entity="organization", data={"emails": [" INFO@Romashka.ru"]}, user=company["n_head"]
    )

    assert reasons(found) == [(romashka.pk, ["email"])]


@pytest.mark.parametrize("typed", ["7707083893", "77-07-083893", "RU7707083893"])
def test_same_tax_number(company, romashka, typed):
    found = find_duplicates(
        entity="organization", data={"tax_number": typed}, user=company["admin"]
    )

    assert reasons(found) == [(romashka.pk, ["tax_number"])]


def test_similar_name_in_the_same_city_only(company, romashka):
    same_city = {"legal_name": "Ромашка ООО", "addresses": [{"city": "москва"}]}
    other_city = {"legal_name": "Ромашка ООО", "addresses": [{"city": "Казань"}]}
    other_name = {"legal_name": "Василёк", "city": "Москва"}

    user = company["admin"]
    assert reasons(find_duplicates(entity="organization", data=same_city, user=user)) == [
        (romashka.pk, ["name"])
    ]
    assert find_duplicates(entity="organization", data=other_city, user=user) == []
    assert find_duplicates(entity="organization", data=other_name, user=user) == []


def test_similar_person_name(company):
    person = PersonFactory(first_name="Łukasz", last_name="Wójcik")
    AddressFactory(person=person, city="Kraków")

    found = find_duplicates(
        entity="person",
        data={"first_name": "Lukasz", "last_name": "Wojcik", "city": "Krakow"},
        user=company["admin"],
    )

    assert reasons(found) == [(person.pk, ["name"])]


def test_several_reasons_and_the_record_itself_excluded(company, romashka):
    data = {
        "legal_name": "Romashka",
        "short_name": "Ромашка",
        "tax_number": "7707083893",
        "phones": ["84951234567"],
        "city": "Москва",
    }

    found = find_duplicates(entity="organization", data=data, user=company["admin"])

    assert reasons(found) == [(romashka.pk, ["phone", "tax_number", "name"])]
    assert (
        find_duplicates(
            entity="organization", data=data, user=company["admin"], exclude_id=romashka.pk
        )
        == []
    )


def test_hidden_duplicate_is_reported_without_its_data(company, romashka):
    found = find_duplicates(
        entity="organization", data={"tax_number": "7707083893"}, user=company["s_manager1"]
    )

    assert len(found) == 1
    candidate = found[0]
    assert (candidate.is_visible, candidate.record, candidate.id) == (False, None, None)
    assert candidate.owner == "n_manager1"
    assert candidate.title == ("A matching record exists that you cannot see (owner: n_manager1)")
    assert "Ромашка" not in candidate.title


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ('ООО "Ромашка"', "ромашка"),
        ("Kowalski i Synowie Sp. z o.o.", "kowalski i synowie"),
        ("Mercator d.o.o.", "mercator"),
        ("Acme Trading LLC", "acme trading"),
        ("ACME Ltd.", "acme"),
    ],
)
def test_legal_forms_are_ignored(name, core):
    assert core_name(name) == core
