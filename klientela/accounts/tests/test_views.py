"""The settings pages: administrators manage users, teams and roles; nobody else gets in."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from klientela.accounts.lockout import is_locked
from klientela.accounts.models import Role, RolePermission, Team, User
from klientela.core import access
from klientela.core.models import AuditEntry

NEW_PASSWORD = "Fresh-start-2026"


def entries_for(obj, kind):
    return AuditEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name, kind=kind
    )


@pytest.fixture
def admin_client(client, company):
    client.force_login(company["admin"])
    return client


def settings_urls(company):
    team = Team.objects.get(name="North")
    role = Role.objects.get(code="manager")
    user = company["n_manager2"]
    return [
        reverse("accounts:users"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[user.pk]),
        reverse("accounts:user_edit", args=[user.pk]),
        reverse("accounts:user_password", args=[user.pk]),
        reverse("accounts:user_unlock", args=[user.pk]),
        reverse("accounts:teams"),
        reverse("accounts:team_create"),
        reverse("accounts:team_edit", args=[team.pk]),
        reverse("accounts:team_delete", args=[team.pk]),
        reverse("accounts:roles"),
        reverse("accounts:role_create"),
        reverse("accounts:role_edit", args=[role.pk]),
        reverse("accounts:role_delete", args=[role.pk]),
    ]


def database_state():
    return (
        list(User.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
        list(Role.objects.order_by("pk").values()),
        list(RolePermission.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


# --- Who gets in --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["n_manager1", "n_head", "nobody"])
def test_non_administrators_get_403_on_every_settings_page_and_change_nothing(
    client, company, username
):
    client.force_login(company[username])
    before = database_state()

    for url in settings_urls(company):
        assert client.get(url).status_code == 403, url
        posted = client.post(
            url,
            {
                "username": "intruder",
                "name": "Intruders",
                "password": NEW_PASSWORD,
                "password_again": NEW_PASSWORD,
                "language": "en",
                "timezone": "UTC",
                "action": "deactivate",
                "selected": [user.pk for user in company.values()],
            },
        )
        assert posted.status_code == 403, url

    assert database_state() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, company):
    for url in settings_urls(company):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_settings_menu_item_shows_only_for_administrators(client, company):
    client.force_login(company["n_head"])
    assert reverse("accounts:users") not in client.get(reverse("core:home")).text

    client.force_login(company["admin"])
    assert reverse("accounts:users") in client.get(reverse("core:home")).text


# --- Users --------------------------------------------------------------------------------------


def test_admin_sees_the_users_list_with_tabs(admin_client, company):
    response = admin_client.get(reverse("accounts:users"))

    assert response.status_code == 200
    assert "<html" in response.text
    for user in company.values():
        assert user.username in response.text
    assert reverse("accounts:teams") in response.text


def test_admin_creates_a_user(admin_client, company, roles):
    team = Team.objects.get(name="South")

    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "vera",
            "first_name": "Vera",
            "last_name": "Lebedeva",
            "email": "vera@example.com",
            "phone": "",
            "team": team.pk,
            "role": roles["manager"].pk,
            "language": "ru",
            "timezone": "Europe/Moscow",
            "password": NEW_PASSWORD,
        },
    )

    vera = User.objects.get(username="vera")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[vera.pk])
    assert (vera.team, vera.role, vera.language) == (team, roles["manager"], "ru")
    assert vera.check_password(NEW_PASSWORD)
    assert entries_for(vera, "create").get().actor == company["admin"]


def test_a_duplicate_user_name_is_shown_next_to_the_field_and_nothing_is_saved(
    admin_client, company
):
    before = User.objects.count()

    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "N_HEAD", "language": "en", "timezone": "UTC", "password": NEW_PASSWORD},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "A user with this name already exists." in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="N_HEAD"' in response.text  # what was typed stays
    assert User.objects.count() == before


def test_a_weak_password_is_refused_inline(admin_client, company):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "weak", "language": "en", "timezone": "UTC", "password": "12345"},
    )

    assert response.status_code == 200
    assert "This password is too short." in response.text
    assert not User.objects.filter(username="weak").exists()


def test_admin_edits_a_user_and_the_change_is_audited(admin_client, company):
    manager = company["s_manager1"]
    north = Team.objects.get(name="North")

    response = admin_client.post(
        reverse("accounts:user_edit", args=[manager.pk]),
        {
            "username": manager.username,
            "first_name": "Sergei",
            "last_name": "",
            "email": "",
            "phone": "+386 1 234 56 78",
            "team": north.pk,
            "role": manager.role_id,
            "language": "sl",
            "timezone": "Europe/Ljubljana",
            "is_active": "on",
        },
        headers={"HX-Request": "true"},
    )

    manager.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("accounts:user_detail", args=[manager.pk])
    assert (manager.first_name, manager.team, manager.language) == ("Sergei", north, "sl")
    change = entries_for(manager, "update").first()
    assert change.actor == company["admin"]
    assert change.changes["team"] == {"label": "team", "old": "South", "new": "North"}


def test_an_admin_cannot_deactivate_themselves_through_the_form(admin_client, company):
    admin = company["admin"]

    response = admin_client.post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {
            "username": "admin",
            "role": admin.role_id,
            "language": "en",
            "timezone": "UTC",
        },
    )

    admin.refresh_from_db()
    assert response.status_code == 200
    assert "You cannot deactivate yourself." in response.text
    assert admin.is_active


def test_the_user_card_shows_fields_and_history(admin_client, company):
    head = company["n_head"]

    response = admin_client.get(reverse("accounts:user_detail", args=[head.pk]))

    assert response.status_code == 200
    assert "North" in response.text
    assert "History" in response.text
    assert "Head of sales" in response.text


def test_the_card_history_pages_through_htmx(admin_client, company):
    head = company["n_head"]
    for number in range(12):
        admin_client.post(
            reverse("accounts:user_edit", args=[head.pk]),
            {
                "username": "n_head",
                "first_name": f"Name{number}",
                "team": head.team_id,
                "role": head.role_id,
                "language": "en",
                "timezone": "UTC",
                "is_active": "on",
            },
        )
    url = reverse("accounts:user_detail", args=[head.pk])

    first = admin_client.get(url)
    more = admin_client.get(url, {"history_page": 2}, headers={"HX-Request": "true"})

    assert "Show more" in first.text
    assert "Name11" in first.text
    assert "<html" not in more.text
    assert "history-entry" in more.text
    assert "Name11" not in more.text


def test_admin_sets_a_new_password_for_a_user(admin_client, company):
    manager = company["n_manager1"]

    response = admin_client.post(
        reverse("accounts:user_password", args=[manager.pk]),
        {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )

    manager.refresh_from_db()
    assert response.status_code == 302
    assert manager.check_password(NEW_PASSWORD)


def test_password_confirmation_must_match(admin_client, company):
    manager = company["n_manager1"]

    response = admin_client.post(
        reverse("accounts:user_password", args=[manager.pk]),
        {"password": NEW_PASSWORD, "password_again": "Something-else-1"},
    )

    manager.refresh_from_db()
    assert "The two passwords do not match." in response.text
    assert not manager.check_password(NEW_PASSWORD)


def test_admin_unlocks_a_locked_out_user_from_the_card(admin_client, company):
    anonymous = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        anonymous.post(reverse("accounts:login"), {"username": "n_manager1", "password": "no-1"})
    manager = company["n_manager1"]
    card_url = reverse("accounts:user_detail", args=[manager.pk])
    assert "Unlock sign-in" in admin_client.get(card_url).text

    response = admin_client.post(reverse("accounts:user_unlock", args=[manager.pk]))

    assert response["Location"] == card_url
    assert not is_locked(manager)
    assert "Unlock sign-in" not in admin_client.get(card_url).text


# --- Teams --------------------------------------------------------------------------------------


def test_the_teams_list_counts_members(admin_client, company):
    response = admin_client.get(reverse("accounts:teams"))

    assert response.status_code == 200
    assert "North" in response.text and "South" in response.text
    assert '<td data-label="Members" class="numeric">3</td>' in response.text


def test_admin_creates_a_team_with_members(admin_client, company):
    nobody, head = company["nobody"], company["s_manager2"]

    response = admin_client.post(
        reverse("accounts:team_create"),
        {"name": "East", "head": head.pk, "description": "New region", "members": [nobody.pk]},
    )

    east = Team.objects.get(name="East")
    assert response.status_code == 302
    assert set(east.members.all()) == {nobody, head}
    assert east.head == head
    assert entries_for(east, "create").exists()


def test_a_duplicate_team_name_is_refused_inline(admin_client, company):
    response = admin_client.post(reverse("accounts:team_create"), {"name": "north"})

    assert "A team with this name already exists." in response.text
    assert Team.objects.count() == 2


def test_admin_edits_a_team(admin_client, company):
    team = Team.objects.get(name="North")

    admin_client.post(
        reverse("accounts:team_edit", args=[team.pk]),
        {
            "name": "North-West",
            "head": company["n_head"].pk,
            "description": "",
            "members": [company["n_head"].pk, company["n_manager1"].pk],
        },
    )

    team.refresh_from_db()
    assert team.name == "North-West"
    assert set(team.members.all()) == {company["n_head"], company["n_manager1"]}
    assert entries_for(team, "update").exists()


def test_admin_deletes_a_team_after_confirming(admin_client, company):
    team = Team.objects.get(name="South")
    url = reverse("accounts:team_delete", args=[team.pk])

    confirm = admin_client.get(url)
    response = admin_client.post(url)

    assert "Delete the team" in confirm.text
    assert response.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
    company["s_manager1"].refresh_from_db()
    assert company["s_manager1"].team is None


# --- Roles --------------------------------------------------------------------------------------


def scope_fields(**widget_scopes):
    """Every cell of the permission table as posted, "none" unless given for the widget."""
    data = {
        f"scope__{entity.key}__{action}": "none"
        for entity in access.entities()
        for action in entity.actions
    }
    data.update({f"scope__widget__{action}": scope for action, scope in widget_scopes.items()})
    return data


def test_the_role_page_shows_the_permission_matrix(admin_client, roles):
    response = admin_client.get(reverse("accounts:role_edit", args=[roles["manager"].pk]))

    assert response.status_code == 200
    assert 'name="scope__widget__view"' in response.text
    assert "Widget" in response.text


def test_admin_creates_a_role_with_its_permission_table(admin_client, company):
    response = admin_client.post(
        reverse("accounts:role_create"),
        {"name": "Assistant", "code": "", "description": "Helps", **scope_fields(view="team")},
    )

    role = Role.objects.get(code="assistant")
    assert response.status_code == 302
    assert role.permissions.get(entity="widget", action="view").scope == "team"
    assert not role.permissions.filter(entity="widget", action="edit").exclude(scope="none")
    assert entries_for(role, "create").exists()


def test_admin_changes_a_roles_scopes_and_the_change_is_audited(admin_client, roles):
    manager = roles["manager"]

    admin_client.post(
        reverse("accounts:role_edit", args=[manager.pk]),
        {"name": "Sales manager", "description": "", **scope_fields(view="all", edit="own")},
    )

    manager.refresh_from_db()
    assert manager.name == "Sales manager"
    assert manager.permissions.get(entity="widget", action="view").scope == "all"
    changes = entries_for(manager, "update").values_list("changes", flat=True)
    assert any("widget.view" in change for change in changes)


def test_an_unknown_scope_is_refused_and_nothing_changes(admin_client, roles):
    manager = roles["manager"]
    before = list(manager.permissions.values_list("entity", "action", "scope"))

    response = admin_client.post(
        reverse("accounts:role_edit", args=[manager.pk]),
        {"name": "Manager", **scope_fields(view="everything")},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert list(manager.permissions.values_list("entity", "action", "scope")) == before


def test_a_built_in_role_cannot_be_deleted(admin_client, roles):
    response = admin_client.post(reverse("accounts:role_delete", args=[roles["head"].pk]))

    assert response.status_code == 200
    assert "Built-in roles can be changed but not deleted." in response.text
    assert Role.objects.filter(pk=roles["head"].pk).exists()


def test_an_unused_role_is_deleted(admin_client, company):
    role = Role.objects.create(code="temp", name="Temporary")

    response = admin_client.post(reverse("accounts:role_delete", args=[role.pk]))

    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()


# --- Bulk actions on users ----------------------------------------------------------------------


def test_bulk_deactivate_touches_only_the_selected_users(admin_client, company):
    chosen = [company["n_manager1"], company["s_manager2"]]

    response = admin_client.post(
        reverse("accounts:users"),
        {"action": "deactivate", "selected": [user.pk for user in chosen]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "2 users updated." in response["HX-Trigger"]
    assert set(User.objects.filter(is_active=False)) == set(chosen)


def test_bulk_deactivate_reports_the_users_the_rules_refuse(admin_client, company):
    admin, manager = company["admin"], company["n_manager1"]

    response = admin_client.post(
        reverse("accounts:users"),
        {"action": "deactivate", "selected": [admin.pk, manager.pk]},
        headers={"HX-Request": "true"},
    )

    admin.refresh_from_db()
    manager.refresh_from_db()
    assert admin.is_active and not manager.is_active
    assert "You cannot deactivate yourself." in response["HX-Trigger"]


def test_bulk_assign_to_team_uses_the_chosen_team(admin_client, company):
    south = Team.objects.get(name="South")

    admin_client.post(
        reverse("accounts:users"),
        {
            "action": "assign_team",
            "bulk-assign_team-team": south.pk,
            "selected": [company["nobody"].pk],
        },
    )

    company["nobody"].refresh_from_db()
    assert company["nobody"].team == south


def test_bulk_assign_role(admin_client, company, roles):
    admin_client.post(
        reverse("accounts:users"),
        {
            "action": "assign_role",
            "bulk-assign_role-role": roles["head"].pk,
            "selected": [company["nobody"].pk],
        },
    )

    company["nobody"].refresh_from_db()
    assert company["nobody"].role == roles["head"]
