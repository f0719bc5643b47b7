"""Reminders, reminder settings and the calendar feed's address through the API (own only)."""

import pytest

from klientela.activities import reminders
from tests.apiclient import ApiClient, assert_documented

pytestmark = pytest.mark.django_db


def test_reminder_fields_on_activities(client, company):
    api = ApiClient(client, company["n_manager1"])
    created = api.post(
        "/activities",
        {"kind": "call", "subject": "Call", "starts_at": "2026-03-12T10:00:00Z"},
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/activities", "post")
    body = created.json()
    assert body["remind_minutes"] == 15  # the default's default
    assert body["remind_at"] == "2026-03-12T09:45:00Z"
    assert body["reminded_at"] is None
    changed = api.patch(f"/activities/{body['id']}", {"remind_minutes": 1440})
    assert changed.json()["remind_at"] == "2026-03-11T10:00:00Z"
    silenced = api.patch(f"/activities/{body['id']}", {"remind_minutes": None})
    assert (silenced.json()["remind_minutes"], silenced.json()["remind_at"]) == (None, None)
    wrong = api.patch(f"/activities/{body['id']}", {"remind_minutes": 7})
    assert wrong.status_code == 422 and "remind_minutes" in wrong.json()["error"]["fields"]
    none = api.post(
        "/activities",
        {
            "kind": "call",
            "subject": "No reminder",
            "starts_at": "2026-03-12T10:00:00Z",
            "remind_minutes": None,
        },
    )
    assert none.json()["remind_minutes"] is None


def test_reminder_settings_are_ones_own(client, company):
    manager = company["n_manager1"]
    api = ApiClient(client, manager)
    got = api.get("/me/reminders")
    assert_documented(got, "/me/reminders")
    assert got.json() == {"remind_minutes": 15, "email_reminders": True}
    put = api.put("/me/reminders", {"remind_minutes": 60, "email_reminders": False})
    assert put.status_code == 200, put.json()
    assert reminders.preferences_of(manager).remind_minutes == 60
    created = api.post(
        "/activities", {"kind": "task", "subject": "T", "due_at": "2026-03-12T10:00:00Z"}
    )
    assert created.json()["remind_minutes"] == 60
    bad = api.put("/me/reminders", {"remind_minutes": 3, "email_reminders": True})
    assert bad.status_code == 422


def test_the_feed_address_is_ones_own(client, company):
    api = ApiClient(client, company["n_manager1"])
    assert api.get("/me/calendar-feed").json() == {"url": None}
    made = api.post("/me/calendar-feed")
    assert_documented(made, "/me/calendar-feed", "post")
    url = made.json()["url"]
    assert url.startswith("http://testserver/activities/feed/") and url.endswith(".ics")
    assert api.get("/me/calendar-feed").json() == {"url": url}
    path = url.removeprefix("http://testserver")
    client.logout()
    assert client.get(path).status_code == 200
    other = ApiClient(client, company["n_manager2"])
    assert other.get("/me/calendar-feed").json() == {"url": None}
    assert api.delete("/me/calendar-feed").status_code == 204
    assert client.get(path).status_code == 404
