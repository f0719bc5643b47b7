# ruff: noqa: RUF001 (names in Russian and typographic dashes are meant)
"""The global search box finds cards by name, phone in any format, email and tax number."""

import pytest

from klientela.core.search import search_everything
from klientela.customers import services
from klientela.customers.models import Organization, Person
from klientela.customers.services.search import find_visible


@pytest.fixture
def cards(company):
    admin = company["admin"]
    north = services.create_organization(
        actor=admin,
        legal_name="ООО «Северсталь-Трейд»",
        tax_number="7707083893",
        responsible=company["n_manager1"],
        phones=["+7 (495) 123-45-67"],
        emails=["office@severstal.example"],
    )
    south = services.create_organization(
        actor=admin,
        legal_name="Južni trgovci d.o.o.",
        tax_number="SI12345678",
        responsible=company["s_manager1"],
        phones=["+386 1 234 56 78"],
    )
    person = services.create_person(
        actor=admin,
        first_name="Łukasz",
        last_name="Wiśniewski",
        responsible=company["n_manager2"],
        phones=["+48 601 234 567"],
        emails=["Lukasz.W@example.pl"],
    )
    return {"north": north, "south": south, "person": person}


def names(model, user, query):
    return [str(record) for record in find_visible(model, user, query, 10)]


@pytest.mark.parametrize("query", ["север", "Северсталь трейд", "СТАЛЬ", "трейд ооо"])
def test_by_name_fragment(company, cards, query):
    assert names(Organization, company["admin"], query) == ["ООО «Северсталь-Трейд»"]


def test_nothing_for_an_unknown_name(company, cards):
    assert names(Organization, company["admin"], "Газпром") == []


@pytest.mark.parametrize(
    "query", ["+7 (495) 123-45-67", "8 495 123 45 67", "84951234567", "4951234567", "123-45-67"]
)
def test_by_phone_in_any_format(company, cards, query):
    assert names(Organization, company["admin"], query) == ["ООО «Северсталь-Трейд»"]


def test_by_email_and_tax_number(company, cards):
    admin = company["admin"]
    assert names(Person, admin, "lukasz.w@EXAMPLE.pl") == ["Łukasz Wiśniewski"]
    assert names(Person, admin, "lukasz.w@") == ["Łukasz Wiśniewski"]
    assert names(Organization, admin, "7707083893") == ["ООО «Северсталь-Трейд»"]
    assert names(Organization, admin, "si 1234 5678") == ["Južni trgovci d.o.o."]
    assert names(Person, admin, "wisniewski") == ["Łukasz Wiśniewski"]


def test_never_outside_the_users_scope(company, cards):
    manager = company["n_manager1"]

    assert names(Organization, manager, "Južni") == []
    assert names(Organization, manager, "+386 1 234 56 78") == []
    assert names(Organization, manager, "SI12345678") == []
    assert names(Person, manager, "601 234 567") == ["Łukasz Wiśniewski"]
    assert names(Person, company["s_manager1"], "601 234 567") == []
    assert names(Person, company["nobody"], "Łukasz") == []


def test_global_search_groups(company, cards):
    groups = search_everything(company["n_manager1"], "example")

    by_key = {group["key"]: group["hits"] for group in groups}
    assert [hit.title for hit in by_key["organizations"]] == ["ООО «Северсталь-Трейд»"]
    hit = by_key["people"][0]
    assert hit.title == "Łukasz Wiśniewski"
    assert hit.subtitle == "+48 601 234 567 · lukasz.w@example.pl"
    assert hit.url == cards["person"].get_absolute_url()


def test_an_exact_email_or_phone_is_not_also_searched_as_words(company, cards):
    # given someone whose name holds the words of another person's email
    admin = company["admin"]
    services.create_person(actor=admin, first_name="Lukasz", last_name="Example")

    # when the email is typed whole, or the phone
    by_email = names(Person, admin, "lukasz.w@example.pl")
    by_phone = names(Person, admin, "+48 601 234 567")

    # then only its owner is found; the words find both when no address matches
    assert by_email == by_phone == ["Łukasz Wiśniewski"]
    assert sorted(names(Person, admin, "lukasz example")) == ["Lukasz Example", "Łukasz Wiśniewski"]
