"""Organizations through the API: round trips with channels and custom fields, filters, sorting,
contact persons, and a constant number of queries per list page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klientela.core.models import AuditEntry
from klientela.customers.models import Organization, Phone
from tests.apiclient import ApiClient, assert_documented

from .apidata import cards
from .factories import (
    AddressFactory,
    EmailFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)


@pytest.fixture
def api(client, company):
    return ApiClient(client, company["n_manager1"])


def test_create_read_change_round_trip_with_channels_and_custom_values(api, company, revenue_field):
    # given a new organization with channels, references, tags and a custom value
    created = api.post(
        "/organizations",
        {
            "legal_name": "Торговый дом «Ромашка»",
            "tax_number": "7701 234 567",
            "industry": "retail",
            "types": ["client", "partner"],
            "size": "11-50",
            "tags": ["VIP"],
            "custom": {"revenue": {"amount": "1250000", "currency": "EUR"}},
            "phones": [{"number": "8 495 123-45-67", "kind": "work"}, {"number": "12"}],
            "emails": [{"address": " Office@Romashka.Example "}],
            "websites": [{"url": "romashka.example"}],
            "messengers": [{"kind": "telegram", "handle": "@romashka"}],
            "addresses": [{"city": "Moscow", "street": "Tverskaya 1"}],
        },
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/organizations", "post")
    body = created.json()
    organization_id = body["id"]

    # then it reads back as written, normalized
    card = api.get(f"/organizations/{organization_id}")
    assert card.status_code == 200
    assert_documented(card, "/organizations/{organization_id}")
    body = card.json()
    assert (body["name"], body["tax_number"], body["size"]) == (
        "Торговый дом «Ромашка»",
        "7701234567",
        "11-50",
    )
    assert body["industry"] == {"key": "retail", "label": "Retail"}
    assert [item["key"] for item in body["types"]] == ["client", "partner"]
    assert [tag["name"] for tag in body["tags"]] == ["VIP"]
    assert body["responsible"] == {"id": company["n_manager1"].pk, "name": "n_manager1"}
    assert body["custom"] == {"revenue": {"amount": "1250000.00", "currency": "EUR"}}
    valid, invalid = body["phones"]
    assert (valid["raw"], valid["e164"], valid["international"], valid["is_valid"]) == (
        "8 495 123-45-67",
        "+74951234567",
        "+7 495 123-45-67",
        True,
    )
    assert (invalid["raw"], invalid["e164"], invalid["is_valid"]) == ("12", None, False)
    assert body["phone"] == valid and valid["is_primary"]
    assert body["email"] == "office@romashka.example"
    assert body["websites"][0]["url"] == "https://romashka.example"
    assert body["messengers"][0]["handle"] == "@romashka"
    assert body["addresses"][0]["line"] == "Tverskaya 1, Moscow"

    # when it is changed: a field, one phone kept and changed, the other dropped, custom cleared
    changed = api.patch(
        f"/organizations/{organization_id}",
        {
            "short_name": "Ромашка",
            "phones": [{"id": valid["id"], "number": "+7 495 765-43-21"}],
            "custom": {"revenue": None},
            "tags": ["VIP", "Moscow"],
        },
    )

    # then
    assert changed.status_code == 200, changed.json()
    assert_documented(changed, "/organizations/{organization_id}", "patch")
    body = changed.json()
    assert body["name"] == "Ромашка"
    assert [(phone["id"], phone["e164"]) for phone in body["phones"]] == [
        (valid["id"], "+74957654321")
    ]
    assert body["custom"] == {}
    assert sorted(tag["name"] for tag in body["tags"]) == ["Moscow", "VIP"]
    assert body["emails"][0]["address"] == "office@romashka.example"  # not given: kept
    history = api.get(f"/audit/organization/{organization_id}").json()
    assert [entry["kind"] for entry in history["items"]] == ["update", "create"]


def test_a_head_deletes_an_organization_of_the_team(client, company):
    # given
    organization = OrganizationFactory(responsible=company["n_manager1"])
    PhoneFactory(organization=organization)
    api = ApiClient(client, company["n_head"])

    # when
    response = api.delete(f"/organizations/{organization.pk}")

    # then
    assert response.status_code == 204
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not Phone.objects.filter(organization_id=organization.pk).exists()
    assert AuditEntry.objects.filter(kind="delete", object_id=str(organization.pk)).exists()
    assert api.get(f"/organizations/{organization.pk}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "legal_name"),
        ({"legal_name": " "}, "legal_name"),
        ({"legal_name": "A", "industry": "piracy"}, "industry"),
        ({"legal_name": "A", "size": "huge"}, "size"),
        ({"legal_name": "A", "emails": [{"address": "not an email"}]}, "emails.0.address"),
        ({"legal_name": "A", "phones": [{"kind": "pager", "number": "1"}]}, "phones.0.kind"),
        ({"legal_name": "A", "parent_id": 999999}, "parent_id"),
        ({"legal_name": "A", "responsible_id": 999999}, "responsible_id"),
        ({"legal_name": "A", "memberships": [{"person_id": 999999}]}, "memberships.0.person_id"),
    ],
)
def test_invalid_input_is_a_422_naming_the_field(api, payload, field):
    response = api.post("/organizations", payload)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"], response.json()
    assert not Organization.objects.exists()


def test_a_card_shows_its_parent_branches_and_visible_contact_persons(api, company):
    # given a parent with two branches (one of another team) and contacts of both teams
    given = cards(company)
    parent = given["north"]
    OrganizationFactory(legal_name="Branch North", parent=parent, responsible=company["n_manager2"])
    OrganizationFactory(legal_name="Branch South", parent=parent, responsible=company["s_manager1"])
    stranger = PersonFactory(last_name="Hidden", responsible=company["s_manager1"])
    admin_api = ApiClient(api.client, company["admin"])
    admin_api.post(
        "/memberships", {"person_id": stranger.pk, "organization_id": parent.pk, "role": "lawyer"}
    )

    # when
    body = api.get(f"/organizations/{parent.pk}").json()
    contacts = api.get(f"/organizations/{parent.pk}/people")

    # then
    assert body["branches_count"] == 1
    assert [contact["person"]["name"] for contact in body["contacts"]] == ["Ivan Petrov"]
    assert contacts.status_code == 200
    assert_documented(contacts, "/organizations/{organization_id}/people")
    assert [item["person"]["id"] for item in contacts.json()["items"]] == [given["contact"].pk]
    branch = Organization.objects.get(legal_name="Branch North")
    assert api.get(f"/organizations/{branch.pk}").json()["parent"] == {
        "id": parent.pk,
        "name": "Severstal Trade LLC",
    }


def test_the_list_is_paginated_with_its_count(api, company):
    OrganizationFactory.create_batch(7, responsible=company["n_manager1"])

    response = api.get("/organizations", limit=3, offset=6)

    assert response.status_code == 200
    assert_documented(response, "/organizations")
    body = response.json()
    assert (body["count"], len(body["items"]), body["limit"], body["offset"]) == (7, 1, 3, 6)


def test_the_list_filters_as_the_list_page(api, company):
    # given
    given = cards(company)
    north, colleague = given["north"], given["colleague"]
    api.patch(f"/organizations/{north.pk}", {"types": ["client"], "tags": ["vip"]})
    api_colleague = ApiClient(api.client, company["n_manager2"])
    api_colleague.patch(f"/organizations/{colleague.pk}", {"industry": "it", "types": ["partner"]})

    def names(**filters) -> list[str]:
        response = api.get("/organizations", **filters)
        assert response.status_code == 200, response.json()
        return [item["name"] for item in response.json()["items"]]

    # then each filter narrows the team's organizations
    assert names() == ["Baltic Paper", "Severstal Trade LLC"]
    assert names(q="seversta") == ["Severstal Trade LLC"]
    assert names(q="8 495 1234567") == ["Severstal Trade LLC"]
    assert names(q="sales@severstal") == ["Severstal Trade LLC"]
    assert names(type=["client", "prospect"]) == ["Severstal Trade LLC"]
    assert names(industry="it") == ["Baltic Paper"]
    assert names(tags=north.tags.get().pk) == ["Severstal Trade LLC"]
    assert names(city="moscow") == ["Severstal Trade LLC"]
    assert names(has_phone="true") == ["Severstal Trade LLC"]
    assert names(has_email="false") == ["Baltic Paper"]
    assert names(responsible=company["n_manager2"].pk) == ["Baltic Paper"]
    assert names(responsible="null") == []
    assert names(team=company["n_manager1"].team_id) == ["Baltic Paper", "Severstal Trade LLC"]
    assert names(created_after="2000-01-01", created_before="2999-12-31") == [
        "Baltic Paper",
        "Severstal Trade LLC",
    ]
    assert names(created_before="2000-01-01") == []


def test_the_list_sorts_and_refuses_an_unknown_key(api, company):
    for name in ("Beta", "Alpha", "Gamma"):
        OrganizationFactory(legal_name=name, responsible=company["n_manager1"])

    descending = api.get("/organizations", ordering="-name").json()["items"]
    unknown = api.get("/organizations", ordering="colour")

    assert [item["name"] for item in descending] == ["Gamma", "Beta", "Alpha"]
    assert unknown.status_code == 422
    assert "ordering" in unknown.json()["error"]["fields"]


def test_an_invalid_filter_value_is_a_422_naming_the_filter(api, company):
    response = api.get("/organizations", industry="piracy")

    assert response.status_code == 422
    assert "industry" in response.json()["error"]["fields"]


def _organizations(count: int, company, start: int) -> None:
    for number in range(start, start + count):
        organization = OrganizationFactory(
            legal_name=f"Company {number:03}", responsible=company["n_manager1"]
        )
        PhoneFactory(organization=organization, is_primary=True)
        EmailFactory(organization=organization, is_primary=True)
        AddressFactory(organization=organization)
        organization.tags.add(*_tags())


def _tags():
    from klientela.customers.models import Tag

    return [Tag.objects.get_or_create(name=name)[0] for name in ("vip", "wholesale")]


def _queries(api, path: str, **params) -> int:
    api.get(path)  # the token's first use of the day is written down once
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, **params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/organizations", "/people"])
def test_a_list_page_costs_the_same_queries_for_5_or_50_records(api, company, revenue_field, path):
    # given 5 cards with channels, tags and custom values
    _organizations(5, company, 0)
    for _number in range(5):
        person = PersonFactory(responsible=company["n_manager1"])
        PhoneFactory(person=person, is_primary=True)
        person.memberships.create(organization=Organization.objects.first())
    few = _queries(api, path, limit=100)

    # when there are 50
    _organizations(45, company, 5)
    for _number in range(45):
        person = PersonFactory(responsible=company["n_manager1"])
        PhoneFactory(person=person, is_primary=True)
        person.memberships.create(organization=Organization.objects.last())
    many = _queries(api, path, limit=100)

    # then
    assert many == few
