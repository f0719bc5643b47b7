"""The `klientela` command line: users, tokens, unlocking and demo data."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import PASSWORD
from klientela.accounts.lockout import is_locked
from klientela.accounts.models import Team, User


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_createuser_creates_a_user_with_role_team_and_password(roles):
    output = run(
        "createuser", "irina", "--role", "head", "--team", "Moscow", "--password", PASSWORD
    )

    user = User.objects.get(username="irina")
    assert output.strip() == "Created user irina with role head."
    assert user.role == roles["head"]
    assert user.team.name == "Moscow"
    assert user.check_password(PASSWORD)


def test_createuser_joins_an_existing_team_whatever_its_case(roles):
    run("createuser", "irina", "--role", "head", "--team", "Moscow")

    run("createuser", "dmitry", "--role", "manager", "--team", "moscow")

    assert Team.objects.count() == 1
    assert User.objects.get(username="dmitry").team.name == "Moscow"


def test_createuser_without_a_password_makes_a_user_who_cannot_sign_in(roles):
    run("createuser", "irina", "--role", "manager")

    assert not User.objects.get(username="irina").has_usable_password()


def test_createuser_with_an_unknown_role_lists_the_roles(roles):
    with pytest.raises(CommandError) as caught:
        run("createuser", "irina", "--role", "boss")

    assert str(caught.value) == "Unknown role 'boss'. Roles: admin, head, manager"
    assert not User.objects.exists()


def test_createuser_with_a_weak_password_says_why_and_creates_nothing(roles):
    with pytest.raises(CommandError) as caught:
        run("createuser", "irina", "--role", "head", "--team", "Moscow", "--password", "short")

    assert str(caught.value).startswith("password: This password is too short.")
    assert not User.objects.exists()
    assert not Team.objects.exists()


def test_createuser_refuses_a_taken_name(company):
    with pytest.raises(CommandError) as caught:
        run("createuser", "N_MANAGER1", "--role", "manager")

    assert str(caught.value) == "username: A user with this name already exists."


def test_token_prints_a_key_that_opens_the_api(client, company):
    key = run("token", "n_manager1").strip()

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200
    assert response.json()["username"] == "n_manager1"


def test_token_for_an_unknown_or_inactive_user_is_refused(company):
    User.objects.filter(username="n_manager2").update(is_active=False)

    with pytest.raises(CommandError):
        run("token", "ghost")
    with pytest.raises(CommandError):
        run("token", "n_manager2")


def test_unlock_lets_a_locked_user_sign_in_again(client, company):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "n_manager1", "password": "wrong-password-1"})
    assert is_locked(company["n_manager1"])

    output = run("unlock", "n_manager1")
    response = client.post("/login/", {"username": "n_manager1", "password": PASSWORD})

    assert output.strip() == "Unlocked n_manager1."
    assert response.status_code == 302


def test_unlock_of_a_user_who_is_not_locked_says_so(company):
    assert run("unlock", "n_manager1").strip() == "n_manager1 was not locked."


def test_unlock_of_an_unknown_user_is_refused(company):
    with pytest.raises(CommandError):
        run("unlock", "ghost")


def test_demo_loads_a_company_once(roles):
    first = run("demo")
    users = User.objects.count()

    second = run("demo", "--if-empty")

    assert "Demo data loaded." in first
    assert "Demo login: admin" in first
    assert users > 1
    assert "Demo data loaded." not in second
    assert "Demo login: admin" in second
    assert User.objects.count() == users


def test_demo_on_a_database_with_data_loads_nothing(company):
    users = User.objects.count()
    errors = io.StringIO()

    call_command("demo", stdout=io.StringIO(), stderr=errors)

    assert "loaded only once" in errors.getvalue()
    assert User.objects.count() == users


def test_the_klientela_console_script_runs(tmp_path):
    script = Path(sys.executable).with_name("klientela")
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "KLIENTELA_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [str(script), "help"],
        cwd=settings.PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    for command in ("createuser", "token", "unlock", "demo", "migrate"):
        assert command in result.stdout
