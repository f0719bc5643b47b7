"""Fixtures every test may use: the built-in roles and a small company of users in two teams."""

import pytest
from django.utils import timezone, translation

from klientela.accounts import services
from klientela.accounts.models import Role

PASSWORD = "Test-pass-2026"


@pytest.fixture(autouse=True)
def _english_and_utc():
    """Views switch the thread's language and time zone; start and end every test neutral."""
    translation.activate("en")
    timezone.deactivate()
    yield
    translation.activate("en")
    timezone.deactivate()


@pytest.fixture
def roles(db):
    services.sync_default_roles()
    return {role.code: role for role in Role.objects.all()}


@pytest.fixture
def company(roles):
    """An admin, and two teams each with a head and two managers; plus a user without a role."""
    admin = services.create_user(
        actor=None, username="admin", password=PASSWORD, role=roles["admin"]
    )
    people = {"admin": admin}
    for team_name, prefix in (("North", "n"), ("South", "s")):
        team = services.create_team(actor=admin, name=team_name)
        people[f"{prefix}_head"] = services.create_user(
            actor=admin,
            username=f"{prefix}_head",
            password=PASSWORD,
            role=roles["head"],
            team=team,
        )
        services.update_team(actor=admin, team=team, head=people[f"{prefix}_head"])
        for number in (1, 2):
            people[f"{prefix}_manager{number}"] = services.create_user(
                actor=admin,
                username=f"{prefix}_manager{number}",
                password=PASSWORD,
                role=roles["manager"],
                team=team,
            )
    people["nobody"] = services.create_user(actor=admin, username="nobody", password=PASSWORD)
    return people
