"""Channels and notes of a card through their sub-resources."""

import pytest

from klientela.customers.models import Note, Phone
from tests.apiclient import ApiClient, assert_documented

from .apidata import cards, customer_state


@pytest.fixture
def given(company):
    return cards(company)


@pytest.fixture
def api(client, company):
    return ApiClient(client, company["n_manager1"])


def test_phones_are_added_changed_and_deleted_one_at_a_time(api, given):
    # given the North card with one primary phone
    path = f"/organizations/{given['north'].pk}/phones"

    # when a second phone is added as primary
    added = api.post(path, {"number": "8 (812) 555-01-02 доб. 15", "is_primary": True})

    # then it is normalized, with the extension, and the primary mark moved
    assert added.status_code == 201, added.json()
    assert_documented(added, "/organizations/{record_id}/phones", "post")
    phone = added.json()
    assert (phone["e164"], phone["extension"], phone["international"], phone["is_primary"]) == (
        "+78125550102",
        "15",
        "+7 812 555-01-02 ext. 15",
        True,
    )
    listed = api.get(path)
    assert_documented(listed, "/organizations/{record_id}/phones")
    assert [item["is_primary"] for item in listed.json()] == [True, False]

    # when changed and deleted
    changed = api.patch(f"{path}/{phone['id']}", {"kind": "mobile", "comment": "Reception"})
    assert changed.status_code == 200
    assert_documented(changed, "/organizations/{record_id}/phones/{channel_id}", "patch")
    assert (changed.json()["kind"], changed.json()["e164"]) == ("mobile", "+78125550102")
    assert api.delete(f"{path}/{phone['id']}").status_code == 204

    # then the remaining phone is primary again
    assert [(item["e164"], item["is_primary"]) for item in api.get(path).json()] == [
        ("+74951234567", True)
    ]


@pytest.mark.parametrize(
    ("kind", "payload", "shown"),
    [
        ("emails", {"address": "Boss@Example.COM"}, ("address", "boss@example.com")),
        ("messengers", {"kind": "whatsapp", "handle": "+79001234567"}, ("handle", "+79001234567")),
        ("websites", {"url": "Example.com/Shop"}, ("url", "https://example.com/Shop")),
        ("addresses", {"city": "Kazan", "postal_code": "420111"}, ("line", "420111, Kazan")),
    ],
)
def test_every_kind_of_channel_is_its_own_resource(api, given, kind, payload, shown):
    path = f"/people/{given['contact'].pk}/{kind}"

    added = api.post(path, payload)

    assert added.status_code == 201, added.json()
    assert_documented(added, "/people/{record_id}/" + kind, "post")
    key, value = shown
    assert added.json()[key] == value
    assert added.json()["is_primary"] is True


def test_an_invalid_phone_is_kept_and_flagged(api, given):
    added = api.post(f"/people/{given['contact'].pk}/phones", {"number": "call the office"})

    assert added.status_code == 201
    assert (added.json()["raw"], added.json()["is_valid"], added.json()["e164"]) == (
        "call the office",
        False,
        None,
    )


def test_a_bad_channel_value_is_a_422_and_changes_nothing(api, given):
    before = customer_state()

    response = api.post(f"/organizations/{given['north'].pk}/emails", {"address": "nope"})

    assert response.status_code == 422
    assert "address" in response.json()["error"]["fields"]
    assert customer_state() == before


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_colleagues_card_is_read_only_and_another_teams_is_not_found(
    client, company, given, method
):
    # given the North manager 2, who sees manager 1's card but may not edit it
    api = ApiClient(client, company["n_manager2"])
    north_phone = given["north"].phones.get()
    south_phone = given["south"].phones.get()
    before = customer_state()

    def call(card, phone):
        path = f"/organizations/{card.pk}/phones"
        if method == "post":
            return api.post(path, {"number": "+7 495 000-00-00"})
        if method == "patch":
            return api.patch(f"{path}/{phone.pk}", {"comment": "mine now"})
        return api.delete(f"{path}/{phone.pk}")

    # when / then
    assert call(given["north"], north_phone).status_code == 403
    assert call(given["south"], south_phone).status_code == 404
    assert customer_state() == before


def test_a_phone_of_another_card_is_not_found(api, given):
    other = Phone.objects.create(organization=given["colleague"], raw="1")

    response = api.patch(f"/organizations/{given['north'].pk}/phones/{other.pk}", {"comment": ""})

    assert response.status_code == 404


def test_notes_are_sanitized_and_changed_only_by_their_author(client, company, given):
    # given
    author = ApiClient(client, company["n_manager1"])
    colleague = ApiClient(client, company["n_manager2"])
    path = f"/organizations/{given['north'].pk}/notes"

    # when the author writes a note with a script in it
    added = author.post(
        path, {"body": '<p onclick="x()">Called <script>alert(1)</script><b>ok</b></p>'}
    )

    # then
    assert added.status_code == 201, added.json()
    assert_documented(added, "/organizations/{record_id}/notes", "post")
    note = added.json()
    assert note["body"] == "<p>Called <b>ok</b></p>"
    assert note["can_change"] is True

    # a colleague who sees the card reads and adds notes but may not change the author's
    listed = colleague.get(path)
    assert_documented(listed, "/organizations/{record_id}/notes")
    assert [item["can_change"] for item in listed.json()["items"]] == [False, False]
    assert colleague.post(path, {"body": "Me too"}).status_code == 201
    before = customer_state()
    assert colleague.patch(f"{path}/{note['id']}", {"body": "Hijacked"}).status_code == 403
    assert colleague.delete(f"{path}/{note['id']}").status_code == 403
    assert customer_state() == before

    # the author changes and deletes it
    changed = author.patch(f"{path}/{note['id']}", {"body": "<p>Called twice</p>"})
    assert changed.status_code == 200
    assert_documented(changed, "/organizations/{record_id}/notes/{note_id}", "patch")
    assert author.delete(f"{path}/{note['id']}").status_code == 204
    assert not Note.objects.filter(pk=note["id"]).exists()


def test_an_empty_note_is_a_422(api, given):
    response = api.post(f"/people/{given['contact'].pk}/notes", {"body": "<p> </p>"})

    assert response.status_code == 422
    assert "body" in response.json()["error"]["fields"]


def test_notes_of_another_teams_card_are_not_found(api, given):
    assert api.get(f"/organizations/{given['south'].pk}/notes").status_code == 404
    assert api.post(f"/organizations/{given['south'].pk}/notes", {"body": "x"}).status_code == 404
