"""People through the API, and the links between people and organizations."""

import pytest

from klientela.customers.models import Membership, Person
from tests.apiclient import ApiClient, assert_documented

from .apidata import cards, customer_state
from .factories import OrganizationFactory, PersonFactory


@pytest.fixture
def api(client, company):
    return ApiClient(client, company["n_manager1"])


def test_create_read_change_a_person_linked_to_an_organization(api, company):
    # given an organization of the team
    organization = OrganizationFactory(legal_name="Acme", responsible=company["n_manager1"])

    # when a person is created as its accountant
    created = api.post(
        "/people",
        {
            "first_name": "Anna",
            "middle_name": "Ivanovna",
            "last_name": "Berg",
            "birthday": "1990-05-17",
            "source": "referral",
            "phones": [{"number": "+48 601 234 567", "kind": "mobile"}],
            "memberships": [
                {"organization_id": organization.pk, "role": "accountant", "is_primary": True}
            ],
        },
    )

    # then
    assert created.status_code == 201, created.json()
    assert_documented(created, "/people", "post")
    body = created.json()
    assert (body["name"], body["birthday"], body["source"]["key"]) == (
        "Anna Berg",
        "1990-05-17",
        "referral",
    )
    assert body["phones"][0]["e164"] == "+48601234567"
    assert [
        (link["organization"]["name"], link["role"]["key"], link["is_primary"])
        for link in body["organizations"]
    ] == [("Acme", "accountant", True)]

    # when changed
    person_id = body["id"]
    changed = api.patch(f"/people/{person_id}", {"position": "Chief accountant", "birthday": None})

    # then
    assert changed.status_code == 200, changed.json()
    assert_documented(changed, "/people/{person_id}", "patch")
    assert (changed.json()["position"], changed.json()["birthday"]) == ("Chief accountant", None)
    organizations = api.get(f"/people/{person_id}/organizations")
    assert_documented(organizations, "/people/{person_id}/organizations")
    assert organizations.json()["count"] == 1
    listed = api.get("/people", q="berg")
    assert_documented(listed, "/people")
    assert [item["name"] for item in listed.json()["items"]] == ["Anna Berg"]
    history = api.get(f"/audit/person/{person_id}").json()["items"]
    assert [entry["kind"] for entry in history] == ["update", "create"]
    assert history[0]["changes"]["position"]["new"] == "Chief accountant"


def test_a_person_needs_a_name(api):
    response = api.post("/people", {"position": "Director"})

    assert response.status_code == 422
    assert "last_name" in response.json()["error"]["fields"]
    assert not Person.objects.exists()


def test_people_sort_by_name_and_birthday(api, company):
    PersonFactory(
        first_name="Zoe",
        last_name="Adams",
        birthday="1990-01-01",
        responsible=company["n_manager1"],
    )
    PersonFactory(
        first_name="Adam",
        last_name="Young",
        birthday="1980-01-01",
        responsible=company["n_manager1"],
    )

    by_name = api.get("/people", ordering="name").json()["items"]
    by_birthday = api.get("/people", ordering="-birthday").json()["items"]

    assert [item["last_name"] for item in by_name] == ["Adams", "Young"]
    assert [item["last_name"] for item in by_birthday] == ["Adams", "Young"]


def test_link_change_and_unlink_through_memberships(api, company):
    # given
    organization = OrganizationFactory(responsible=company["n_manager1"])
    person = PersonFactory(last_name="Kowalski", responsible=company["n_manager1"])

    # when linked
    linked = api.post(
        "/memberships",
        {
            "person_id": person.pk,
            "organization_id": organization.pk,
            "role": "purchaser",
            "position": "Buyer",
        },
    )

    # then
    assert linked.status_code == 201, linked.json()
    assert_documented(linked, "/memberships", "post")
    membership_id = linked.json()["id"]
    assert linked.json()["role"] == {"key": "purchaser", "label": "Purchaser"}
    contacts = api.get(f"/organizations/{organization.pk}/people").json()["items"]
    assert [contact["person"]["id"] for contact in contacts] == [person.pk]

    # when changed and unlinked
    changed = api.patch(f"/memberships/{membership_id}", {"is_primary": True})
    assert changed.status_code == 200
    assert_documented(changed, "/memberships/{membership_id}", "patch")
    assert changed.json()["is_primary"] is True
    assert api.delete(f"/memberships/{membership_id}").status_code == 204
    assert not Membership.objects.exists()


def test_the_same_link_twice_is_a_422(api, company):
    organization = OrganizationFactory(responsible=company["n_manager1"])
    person = PersonFactory(responsible=company["n_manager1"])
    link = {"person_id": person.pk, "organization_id": organization.pk, "role": "director"}
    api.post("/memberships", link)

    again = api.post("/memberships", link)
    unknown_role = api.post("/memberships", {**link, "role": "astronaut"})

    assert again.status_code == 422 and "role" in again.json()["error"]["fields"]
    assert unknown_role.status_code == 422 and "role" in unknown_role.json()["error"]["fields"]
    assert Membership.objects.count() == 1


def test_links_to_records_out_of_view_are_refused_or_hidden(api, company):
    # given a South organization the North manager cannot see
    given = cards(company)
    south = given["south"]
    before = customer_state()

    # when
    link = api.post("/memberships", {"person_id": given["contact"].pk, "organization_id": south.pk})

    # then
    assert link.status_code == 422
    assert "organization_id" in link.json()["error"]["fields"]
    assert customer_state() == before
    hidden = Membership.objects.create(person=given["contact"], organization=south)
    assert api.patch(f"/memberships/{hidden.pk}", {"position": "x"}).status_code == 404
    assert api.delete(f"/memberships/{hidden.pk}").status_code == 404
    workplaces = api.get(f"/people/{given['contact'].pk}/organizations").json()["items"]
    assert [item["organization"]["id"] for item in workplaces] == [given["north"].pk]
