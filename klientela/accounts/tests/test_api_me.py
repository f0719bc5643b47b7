"""The signed-in user through the API: the own profile and the own personal tokens."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from klientela.accounts.models import ApiToken, User, hash_token
from klientela.core.models import AuditEntry
from tests.apiclient import ApiClient, assert_documented


def test_me_returns_the_documented_profile(client, company):
    response = ApiClient(client, company["n_manager1"]).get("/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "n_manager1"
    assert body["team"]["name"] == "North"
    assert body["role"]["code"] == "manager"
    assert body["is_admin"] is False
    assert_documented(response, "/me")


def test_a_user_changes_their_own_profile(client, company):
    # given
    manager = company["n_manager1"]
    api = ApiClient(client, manager)
    # when
    response = api.patch(
        "/me",
        {"first_name": "Nina", "email": "nina@example.com", "language": "sl", "timezone": "UTC"},
    )
    # then
    assert response.status_code == 200
    assert response.json()["first_name"] == "Nina"
    manager.refresh_from_db()
    assert (manager.first_name, manager.email, manager.language) == (
        "Nina",
        "nina@example.com",
        "sl",
    )
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(manager.pk)
    ).first()
    assert {"first_name", "email", "language"} <= set(entry.changes)


def test_fields_left_out_of_a_patch_stay_as_they_are(client, company):
    manager = company["n_manager1"]
    manager.last_name = "Novak"
    manager.save()

    ApiClient(client, manager).patch("/me", {"first_name": "Nina"})

    manager.refresh_from_db()
    assert manager.last_name == "Novak"


def test_me_cannot_change_the_own_role_or_team(client, company, roles):
    manager = company["n_manager1"]

    response = ApiClient(client, manager).patch("/me", {"role_id": roles["admin"].pk})

    # Unknown fields are ignored by the profile schema; the role stays.
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.role == roles["manager"]


def test_an_invalid_profile_is_refused_with_the_field_names(client, company):
    manager = company["n_manager1"]

    response = ApiClient(client, manager).patch(
        "/me", {"email": "not-an-email", "timezone": "Mars/Olympus"}
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["timezone"] == ["Unknown time zone."]
    manager.refresh_from_db()
    assert manager.timezone != "Mars/Olympus"


def test_a_rule_of_the_service_comes_back_as_a_field_error(client, company):
    response = ApiClient(client, company["n_manager1"]).patch(
        "/me", {"email": "not-an-email", "language": "xx"}
    )

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"email", "language"}


def test_a_user_lists_only_their_own_tokens(client, company):
    manager = company["n_manager1"]
    api = ApiClient(client, manager)
    ApiClient(client, company["n_manager2"])  # someone else's token

    response = api.get("/me/tokens")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["name"] == "tests"
    assert_documented(response, "/me/tokens")


def test_a_new_token_shows_its_key_once_and_the_key_works(client, company):
    # given
    manager = company["n_manager1"]
    api = ApiClient(client, manager)
    # when
    response = api.post("/me/tokens", {"name": "Zapier"})
    # then
    assert response.status_code == 201
    assert_documented(response, "/me/tokens", "post")
    key = response.json()["key"]
    assert ApiToken.objects.get(key_hash=hash_token(key)).user == manager
    assert ApiClient(client, key=key).get("/me").json()["username"] == "n_manager1"
    listed = api.get("/me/tokens").json()["items"]
    assert all("key" not in token for token in listed)


def test_a_token_cannot_expire_in_the_past(client, company):
    api = ApiClient(client, company["n_manager1"])
    yesterday = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    response = api.post("/me/tokens", {"name": "old", "expires_at": yesterday})

    assert response.status_code == 422
    assert "expires_at" in response.json()["error"]["fields"]
    assert not ApiToken.objects.filter(name="old").exists()


def test_a_user_revokes_their_token(client, company):
    manager = company["n_manager1"]
    api = ApiClient(client, manager)
    created = api.post("/me/tokens", {"name": "temporary"}).json()

    response = api.delete(f"/me/tokens/{created['id']}")

    assert response.status_code == 204
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None
    assert ApiClient(client, key=created["key"]).get("/me").status_code == 401


def test_someone_elses_token_is_not_found_and_stays_active(client, company):
    other = ApiClient(client, company["n_manager2"]).post("/me/tokens", {"name": "mine"}).json()

    response = ApiClient(client, company["n_manager1"]).delete(f"/me/tokens/{other['id']}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert ApiToken.objects.get(pk=other["id"]).revoked_at is None
