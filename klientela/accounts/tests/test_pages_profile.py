"""Pages every user sees: sign-in, the shell, Today, search, and their own profile with tokens."""

import re

import pytest
from django.urls import reverse

from conftest import PASSWORD
from klientela.accounts.models import ApiToken, hash_token
from klientela.core.models import AuditEntry

NEW_PASSWORD = "Another-pass-2026"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def manager_client(client, company):
    client.force_login(company["n_manager1"])
    return client


def profile_data(**changes):
    data = {
        "first_name": "Nina",
        "last_name": "Novak",
        "email": "nina@example.com",
        "phone": "",
        "language": "en",
        "timezone": "Europe/Ljubljana",
    }
    data.update(changes)
    return data


# --- Sign-in and the shell ----------------------------------------------------------------------


def test_the_sign_in_page_has_the_form_and_the_languages(client, db):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert "Русский" in response.text and "Slovenščina" in response.text


def test_a_visitor_picks_a_language_before_signing_in(client, db):
    response = client.post(
        reverse("accounts:set_language"), {"language": "pl", "next": reverse("accounts:login")}
    )

    page = client.get(response["Location"])
    assert '<html lang="pl">' in page.text


def test_a_wrong_password_shows_an_error_on_the_sign_in_page(client, company):
    response = client.post(
        reverse("accounts:login"), {"username": "n_manager1", "password": "wrong-password-1"}
    )

    assert response.status_code == 200
    assert "form-errors" in response.text


def test_signing_out_is_a_post(manager_client):
    assert manager_client.get(reverse("accounts:logout")).status_code == 405

    response = manager_client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:login")
    assert manager_client.get(reverse("core:home")).status_code == 302


def test_the_shell_has_the_menu_search_and_user_menu(manager_client, company):
    response = manager_client.get(reverse("core:home"))

    assert response.status_code == 200
    assert 'aria-label="Main menu"' in response.text
    assert 'id="global-search"' in response.text
    assert reverse("accounts:profile") in response.text
    assert reverse("accounts:users") not in response.text
    assert 'name="language" value="ru"' in response.text


def test_the_shell_carries_no_inline_scripts_styles_or_handlers(manager_client):
    html = manager_client.get(reverse("core:home")).text

    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_messages_become_toasts(manager_client):
    manager_client.post(reverse("accounts:profile"), profile_data())

    page = manager_client.get(reverse("accounts:profile"))

    assert 'class="toast toast-success"' in page.text
    assert "Profile saved." in page.text


def test_search_answers_htmx_with_the_results_only(manager_client):
    full = manager_client.get(reverse("core:search"), {"q": "ab"})
    partial = manager_client.get(reverse("core:search"), {"q": "ab"}, headers=HTMX)

    assert "<html" in full.text
    assert "<html" not in partial.text
    assert "All results for" in partial.text


def test_pages_behind_sign_in_redirect_anonymous_visitors(client, db):
    for name in ("core:home", "core:search", "accounts:profile"):
        response = client.get(reverse(name))
        assert response["Location"].startswith(reverse("accounts:login"))


# --- Profile ------------------------------------------------------------------------------------


def test_a_user_changes_their_language_and_the_next_page_uses_it(manager_client, company):
    response = manager_client.post(
        reverse("accounts:profile"), profile_data(language="ru"), headers=HTMX
    )

    company["n_manager1"].refresh_from_db()
    assert response["HX-Redirect"] == reverse("accounts:profile")
    assert company["n_manager1"].language == "ru"
    assert '<html lang="ru">' in manager_client.get(reverse("core:home")).text


def test_profile_changes_are_saved_and_audited(manager_client, company):
    manager_client.post(reverse("accounts:profile"), profile_data())

    manager = company["n_manager1"]
    manager.refresh_from_db()
    assert (manager.first_name, manager.timezone) == ("Nina", "Europe/Ljubljana")
    assert AuditEntry.objects.filter(object_id=str(manager.pk), actor=manager).exists()


def test_an_invalid_email_is_shown_inline(manager_client, company):
    response = manager_client.post(
        reverse("accounts:profile"), profile_data(email="not-an-email"), headers=HTMX
    )

    company["n_manager1"].refresh_from_db()
    assert "<html" not in response.text
    assert "Enter a valid email address." in response.text
    assert company["n_manager1"].email == ""


def test_a_user_changes_their_password_and_stays_signed_in(manager_client, company):
    response = manager_client.post(
        reverse("accounts:profile_password"),
        {"old_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )

    company["n_manager1"].refresh_from_db()
    assert response.status_code == 302
    assert company["n_manager1"].check_password(NEW_PASSWORD)
    assert manager_client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_current_password_is_refused(manager_client, company):
    response = manager_client.post(
        reverse("accounts:profile_password"),
        {
            "old_password": "not-my-password",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
        headers=HTMX,
    )

    company["n_manager1"].refresh_from_db()
    assert "Your current password is not correct." in response.text
    assert "<html" not in response.text
    assert company["n_manager1"].check_password(PASSWORD)


def test_a_weak_new_password_gets_the_validators_message(manager_client, company):
    response = manager_client.post(
        reverse("accounts:profile_password"),
        {"old_password": PASSWORD, "password": "password", "password_again": "password"},
    )

    assert "This password is too common." in response.text
    company["n_manager1"].refresh_from_db()
    assert company["n_manager1"].check_password(PASSWORD)


def test_a_new_token_shows_its_key_once_and_stores_only_the_hash(manager_client, company):
    response = manager_client.post(
        reverse("accounts:token_create"), {"name": "Website forms"}, headers=HTMX
    )

    key = re.search(r'id="new-token-key"[^>]*value="([^"]+)"', response.text).group(1)
    token = ApiToken.objects.get(user=company["n_manager1"])
    assert "<html" not in response.text
    assert "shown only once" in response.text
    assert token.key_hash == hash_token(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert key not in manager_client.get(reverse("accounts:profile")).text


def test_a_token_with_an_expiry_in_the_past_is_refused(manager_client, company):
    response = manager_client.post(
        reverse("accounts:token_create"), {"name": "Old", "expires_on": "2020-01-01"}
    )

    assert "Choose a day in the future." in response.text
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token(manager_client, company):
    manager_client.post(reverse("accounts:token_create"), {"name": "Script"})
    token = ApiToken.objects.get()

    response = manager_client.post(reverse("accounts:token_revoke", args=[token.pk]), headers=HTMX)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in response["HX-Trigger"]
    assert "Revoked" in response.text


def test_nobody_revokes_someone_elses_token(client, company):
    client.force_login(company["n_manager2"])
    client.post(reverse("accounts:token_create"), {"name": "Mine"})
    token = ApiToken.objects.get()
    client.force_login(company["n_manager1"])

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_the_profile_shows_the_accounts_history(manager_client, company):
    response = manager_client.get(reverse("accounts:profile"))

    assert "Account history" in response.text
    assert "history-entry" in response.text
