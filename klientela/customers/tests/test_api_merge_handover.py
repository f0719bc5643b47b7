"""Duplicates, merging and handing over through the API."""

import pytest

from klientela.core.models import AuditEntry
from klientela.customers.models import Note, Organization, Person
from tests.apiclient import ApiClient, assert_documented

from .apidata import cards, customer_state
from .factories import AddressFactory, NoteFactory, OrganizationFactory, PersonFactory, PhoneFactory


@pytest.fixture
def given(company):
    return cards(company)


def test_duplicates_are_found_by_a_phone_typed_differently(client, company, given):
    api = ApiClient(client, company["n_manager2"])

    response = api.post(
        "/organizations/duplicates", {"legal_name": "New client", "phones": ["8 495 1234567"]}
    )

    assert response.status_code == 200, response.json()
    assert_documented(response, "/organizations/duplicates", "post")
    [candidate] = response.json()
    assert (candidate["id"], candidate["title"], candidate["reasons"], candidate["is_visible"]) == (
        given["north"].pk,
        "Severstal Trade LLC",
        ["phone"],
        True,
    )


def test_a_duplicate_out_of_view_is_reported_without_its_data(client, company, given):
    api = ApiClient(client, company["n_manager1"])

    response = api.post("/organizations/duplicates", {"phones": ["+386 1 234 56 78"]})

    [candidate] = response.json()
    assert (candidate["id"], candidate["is_visible"], candidate["owner"], candidate["url"]) == (
        None,
        False,
        "s_manager1",
        "",
    )
    assert "Juzni" not in candidate["title"]


def test_similar_people_in_the_same_city_and_the_edited_card_left_out(client, company):
    person = PersonFactory(first_name="Ivan", last_name="Petrov", responsible=company["n_manager1"])
    AddressFactory(person=person, city="Kazan")
    api = ApiClient(client, company["n_manager1"])

    found = api.post(
        "/people/duplicates", {"first_name": "Ivan", "last_name": "Petrov", "city": "Kazan"}
    )
    excluded = api.post(
        "/people/duplicates",
        {"first_name": "Ivan", "last_name": "Petrov", "city": "Kazan", "exclude_id": person.pk},
    )
    refused = ApiClient(client, company["nobody"]).post("/people/duplicates", {"last_name": "x"})

    assert [(item["id"], item["reasons"]) for item in found.json()] == [(person.pk, ["name"])]
    assert excluded.json() == []
    assert refused.status_code == 403


def test_a_head_merges_a_duplicate_and_everything_follows(client, company, given):
    # given a duplicate of the North card, with its own phone, note and contact
    survivor = given["north"]
    duplicate = OrganizationFactory(
        legal_name="Severstal", tax_number="7701234567", responsible=company["n_manager2"]
    )
    PhoneFactory(organization=duplicate, raw="8 495 123 45 67")
    PhoneFactory(organization=duplicate, raw="+7 812 000-11-22")
    NoteFactory(organization=duplicate, body="<p>From the fair</p>")
    anna = PersonFactory(last_name="Berg", responsible=company["n_manager2"])
    duplicate.memberships.create(person=anna)
    api = ApiClient(client, company["n_head"])

    # when
    response = api.post(
        f"/organizations/{survivor.pk}/merge",
        {"duplicate_id": duplicate.pk, "field_choices": {"legal_name": "duplicate"}},
    )

    # then
    assert response.status_code == 200, response.json()
    assert_documented(response, "/organizations/{organization_id}/merge", "post")
    body = response.json()
    assert (body["legal_name"], body["tax_number"]) == ("Severstal", "7701234567")
    assert sorted(phone["e164"] for phone in body["phones"]) == ["+74951234567", "+78120001122"]
    assert sorted(contact["person"]["name"] for contact in body["contacts"]) == [
        f"{anna.first_name} Berg",
        "Ivan Petrov",
    ]
    assert Note.objects.filter(organization=survivor).count() == 2
    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    assert api.get(f"/organizations/{duplicate.pk}").status_code == 404
    kinds = [
        entry["kind"] for entry in api.get(f"/audit/organization/{survivor.pk}").json()["items"]
    ]
    assert kinds[0] == "merge"


def test_merging_needs_delete_on_the_duplicate(client, company, given):
    # given the manager's own card and a teammate's card: visible, but not theirs to delete
    api = ApiClient(client, company["n_manager1"])
    before = customer_state()

    refused = api.post(
        f"/organizations/{given['north'].pk}/merge", {"duplicate_id": given["colleague"].pk}
    )
    hidden = api.post(
        f"/organizations/{given['north'].pk}/merge", {"duplicate_id": given["south"].pk}
    )
    itself = ApiClient(client, company["n_head"]).post(
        f"/organizations/{given['north'].pk}/merge", {"duplicate_id": given["north"].pk}
    )

    assert refused.status_code == 403
    assert hidden.status_code == 422 and "duplicate_id" in hidden.json()["error"]["fields"]
    assert itself.status_code == 422
    assert customer_state() == before


def test_people_are_merged_too(client, company, given):
    duplicate = PersonFactory(
        first_name="Ivan", last_name="Petroff", responsible=company["n_manager1"]
    )
    PhoneFactory(person=duplicate, raw="+7 916 111-22-33")
    api = ApiClient(client, company["n_head"])

    response = api.post(
        f"/people/{given['contact'].pk}/merge",
        {"duplicate_id": duplicate.pk, "field_choices": {"last_name": "duplicate"}},
    )

    assert response.status_code == 200, response.json()
    assert_documented(response, "/people/{person_id}/merge", "post")
    assert response.json()["last_name"] == "Petroff"
    assert [phone["e164"] for phone in response.json()["phones"]] == ["+79161112233"]
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_a_head_hands_cards_over_within_the_team(client, company, given):
    # given
    api = ApiClient(client, company["n_head"])
    new_owner = company["n_manager2"]

    # when
    response = api.post(
        "/organizations/hand-over",
        {"ids": [given["north"].pk, given["colleague"].pk], "new_owner_id": new_owner.pk},
    )
    people = api.post(
        "/people/hand-over", {"ids": [given["contact"].pk], "new_owner_id": new_owner.pk}
    )

    # then only the card whose owner changed counts, and its history says so
    assert response.status_code == 200, response.json()
    assert_documented(response, "/organizations/hand-over", "post")
    assert response.json() == {"count": 1}
    assert people.json() == {"count": 1}
    given["north"].refresh_from_db()
    assert given["north"].responsible == new_owner
    entry = AuditEntry.objects.filter(object_id=str(given["north"].pk)).latest("pk")
    assert entry.changes["responsible"] == {
        "label": "responsible",
        "old": "n_manager1",
        "new": "n_manager2",
    }


@pytest.mark.parametrize(
    ("username", "payload", "status", "field"),
    [
        ("n_head", {"ids": ["south"], "new_owner_id": "n_manager2"}, 422, "ids"),
        ("n_head", {"ids": ["north"], "new_owner_id": "s_manager1"}, 403, None),
        ("n_head", {"ids": ["north"], "new_owner_id": 999999}, 422, "new_owner_id"),
        ("n_head", {"ids": [], "new_owner_id": "n_manager2"}, 422, "ids"),
        ("n_manager1", {"ids": ["north", "colleague"], "new_owner_id": "n_manager1"}, 403, None),
    ],
)
def test_a_refused_hand_over_changes_nothing(
    client, company, given, username, payload, status, field
):
    api = ApiClient(client, company[username])
    owner = payload["new_owner_id"]
    body = {
        "ids": [given[name].pk for name in payload["ids"]],
        "new_owner_id": company[owner].pk if isinstance(owner, str) else owner,
    }
    before = customer_state()

    response = api.post("/organizations/hand-over", body)

    assert response.status_code == status, response.json()
    if field:
        assert field in response.json()["error"]["fields"]
    assert customer_state() == before
