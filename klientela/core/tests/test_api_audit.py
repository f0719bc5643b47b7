"""The audit history through the API: readable by whoever may view the record, newest first."""

import pytest

from tests.accessapp import services as widget_services
from tests.accessapp.models import Widget
from tests.apiclient import ApiClient, assert_documented


@pytest.fixture
def widget(company):
    """A widget of a North manager, renamed twice by the admin."""
    widget = Widget.objects.create(name="Pump", responsible=company["n_manager2"])
    widget_services.update_widget(actor=company["admin"], widget=widget, name="Pump II")
    widget_services.update_widget(actor=company["admin"], widget=widget, name="Pump III")
    return widget


def test_a_registered_entity_has_its_history_without_extra_setup(client, company, widget):
    # given a team member who may view the widget
    api = ApiClient(client, company["n_manager1"])
    # when
    response = api.get(f"/audit/widget/{widget.pk}")
    # then
    assert response.status_code == 200
    assert_documented(response, "/audit/{entity}/{object_id}")
    body = response.json()
    assert body["count"] == 2
    newest = body["items"][0]
    assert newest["kind"] == "update"
    assert newest["actor"] == {"id": company["admin"].pk, "name": "admin"}
    assert newest["changes"]["name"] == {"label": "name", "old": "Pump II", "new": "Pump III"}


def test_history_is_paginated(client, company, widget):
    body = ApiClient(client, company["admin"]).get(f"/audit/widget/{widget.pk}", limit=1).json()

    assert (body["count"], len(body["items"])) == (2, 1)
    assert body["items"][0]["changes"]["name"]["new"] == "Pump III"


@pytest.mark.parametrize("username", ["s_manager1", "s_head", "nobody"])
def test_the_history_of_a_record_out_of_view_scope_is_not_found(client, company, widget, username):
    response = ApiClient(client, company[username]).get(f"/audit/widget/{widget.pk}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/audit/widget/999999", "/audit/widget/not-a-number", "/audit/spaceship/1"]
)
def test_a_missing_record_or_an_unknown_entity_is_not_found(client, company, path):
    response = ApiClient(client, company["admin"]).get(path)

    assert response.status_code == 404


def test_admin_reads_the_history_of_users_teams_and_roles(client, company, roles):
    api = ApiClient(client, company["admin"])
    north = company["n_head"].team
    api.patch(f"/roles/{roles['manager'].pk}", {"name": "Sales manager"})

    user_history = api.get(f"/audit/user/{company['n_manager1'].pk}").json()
    team_history = api.get(f"/audit/team/{north.pk}").json()
    role_history = api.get(f"/audit/role/{roles['manager'].pk}").json()

    assert user_history["items"][-1]["kind"] == "create"
    assert team_history["items"][-1]["kind"] == "create"
    assert role_history["items"][0]["changes"]["name"]["new"] == "Sales manager"


@pytest.mark.parametrize("username", ["n_head", "n_manager1", "nobody"])
def test_only_administrators_read_the_history_of_users_teams_and_roles(client, company, username):
    api = ApiClient(client, company[username])
    north = company["n_head"].team

    for path in (f"/audit/user/{company[username].pk}", f"/audit/team/{north.pk}"):
        response = api.get(path)

        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden"


def test_the_history_needs_authentication(client, company, widget):
    response = client.get(f"/api/v1/audit/widget/{widget.pk}")

    assert response.status_code == 401
