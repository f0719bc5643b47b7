"""Account safety: lock-out after failed sign-ins, idle sessions, CSRF and password strength."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from conftest import PASSWORD
from klientela.accounts import services
from klientela.accounts.lockout import is_locked, unlock_user
from klientela.core.models import AuditEntry

HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, address=HOME):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_sign_ins(client, username, times, address=HOME):
    return [sign_in(client, username, "wrong-password-1", address) for _ in range(times)]


# --- Lock-out after repeated failed sign-ins --------------------------------------------------


def test_wrong_passwords_below_the_limit_only_show_the_form_again(client, company):
    responses = fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT - 1)

    assert [response.status_code for response in responses] == [200] * 4
    assert not is_locked(company["n_manager1"])


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "n_manager1", PASSWORD)

    assert response.status_code in (403, 429)
    assert "Account locked" in response.content.decode()
    assert not is_signed_in(client)
    assert is_locked(company["n_manager1"])


def test_the_lock_does_not_touch_another_user_nor_the_same_user_elsewhere(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)

    other_user = sign_in(Client(), "n_manager2", PASSWORD)
    other_address = sign_in(Client(), "n_manager1", PASSWORD, address=ELSEWHERE)

    assert other_user.status_code == 302
    assert other_address.status_code == 302


def test_a_successful_sign_in_before_the_limit_resets_the_count(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "n_manager1", PASSWORD).status_code == 302
    client.logout()

    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, "n_manager1", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_lock_ends_after_the_cool_off(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - cool_off - datetime.timedelta(minutes=1)
    )

    response = sign_in(client, "n_manager1", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_lock_still_holds_just_before_the_cool_off_ends(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - cool_off + datetime.timedelta(minutes=1)
    )

    response = sign_in(client, "n_manager1", PASSWORD)

    assert response.status_code in (403, 429)
    assert not is_signed_in(client)


def test_an_administrator_unlocks_a_locked_user(client, company):
    user = company["n_manager1"]
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)

    forgotten = unlock_user(actor=company["admin"], user=user)
    response = sign_in(client, "n_manager1", PASSWORD)

    assert forgotten == 1
    assert not is_locked(user)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(user.pk)).latest("pk")
    assert entry.actor == company["admin"]
    assert "lockout" in entry.changes


def test_someone_who_is_not_an_administrator_cannot_unlock(client, company):
    fail_sign_ins(client, "n_manager1", settings.AXES_FAILURE_LIMIT)

    with pytest.raises(PermissionDenied):
        unlock_user(actor=company["n_head"], user=company["n_manager1"])

    assert is_locked(company["n_manager1"])


def test_unlocking_a_user_who_is_not_locked_changes_nothing(company):
    entries = AuditEntry.objects.count()

    forgotten = unlock_user(actor=company["admin"], user=company["n_manager1"])

    assert forgotten == 0
    assert AuditEntry.objects.count() == entries


# --- Sessions expire when idle ------------------------------------------------------------------


def age_session(client, seconds: int) -> None:
    """Pretend the last request was ``seconds`` ago: the session's expiry moves back as much."""
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date -= datetime.timedelta(seconds=seconds)
    session.save()


def test_a_session_idle_longer_than_the_limit_sends_the_user_to_sign_in(client, company):
    client.force_login(company["n_manager1"])
    assert client.get("/").status_code == 200

    age_session(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_activity_keeps_the_session_alive_past_the_first_idle_limit(client, company):
    client.force_login(company["n_manager1"])
    age_session(client, settings.SESSION_COOKIE_AGE - 60)

    client.get("/")
    age_session(client, settings.SESSION_COOKIE_AGE - 60)
    response = client.get("/")

    assert response.status_code == 200


def test_the_session_cookie_lives_as_long_as_the_idle_limit(client, company):
    client.force_login(company["n_manager1"])

    response = client.get("/")

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


# --- CSRF on every form ------------------------------------------------------------------------


def csrf_token(client, page="/login/") -> str:
    html = client.get(page).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_sign_in_without_a_csrf_token_is_refused(strict_client, company):
    response = strict_client.post("/login/", {"username": "n_manager1", "password": PASSWORD})

    assert response.status_code == 403
    assert not is_signed_in(strict_client)


def test_sign_in_with_a_csrf_token_succeeds(strict_client, company):
    token = csrf_token(strict_client)

    response = strict_client.post(
        "/login/",
        {"username": "n_manager1", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert is_signed_in(strict_client)


def test_sign_out_without_a_csrf_token_is_refused(strict_client, company):
    strict_client.force_login(company["n_manager1"])

    response = strict_client.post("/logout/")

    assert response.status_code == 403
    assert is_signed_in(strict_client)


def test_sign_out_with_a_csrf_token_succeeds(strict_client, company):
    strict_client.force_login(company["n_manager1"])
    token = csrf_token(strict_client, page="/")

    response = strict_client.post("/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert not is_signed_in(strict_client)


def test_changing_the_language_without_a_csrf_token_is_refused(strict_client, company):
    user = company["n_manager1"]
    strict_client.force_login(user)

    response = strict_client.post("/language/", {"language": "pl"})

    user.refresh_from_db()
    assert response.status_code == 403
    assert user.language == "en"


def test_changing_the_language_with_a_csrf_token_succeeds(strict_client, company):
    user = company["n_manager1"]
    strict_client.force_login(user)
    token = csrf_token(strict_client, page="/")

    response = strict_client.post(
        "/language/", {"language": "pl", "next": "/"}, headers={"X-CSRFToken": token}
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.language == "pl"


def test_changing_the_language_before_sign_in_needs_a_csrf_token_too(strict_client, db):
    refused = strict_client.post("/language/", {"language": "sl"})
    token = csrf_token(strict_client)
    accepted = strict_client.post("/language/", {"language": "sl", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert accepted.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sl"


# --- Password strength ---------------------------------------------------------------------------


def password_errors(password: str, language: str = "en", **fields) -> list[str]:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        services.create_user(actor=None, username="maja.kovac", password=password, **fields)
    return caught.value.message_dict["password"]


def test_a_password_shorter_than_ten_characters_is_refused(roles):
    errors = password_errors("Blue-riv3")

    assert errors == ["This password is too short. It must contain at least 10 characters."]


def test_a_common_password_is_refused(roles):
    assert "This password is too common." in password_errors("password123")


def test_a_numeric_password_is_refused(roles):
    assert "This password is entirely numeric." in password_errors("4829105736")


def test_a_password_like_the_users_name_is_refused(roles):
    errors = password_errors("Kovac-Maja-1", first_name="Maja", last_name="Kovac")

    assert any("too similar" in error for error in errors)


def test_a_password_of_letters_only_is_refused(roles):
    errors = password_errors("bluerivermoonlight")

    assert errors == ["The password must contain letters and at least one digit or symbol."]


def test_a_password_without_letters_is_refused(roles):
    errors = password_errors("2031-4477-9")

    assert errors == ["The password must contain letters and at least one digit or symbol."]


def test_a_strong_password_is_accepted(roles):
    user = services.create_user(actor=None, username="maja.kovac", password="Blue-river-2031")

    assert user.check_password("Blue-river-2031")


def test_password_rules_speak_the_users_language(roles):
    errors = password_errors("4829105736", language="ru")

    assert "Введённый пароль состоит только из цифр." in errors
