"""Users, teams, roles and the permission table through the API: administrators only."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from klientela.accounts.models import Role, RolePermission, Team, User
from klientela.core.models import AuditEntry
from tests.apiclient import ApiClient, assert_documented


def history(model, pk: int):
    content_type = ContentType.objects.get_for_model(model)
    return AuditEntry.objects.filter(content_type=content_type, object_id=str(pk))


def audited(obj, kind: str) -> bool:
    return history(type(obj), obj.pk).filter(kind=kind).exists()


def snapshot_of_accounts() -> tuple:
    return (
        list(User.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
        list(Role.objects.order_by("pk").values()),
        list(RolePermission.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


# --- Users ------------------------------------------------------------------------------------


def test_admin_lists_users_with_filters(client, company, roles):
    api = ApiClient(client, company["admin"])
    north = Team.objects.get(name="North")

    everyone = api.get("/users")
    north_managers = api.get("/users", team=north.pk, role=roles["manager"].pk)
    searched = api.get("/users", q="S_MANAGER")

    assert everyone.status_code == 200
    assert everyone.json()["count"] == User.objects.count()
    assert_documented(everyone, "/users")
    assert {user["username"] for user in north_managers.json()["items"]} == {
        "n_manager1",
        "n_manager2",
    }
    assert {user["username"] for user in searched.json()["items"]} == {
        "s_manager1",
        "s_manager2",
    }


def test_admin_filters_users_by_activity(client, company):
    api = ApiClient(client, company["admin"])
    api.delete(f"/users/{company['s_manager2'].pk}")

    inactive = api.get("/users", is_active="false")

    assert [user["username"] for user in inactive.json()["items"]] == ["s_manager2"]


def test_admin_finds_users_without_a_team_or_role(client, company):
    api = ApiClient(client, company["admin"])

    without_team = api.get("/users", team="null").json()["items"]
    without_role = api.get("/users", role="null").json()["items"]

    assert {user["username"] for user in without_team} == {"admin", "nobody"}
    assert [user["username"] for user in without_role] == ["nobody"]


def test_an_unknown_filter_value_is_a_field_error(client, company):
    response = ApiClient(client, company["admin"]).get("/users", team=999999)

    assert response.status_code == 422
    assert "team" in response.json()["error"]["fields"]


def test_admin_creates_a_user(client, company, roles):
    # given
    api = ApiClient(client, company["admin"])
    north = Team.objects.get(name="North")
    # when
    response = api.post(
        "/users",
        {
            "username": "n_manager3",
            "password": PASSWORD,
            "first_name": "Nika",
            "email": "nika@example.com",
            "team_id": north.pk,
            "role_id": roles["manager"].pk,
        },
    )
    # then
    assert response.status_code == 201
    assert_documented(response, "/users", "post")
    user = User.objects.get(username="n_manager3")
    assert (user.team, user.role, user.first_name) == (north, roles["manager"], "Nika")
    assert user.check_password(PASSWORD)
    assert audited(user, "create")


def test_a_duplicate_user_name_is_a_field_error(client, company):
    api = ApiClient(client, company["admin"])
    users_before = User.objects.count()

    response = api.post("/users", {"username": "N_Manager1", "password": PASSWORD})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "username" in response.json()["error"]["fields"]
    assert User.objects.count() == users_before


def test_a_weak_password_is_a_field_error(client, company):
    response = ApiClient(client, company["admin"]).post(
        "/users", {"username": "weak", "password": "12345"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["password"]
    assert not User.objects.filter(username="weak").exists()


def test_an_unknown_team_id_is_a_field_error(client, company):
    response = ApiClient(client, company["admin"]).post(
        "/users", {"username": "lost", "team_id": 999999}
    )

    assert response.status_code == 422
    assert "team_id" in response.json()["error"]["fields"]
    assert not User.objects.filter(username="lost").exists()


def test_a_missing_user_name_is_an_input_error(client, company):
    response = ApiClient(client, company["admin"]).post("/users", {"first_name": "Anon"})

    assert response.status_code == 422
    assert "username" in response.json()["error"]["fields"]


def test_admin_changes_a_user(client, company, roles):
    api = ApiClient(client, company["admin"])
    manager = company["s_manager1"]

    response = api.patch(
        f"/users/{manager.pk}", {"role_id": roles["head"].pk, "team_id": None, "phone": "+386 1"}
    )

    assert response.status_code == 200
    manager.refresh_from_db()
    assert (manager.role, manager.team, manager.phone) == (roles["head"], None, "+386 1")
    entry = history(User, manager.pk).filter(kind="update").first()
    assert {"role", "team", "phone"} <= set(entry.changes)


def test_admin_sets_a_password(client, company):
    manager = company["s_manager1"]

    response = ApiClient(client, company["admin"]).post(
        f"/users/{manager.pk}/password", {"password": "Another-pass-77"}
    )

    assert response.status_code == 204
    manager.refresh_from_db()
    assert manager.check_password("Another-pass-77")


def test_deleting_a_user_deactivates_and_keeps_them(client, company):
    manager = company["s_manager1"]

    response = ApiClient(client, company["admin"]).delete(f"/users/{manager.pk}")

    assert response.status_code == 204
    manager.refresh_from_db()
    assert manager.is_active is False
    assert audited(manager, "update")


def test_an_admin_cannot_deactivate_themselves(client, company):
    admin = company["admin"]

    response = ApiClient(client, admin).delete(f"/users/{admin.pk}")

    assert response.status_code == 422
    assert "is_active" in response.json()["error"]["fields"]
    admin.refresh_from_db()
    assert admin.is_active


def test_a_missing_user_is_not_found(client, company):
    response = ApiClient(client, company["admin"]).get("/users/999999")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Teams ------------------------------------------------------------------------------------


def test_admin_creates_a_team_with_a_head_and_members(client, company):
    # given
    api = ApiClient(client, company["admin"])
    head, member = company["s_manager1"], company["s_manager2"]
    # when
    response = api.post("/teams", {"name": "East", "head_id": head.pk, "member_ids": [member.pk]})
    # then
    assert response.status_code == 201
    assert_documented(response, "/teams", "post")
    assert response.json()["head_id"] == head.pk
    assert response.json()["member_ids"] == sorted([head.pk, member.pk])
    team = Team.objects.get(name="East")
    assert set(team.members.all()) == {head, member}
    assert audited(team, "create")


def test_admin_lists_and_reads_teams(client, company):
    api = ApiClient(client, company["admin"])
    north = Team.objects.get(name="North")

    listed = api.get("/teams")
    one = api.get(f"/teams/{north.pk}")

    assert [team["name"] for team in listed.json()["items"]] == ["North", "South"]
    assert_documented(listed, "/teams")
    assert one.json()["head_id"] == company["n_head"].pk
    assert set(one.json()["member_ids"]) == {
        company["n_head"].pk,
        company["n_manager1"].pk,
        company["n_manager2"].pk,
    }


def test_admin_replaces_the_members_of_a_team(client, company):
    north = Team.objects.get(name="North")
    keep = [company["n_head"].pk, company["n_manager1"].pk]

    response = ApiClient(client, company["admin"]).patch(
        f"/teams/{north.pk}", {"name": "North-West", "member_ids": keep}
    )

    assert response.status_code == 200
    north.refresh_from_db()
    assert north.name == "North-West"
    assert sorted(north.members.values_list("pk", flat=True)) == sorted(keep)
    company["n_manager2"].refresh_from_db()
    assert company["n_manager2"].team is None


def test_a_duplicate_team_name_is_a_field_error(client, company):
    response = ApiClient(client, company["admin"]).post("/teams", {"name": "north"})

    assert response.status_code == 422
    assert "name" in response.json()["error"]["fields"]
    assert Team.objects.count() == 2


def test_admin_deletes_a_team_and_its_members_stay(client, company):
    south = Team.objects.get(name="South")

    response = ApiClient(client, company["admin"]).delete(f"/teams/{south.pk}")

    assert response.status_code == 204
    assert not Team.objects.filter(pk=south.pk).exists()
    company["s_manager1"].refresh_from_db()
    assert company["s_manager1"].team is None
    assert history(Team, south.pk).filter(kind="delete").exists()


# --- Roles and the permission table -----------------------------------------------------------


def test_admin_creates_changes_and_deletes_a_role(client, company):
    api = ApiClient(client, company["admin"])

    created = api.post("/roles", {"code": "auditor", "name": "Auditor"})
    role = Role.objects.get(code="auditor")
    changed = api.patch(f"/roles/{role.pk}", {"name": "Internal auditor"})
    deleted = api.delete(f"/roles/{role.pk}")

    assert created.status_code == 201
    assert_documented(created, "/roles", "post")
    assert changed.status_code == 200
    assert changed.json()["name"] == "Internal auditor"
    assert deleted.status_code == 204
    assert not Role.objects.filter(code="auditor").exists()
    assert set(history(Role, role.pk).values_list("kind", flat=True)) == {
        "create",
        "update",
        "delete",
    }


def test_a_duplicate_role_code_is_a_field_error(client, company):
    response = ApiClient(client, company["admin"]).post(
        "/roles", {"code": "manager", "name": "Another manager"}
    )

    assert response.status_code == 422
    assert "code" in response.json()["error"]["fields"]


@pytest.mark.parametrize("code", ["admin", "manager"])
def test_a_built_in_or_used_role_cannot_be_deleted(client, company, roles, code):
    response = ApiClient(client, company["admin"]).delete(f"/roles/{roles[code].pk}")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Role.objects.filter(code=code).exists()


def test_admin_reads_the_permission_table_of_a_role(client, company, roles):
    response = ApiClient(client, company["admin"]).get(f"/roles/{roles['manager'].pk}/permissions")

    assert response.status_code == 200
    assert_documented(response, "/roles/{role_id}/permissions")
    rows = {(row["entity"], row["action"]): row["scope"] for row in response.json()}
    assert rows[("widget", "view")] == "team"
    assert rows[("widget", "delete")] == "none"


def test_admin_replaces_the_permission_table(client, company, roles):
    # given
    api = ApiClient(client, company["admin"])
    manager_role = roles["manager"]
    # when
    response = api.put(
        f"/roles/{manager_role.pk}/permissions",
        [{"entity": "widget", "action": "view", "scope": "all"}],
    )
    # then
    assert response.status_code == 200
    table = {(row.entity, row.action): row.scope for row in manager_role.permissions.all()}
    assert table[("widget", "view")] == "all"
    assert table[("widget", "edit")] == "none"  # left out, so set to none
    assert history(Role, manager_role.pk).filter(kind="update").exists()


def test_an_unknown_permission_refuses_the_whole_table(client, company, roles):
    manager_role = roles["manager"]
    before = list(manager_role.permissions.order_by("pk").values())

    response = ApiClient(client, company["admin"]).put(
        f"/roles/{manager_role.pk}/permissions",
        [
            {"entity": "widget", "action": "view", "scope": "all"},
            {"entity": "spaceship", "action": "fly", "scope": "all"},
        ],
    )

    assert response.status_code == 422
    assert list(manager_role.permissions.order_by("pk").values()) == before


def test_admin_lists_the_access_entities(client, company):
    response = ApiClient(client, company["admin"]).get("/access/entities")

    assert response.status_code == 200
    assert_documented(response, "/access/entities")
    widget = next(entity for entity in response.json() if entity["key"] == "widget")
    assert {action["key"] for action in widget["actions"]} >= {"view", "edit", "delete"}


# --- Everyone else is refused and nothing changes ---------------------------------------------


def admin_calls(company, roles):
    north = Team.objects.get(name="North")
    target = company["s_manager1"]
    manager_role = roles["manager"]
    return [
        ("get", "/users", None),
        ("get", f"/users/{target.pk}", None),
        ("post", "/users", {"username": "intruder", "password": PASSWORD}),
        ("patch", f"/users/{target.pk}", {"role_id": roles["admin"].pk}),
        ("post", f"/users/{target.pk}/password", {"password": "Hijacked-pass-1"}),
        ("delete", f"/users/{target.pk}", None),
        ("get", "/teams", None),
        ("get", f"/teams/{north.pk}", None),
        ("post", "/teams", {"name": "Rogue"}),
        ("patch", f"/teams/{north.pk}", {"name": "Taken"}),
        ("delete", f"/teams/{north.pk}", None),
        ("get", "/roles", None),
        ("get", f"/roles/{manager_role.pk}", None),
        ("post", "/roles", {"code": "rogue", "name": "Rogue"}),
        ("patch", f"/roles/{manager_role.pk}", {"is_admin": True}),
        ("delete", f"/roles/{manager_role.pk}", None),
        ("get", f"/roles/{manager_role.pk}/permissions", None),
        (
            "put",
            f"/roles/{manager_role.pk}/permissions",
            [{"entity": "widget", "action": "delete", "scope": "all"}],
        ),
        ("get", "/access/entities", None),
    ]


@pytest.mark.parametrize("username", ["n_head", "n_manager1", "nobody"])
def test_only_administrators_reach_the_admin_endpoints(client, company, roles, username):
    api = ApiClient(client, company[username])
    before = snapshot_of_accounts()

    for method, path, body in admin_calls(company, roles):
        call = getattr(api, method)
        response = call(path) if method in ("get", "delete") else call(path, body)

        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["error"]["code"] == "forbidden"
    assert snapshot_of_accounts() == before


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/users", "/teams", "/roles"])
def test_list_queries_do_not_grow_with_the_rows(client, company, roles, path):
    api = ApiClient(client, company["admin"])
    api.get(path)  # the token's first use is noted once

    with CaptureQueriesContext(connection) as few:
        api.get(path)
    for number in range(5):
        team = Team.objects.create(name=f"Extra {number}")
        User.objects.create(username=f"extra{number}", team=team, role=roles["manager"])
        Role.objects.create(code=f"extra{number}", name=f"Extra {number}")
    with CaptureQueriesContext(connection) as many:
        api.get(path)

    assert len(many) == len(few)
