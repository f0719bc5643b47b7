"""The access core hides records outside a role's scope; lists and record checks agree."""

import pytest

from klientela.core import access
from tests.accessapp.models import Widget


@pytest.fixture
def widgets(company):
    return {
        name: Widget.objects.create(name=f"{name}'s widget", responsible=user)
        for name, user in company.items()
    }


def visible_names(user, action="view"):
    return set(Widget.objects.visible_to(user, action).values_list("name", flat=True))


def test_admin_sees_every_record(company, widgets):
    assert visible_names(company["admin"]) == {widget.name for widget in widgets.values()}


def test_team_scope_shows_only_records_owned_in_the_users_team(company, widgets):
    assert visible_names(company["n_manager1"]) == {
        "n_head's widget",
        "n_manager1's widget",
        "n_manager2's widget",
    }


def test_own_scope_shows_only_the_users_records(company, widgets):
    assert visible_names(company["n_manager1"], "edit") == {"n_manager1's widget"}


def test_no_role_sees_nothing(company, widgets):
    assert visible_names(company["nobody"]) == set()
    assert not access.can(company["nobody"], "view", widgets["nobody"])


@pytest.mark.parametrize(
    ("user", "action", "owner", "allowed"),
    [
        ("n_manager1", "view", "n_manager2", True),
        ("n_manager1", "view", "s_manager1", False),
        ("n_manager1", "edit", "n_manager1", True),
        ("n_manager1", "edit", "n_manager2", False),
        ("n_head", "edit", "n_manager2", True),
        ("n_head", "edit", "s_manager2", False),
        ("n_head", "delete", "n_manager2", False),
        ("admin", "delete", "s_manager2", True),
    ],
)
def test_record_check_agrees_with_the_list_filter(company, widgets, user, action, owner, allowed):
    actor, widget = company[user], widgets[owner]
    assert access.can(actor, action, widget) is allowed
    assert Widget.objects.visible_to(actor, action).filter(pk=widget.pk).exists() is allowed


def test_inactive_user_loses_every_scope(company, widgets):
    manager = company["n_manager1"]
    manager.is_active = False
    assert visible_names(manager) == set()
