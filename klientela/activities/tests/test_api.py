"""Activities through the API: the round trip, completing with a follow-up, the calendar range."""

from klientela.activities.models import Activity
from tests.apiclient import ApiClient, assert_documented

from .conftest import at


def test_an_activity_round_trip(client, company, clients):
    api = ApiClient(client, company["n_manager1"])

    created = api.post(
        "/activities",
        {
            "kind": "task",
            "subject": "Prepare the offer",
            "due_at": "2026-03-12T17:00:00+01:00",
            "deal_id": clients["north_deal"].pk,
            "participant_ids": [company["n_manager2"].pk],
            "checklist": ["Prices", "Terms"],
        },
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/activities", "post")
    body = created.json()
    assert body["organization_id"] == clients["north"].pk  # from the deal
    assert body["participant_ids"] == [company["n_manager2"].pk]
    assert [item["text"] for item in body["checklist"]] == ["Prices", "Terms"]
    assert body["occurs_at"] == "2026-03-12T16:00:00Z"
    activity_id = body["id"]

    fetched = api.get(f"/activities/{activity_id}")
    assert_documented(fetched, "/activities/{activity_id}")
    changed = api.patch(f"/activities/{activity_id}", {"priority": "high", "subject": "Offer"})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["priority"], changed.json()["subject"]) == ("high", "Offer")

    item_id = body["checklist"][0]["id"]
    ticked = api.patch(f"/activities/{activity_id}/checklist/{item_id}", {"is_done": True})
    assert ticked.status_code == 200 and ticked.json()["is_done"] is True

    assert api.delete(f"/activities/{activity_id}").status_code == 204
    assert not Activity.objects.exists()


def test_invalid_input_is_a_422_naming_the_field(client, company):
    api = ApiClient(client, company["n_manager1"])

    no_time = api.post("/activities", {"kind": "meeting", "subject": "Demo"})
    bad_kind = api.post(
        "/activities", {"kind": "party", "subject": "x", "starts_at": "2026-03-12T10:00:00Z"}
    )

    assert no_time.status_code == 422
    assert "starts_at" in no_time.json()["error"]["fields"]
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["fields"]
    assert not Activity.objects.exists()


def test_completing_with_a_follow_up(client, company, clients):
    api = ApiClient(client, company["n_manager1"])
    call = api.post(
        "/activities",
        {
            "kind": "call",
            "subject": "Call",
            "starts_at": "2026-03-12T10:00:00Z",
            "organization_id": clients["north"].pk,
        },
    ).json()

    done = api.post(
        f"/activities/{call['id']}/complete",
        {
            "result": "Wants a demo",
            "duration_minutes": 9,
            "follow_up": {"kind": "meeting", "subject": "Demo", "starts_at": "2026-03-13T10:00Z"},
        },
    )

    assert done.status_code == 200, done.json()
    assert_documented(done, "/activities/{activity_id}/complete", "post")
    body = done.json()
    assert (body["activity"]["status"], body["activity"]["duration_minutes"]) == ("done", 9)
    assert body["follow_up"]["follow_up_of_id"] == call["id"]
    assert body["follow_up"]["organization_id"] == clients["north"].pk
    again = api.post(f"/activities/{call['id']}/complete", {"result": "again"})
    assert again.status_code == 422


def test_the_calendar_range_gives_what_overlaps_it(client, company):
    api = ApiClient(client, company["n_manager1"])
    for subject, starts, ends in (
        ("Before", "2026-03-01T10:00Z", None),
        ("Across the start", "2026-03-09T23:00Z", "2026-03-10T01:00Z"),
        ("Inside", "2026-03-12T10:00Z", None),
        ("At the end", "2026-03-17T00:00Z", None),
    ):
        body = {"kind": "meeting", "subject": subject, "starts_at": starts, "ends_at": ends}
        assert api.post("/activities", body).status_code == 201

    week = api.get("/activities", start="2026-03-10T00:00Z", end="2026-03-17T00:00Z")
    backwards = api.get("/activities", start="2026-03-17T00:00Z", end="2026-03-10T00:00Z")

    assert [item["subject"] for item in week.json()["items"]] == ["Across the start", "Inside"]
    assert_documented(week, "/activities")
    assert backwards.status_code == 422


def test_list_filters(client, company, clients):
    api = ApiClient(client, company["n_manager1"])
    for kind, when in (("call", "starts_at"), ("task", "due_at")):
        api.post(
            "/activities",
            {
                "kind": kind,
                "subject": kind,
                when: "2020-03-12T10:00:00Z",
                "organization_id": clients["north"].pk,
            },
        )

    tasks = api.get("/activities", kind="task")
    overdue = api.get("/activities", overdue="true", organization=clients["north"].pk)

    assert [item["subject"] for item in tasks.json()["items"]] == ["task"]
    assert overdue.json()["count"] == 2
    assert all(item["is_overdue"] for item in overdue.json()["items"])


def test_another_team_neither_sees_nor_changes_the_activity(client, company, clients):
    owner = ApiClient(client, company["n_manager1"])
    activity_id = owner.post(
        "/activities", {"kind": "call", "subject": "Call", "starts_at": "2026-03-12T10:00Z"}
    ).json()["id"]
    other = ApiClient(client, company["s_manager1"])

    assert other.get("/activities").json()["count"] == 0
    assert other.get(f"/activities/{activity_id}").status_code == 404
    assert other.patch(f"/activities/{activity_id}", {"subject": "Mine"}).status_code == 404
    assert other.post(f"/activities/{activity_id}/complete", {"result": "x"}).status_code == 404
    assert other.delete(f"/activities/{activity_id}").status_code == 404
    linked = other.post(
        "/activities",
        {
            "kind": "call",
            "subject": "Poach",
            "starts_at": "2026-03-12T10:00Z",
            "organization_id": clients["north"].pk,
        },
    )
    assert linked.status_code == 404
    assert Activity.objects.get().subject == "Call"
    assert Activity.objects.get().status == "planned"
    assert at("2026-03-12T10:00+00:00") == Activity.objects.get().starts_at
