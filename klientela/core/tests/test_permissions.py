"""Pages and API deny alike: the access matrix, proven on the test-only "widget" entity.

The rule, the same for every entity, page and endpoint:

- anonymous: a page redirects to the sign-in page; the API answers 401 with the JSON error;
- a record outside the user's *view* scope does not exist for them: 404, whatever the action,
  so nobody learns which records exist beyond their scope;
- a record the user may view but not act on (edit, delete): 403, since they already see it;
- allowed: a page shows the record (200) or redirects after the change; the API answers 200/204.

On every denial the database row and the audit history stay exactly as they were.

Widget scopes (tests/accessapp/apps.py): a manager views the team's widgets and edits their own;
a head views and edits the team's; neither deletes; the admin does everything; a user without a
role sees nothing.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from klientela.core.models import AuditEntry
from tests.accessapp.models import Widget
from tests.apiclient import ApiClient

ALLOWED, FORBIDDEN, HIDDEN, ANONYMOUS = "allowed", "403", "404", "anonymous"

# (who acts, whose widget): outcome for view, edit, delete
MATRIX = {
    ("anonymous", "n_manager1"): (ANONYMOUS, ANONYMOUS, ANONYMOUS),
    ("nobody", "nobody"): (HIDDEN, HIDDEN, HIDDEN),
    ("nobody", "n_manager1"): (HIDDEN, HIDDEN, HIDDEN),
    ("n_manager1", "n_manager1"): (ALLOWED, ALLOWED, FORBIDDEN),
    ("n_manager1", "n_manager2"): (ALLOWED, FORBIDDEN, FORBIDDEN),
    ("n_manager1", "s_manager1"): (HIDDEN, HIDDEN, HIDDEN),
    ("n_head", "n_manager2"): (ALLOWED, ALLOWED, FORBIDDEN),
    ("n_head", "s_manager1"): (HIDDEN, HIDDEN, HIDDEN),
    ("admin", "s_manager1"): (ALLOWED, ALLOWED, ALLOWED),
}
ACTIONS = ("view", "edit", "delete")
CASES = [
    pytest.param(actor, owner, action, outcome, id=f"{actor}-on-{owner}s-{action}")
    for (actor, owner), outcomes in MATRIX.items()
    for action, outcome in zip(ACTIONS, outcomes, strict=True)
]


@pytest.fixture
def widgets(company):
    return {
        name: Widget.objects.create(name=f"Widget of {name}", responsible=user)
        for name, user in company.items()
    }


def state(widget: Widget) -> tuple:
    row = Widget.objects.filter(pk=widget.pk).values().first()
    return row, AuditEntry.objects.count()


# --- Pages ------------------------------------------------------------------------------------


def page_request(client, action: str, widget: Widget):
    if action == "view":
        return client.get(f"/widgets/{widget.pk}/")
    if action == "edit":
        return client.post(f"/widgets/{widget.pk}/edit/", {"name": "Renamed"})
    return client.post(f"/widgets/{widget.pk}/delete/")


@pytest.mark.parametrize(("actor", "owner", "action", "outcome"), CASES)
def test_pages(client, company, widgets, actor, owner, action, outcome):
    # given
    widget = widgets[owner]
    if actor != "anonymous":
        client.force_login(company[actor])
    before = state(widget)
    # when
    response = page_request(client, action, widget)
    # then
    if outcome == ALLOWED:
        assert_page_allowed(response, action, widget)
        return
    if outcome == ANONYMOUS:
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    else:
        assert response.status_code == int(outcome)
    assert state(widget) == before


def assert_page_allowed(response, action: str, widget: Widget) -> None:
    if action == "view":
        assert response.status_code == 200
        assert widget.name in response.content.decode()
    elif action == "edit":
        assert response.status_code == 302
        assert response.url == f"/widgets/{widget.pk}/"
        widget.refresh_from_db()
        assert widget.name == "Renamed"
    else:
        assert response.status_code == 302
        assert not Widget.objects.filter(pk=widget.pk).exists()


# --- API --------------------------------------------------------------------------------------


def api_request(api: ApiClient, action: str, widget: Widget):
    if action == "view":
        return api.get(f"/widgets/{widget.pk}")
    if action == "edit":
        return api.patch(f"/widgets/{widget.pk}", {"name": "Renamed"})
    return api.delete(f"/widgets/{widget.pk}")


@pytest.mark.parametrize(("actor", "owner", "action", "outcome"), CASES)
def test_api(client, company, widgets, actor, owner, action, outcome):
    # given
    widget = widgets[owner]
    api = ApiClient(client, None if actor == "anonymous" else company[actor])
    before = state(widget)
    # when
    response = api_request(api, action, widget)
    # then
    if outcome == ALLOWED:
        assert_api_allowed(response, action, widget)
        return
    expected = {
        ANONYMOUS: (401, "unauthorized"),
        HIDDEN: (404, "not_found"),
        FORBIDDEN: (403, "forbidden"),
    }[outcome]
    assert (response.status_code, response.json()["error"]["code"]) == expected
    assert state(widget) == before


def assert_api_allowed(response, action: str, widget: Widget) -> None:
    if action == "view":
        assert response.status_code == 200
        assert response.json()["name"] == widget.name
    elif action == "edit":
        assert response.status_code == 200
        widget.refresh_from_db()
        assert widget.name == response.json()["name"] == "Renamed"
    else:
        assert response.status_code == 204
        assert not Widget.objects.filter(pk=widget.pk).exists()


# --- Lists: the same filter on the page and in the API ----------------------------------------


@pytest.mark.parametrize("actor", ["nobody", "n_manager1", "n_head", "s_head", "admin"])
def test_lists_show_the_same_records_on_pages_and_in_the_api(client, company, widgets, actor):
    user = company[actor]
    expected = set(Widget.objects.visible_to(user, "view").values_list("name", flat=True))
    client.force_login(user)

    page = client.get("/widgets/").content.decode()
    listed = ApiClient(client, user).get("/widgets", limit=500).json()

    shown_on_page = {widget.name for widget in widgets.values() if widget.name in page}
    assert shown_on_page == expected
    assert {item["name"] for item in listed["items"]} == expected
    assert listed["count"] == len(expected)


def test_anonymous_lists_are_refused(client, widgets):
    assert client.get("/widgets/").status_code == 302
    assert client.get("/api/v1/widgets").status_code == 401


def test_an_htmx_request_gets_only_the_rows(client, company, widgets):
    client.force_login(company["admin"])

    response = client.get("/widgets/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Widget of admin" in response.content.decode()
