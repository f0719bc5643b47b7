"""Who may see and change North manager 1's call, through the pages and through the API.

Managers see their team's activities and change their own; heads change their team's; another
team gets a 404 as if the call did not exist; on every denial the database stays as it was.
"""

import datetime

import pytest
from django.urls import reverse

from klientela.activities import services
from klientela.activities.models import Activity
from klientela.core.models import AuditEntry
from tests.apiclient import ApiClient

WHEN = datetime.datetime(2026, 3, 12, 10, tzinfo=datetime.UTC)
# Who may view and who may change (complete, edit, cancel, delete) the call.
VIEWERS = {"owner", "colleague", "head", "admin"}
CHANGERS = {"owner", "head", "admin"}
USERS = {
    "owner": "n_manager1",
    "colleague": "n_manager2",
    "head": "n_head",
    "other_manager": "s_manager1",
    "other_head": "s_head",
    "nobody": "nobody",
    "admin": "admin",
}


@pytest.fixture
def call(company, clients):
    return services.create_activity(
        actor=company["n_manager1"],
        kind="call",
        subject="Call about the licences",
        starts_at=WHEN,
        organization=clients["north"],
    )


def state() -> list:
    rows = Activity.objects.order_by("pk").values_list("pk", "subject", "status", "result")
    return [list(rows), AuditEntry.objects.count()]


@pytest.mark.parametrize("who", sorted(USERS))
def test_view_through_the_pages_and_the_api(client, company, call, who):
    user = company[USERS[who]]
    client.force_login(user)
    expected = 200 if who in VIEWERS else 404

    page = client.get(call.get_absolute_url())
    api = ApiClient(client, user).get(f"/activities/{call.pk}")
    listed = ApiClient(client, user).get("/activities").json()["count"]

    assert (page.status_code, api.status_code) == (expected, expected)
    assert listed == (1 if who in VIEWERS else 0)


PAGE_CHANGES = [
    ("activities:complete", {"result": "Done"}),
    ("activities:edit", {"kind": "call", "subject": "Taken", "when": "2026-03-12T10:00"}),
    ("activities:cancel", {}),
    ("activities:delete", {}),
]


@pytest.mark.parametrize("who", sorted(USERS))
@pytest.mark.parametrize(("url_name", "data"), PAGE_CHANGES)
def test_changes_through_the_pages(client, company, call, who, url_name, data):
    client.force_login(company[USERS[who]])
    before = state()

    response = client.post(reverse(url_name, args=[call.pk]), data)

    if who in CHANGERS:
        assert response.status_code == 302
        assert state() != before
    else:
        assert response.status_code == 404
        assert state() == before


API_CHANGES = [
    ("post", "/activities/{id}/complete", {"result": "Done"}),
    ("patch", "/activities/{id}", {"subject": "Taken"}),
    ("post", "/activities/{id}/cancel", {}),
    ("delete", "/activities/{id}", None),
]


@pytest.mark.parametrize("who", sorted(USERS))
@pytest.mark.parametrize(("method", "path", "body"), API_CHANGES)
def test_changes_through_the_api(client, company, call, who, method, path, body):
    api = ApiClient(client, company[USERS[who]])
    before = state()

    url = path.format(id=call.pk)
    response = api.delete(url) if method == "delete" else getattr(api, method)(url, body)

    if who in CHANGERS:
        assert response.status_code in (200, 204), response.json()
        assert state() != before
    else:
        assert response.status_code == 404
        assert state() == before


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client, call):
    before = state()

    page = client.get(call.get_absolute_url())
    api = ApiClient(client).get(f"/activities/{call.pk}")
    post = client.post(reverse("activities:complete", args=[call.pk]), {"result": "x"})

    assert page["Location"].startswith(reverse("accounts:login"))
    assert api.status_code == 401
    assert post.status_code == 302 and state() == before


def test_a_colleague_invited_from_another_team_sees_the_meeting_but_cannot_change_it(
    client, company, clients
):
    guest = company["s_manager1"]
    meeting = services.create_activity(
        actor=company["n_manager1"],
        kind="meeting",
        subject="Joint demo",
        starts_at=WHEN,
        participants=[guest],
    )
    client.force_login(guest)

    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.post(reverse("activities:complete", args=[meeting.pk]), {}).status_code == 404
    assert ApiClient(client, guest).get(f"/activities/{meeting.pk}").status_code == 200


def test_a_manager_may_not_plan_for_a_colleague(client, company):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("activities:create"),
        {
            "kind": "call",
            "subject": "For you",
            "when": "2026-03-12T10:00",
            "responsible": company["n_manager2"].pk,
        },
    )
    api = ApiClient(client, company["n_manager1"]).post(
        "/activities",
        {
            "kind": "call",
            "subject": "For you",
            "starts_at": "2026-03-12T10:00Z",
            "responsible_id": company["n_manager2"].pk,
        },
    )

    assert response.status_code == 200 and "You may not make this user" in response.text
    assert api.status_code == 403
    assert not Activity.objects.exists()
