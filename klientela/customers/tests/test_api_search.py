"""The global search through the API: any phone format, names, emails; only what one may see."""

import pytest

from tests.apiclient import ApiClient, assert_documented

from .apidata import cards
from .factories import EmailFactory, PersonFactory, PhoneFactory


@pytest.fixture
def given(company):
    found = cards(company)
    person = PersonFactory(
        first_name="Olga", last_name="Sokolova", responsible=company["n_manager2"]
    )
    PhoneFactory(person=person, raw="+7 916 555-44-33", is_primary=True)
    EmailFactory(person=person, address="olga@sokol.example", is_primary=True)
    return found


def _titles(response) -> dict[str, list[str]]:
    return {group["key"]: [hit["title"] for hit in group["hits"]] for group in response.json()}


@pytest.mark.parametrize(
    "typed", ["+7 (495) 123-45-67", "8 495 123 45 67", "84951234567", "4951234567", "123-45-67"]
)
def test_a_phone_is_found_however_it_is_typed(client, company, given, typed):
    response = ApiClient(client, company["n_manager2"]).get("/search", q=typed)

    assert response.status_code == 200
    assert_documented(response, "/search")
    assert _titles(response) == {"organizations": ["Severstal Trade LLC"]}


def test_people_are_found_by_name_fragment_and_email(client, company, given):
    api = ApiClient(client, company["n_manager1"])

    by_name = api.get("/search", q="sokol")
    by_email = api.get("/search", q="olga@sokol.example")

    assert _titles(by_name)["people"] == ["Olga Sokolova"]
    assert _titles(by_email)["people"] == ["Olga Sokolova"]
    hit = by_name.json()[-1]["hits"][0]
    assert hit["subtitle"] == "+7 916 555-44-33 · olga@sokol.example"


def test_search_finds_only_what_the_user_may_see(client, company, given):
    south = ApiClient(client, company["s_manager1"])
    nobody = ApiClient(client, company["nobody"])

    assert south.get("/search", q="4951234567").json() == []
    assert _titles(south.get("/search", q="+386 1 234 56 78")) == {
        "organizations": ["Juzni trgovci"]
    }
    assert nobody.get("/search", q="Severstal").json() == []


def test_an_empty_query_finds_nothing_and_anonymous_is_refused(client, company, given):
    assert ApiClient(client, company["admin"]).get("/search", q="  ").json() == []
    assert client.get("/api/v1/search", {"q": "Severstal"}).status_code == 401
