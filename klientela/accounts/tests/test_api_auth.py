"""API authentication: personal tokens, the browser session with CSRF, and the 401 JSON body."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from klientela.accounts import services
from klientela.accounts.models import ApiToken
from tests.apiclient import ApiClient


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_valid_token_authenticates_and_notes_when_it_was_used(client, company):
    # given
    token, key = services.issue_token(actor=None, user=company["n_manager1"], name="script")
    assert token.last_used_at is None
    # when
    response = ApiClient(client, key=key).get("/me")
    # then
    assert response.status_code == 200
    assert response.json()["username"] == "n_manager1"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client, company):
    token, key = services.issue_token(actor=None, user=company["n_manager1"], name="old")
    services.revoke_token(actor=company["n_manager1"], token=token)

    assert_unauthorized(ApiClient(client, key=key).get("/me"))


def test_an_expired_token_is_refused(client, company):
    token, key = services.issue_token(actor=None, user=company["n_manager1"], name="short")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert_unauthorized(ApiClient(client, key=key).get("/me"))


def test_a_wrong_token_is_refused(client, company):
    assert_unauthorized(ApiClient(client, key="kl_not-a-real-key").get("/me"))


def test_the_token_of_a_deactivated_user_is_refused(client, company):
    manager = company["n_manager1"]
    _token, key = services.issue_token(actor=None, user=manager, name="script")
    services.update_user(actor=company["admin"], user=manager, is_active=False)

    assert_unauthorized(ApiClient(client, key=key).get("/me"))


def test_no_credentials_at_all_is_refused(client, company):
    assert_unauthorized(client.get("/api/v1/me"))


def test_a_bad_token_on_a_write_is_401_not_a_csrf_failure(client, company):
    response = ApiClient(client, key="kl_wrong").patch("/me", {"first_name": "Eve"})

    assert_unauthorized(response)


def test_the_401_message_follows_the_browser_language(client, company):
    response = client.get("/api/v1/me", headers={"Accept-Language": "pl"})

    assert response.status_code == 401
    assert response["Content-Language"] == "pl"


def test_a_signed_in_browser_reads_through_its_session(company):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(company["n_head"])

    response = browser.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "n_head"


def test_a_session_write_without_the_csrf_token_is_refused(company):
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(company["n_head"])
    # when
    response = browser.patch(
        "/api/v1/me", {"first_name": "Mallory"}, content_type="application/json"
    )
    # then
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    company["n_head"].refresh_from_db()
    assert company["n_head"].first_name == ""


def test_a_session_write_with_the_csrf_token_is_accepted(company):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(company["n_head"])
    csrf_token = "k" * 32  # what a page would have set in the CSRF cookie
    browser.cookies[settings.CSRF_COOKIE_NAME] = csrf_token

    response = browser.patch(
        "/api/v1/me",
        {"first_name": "Hanna"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 200
    company["n_head"].refresh_from_db()
    assert company["n_head"].first_name == "Hanna"


@pytest.mark.parametrize("language", ["ru", "pl"])
def test_a_token_request_speaks_the_users_language(client, company, language):
    manager = company["n_manager1"]
    services.update_user(actor=manager, user=manager, language=language)

    response = ApiClient(client, manager).get("/users")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert response["Content-Language"] == language
