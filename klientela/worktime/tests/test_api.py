"""Working time through the API: time entries and absences round trips, the week, the report."""

from klientela.worktime.models import Absence, TimeEntry
from tests.apiclient import ApiClient, assert_documented

from .conftest import done, plan


def test_a_time_entry_round_trip(client, company):
    manager = company["n_manager1"]
    call = plan(manager, "call", "2026-03-10 10:00")
    api = ApiClient(client, manager)

    created = api.post(
        "/time-entries", {"day": "2026-03-10", "minutes": 45, "activity_id": call.pk}
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/time-entries", "post")
    entry_id = created.json()["id"]
    changed = api.patch(f"/time-entries/{entry_id}", {"minutes": 60, "note": "With the offer"})
    listed = api.get("/time-entries", since="2026-03-09", until="2026-03-15")
    week = api.get("/timesheet", week="2026-03-12")

    assert changed.status_code == 200 and changed.json()["minutes"] == 60
    assert listed.json()["count"] == 1
    assert_documented(week, "/timesheet")
    assert week.json()["week_start"] == "2026-03-09"
    assert week.json()["rows"][0]["minutes"] == [0, 60, 0, 0, 0, 0, 0]
    assert week.json()["total"] == 60
    assert api.delete(f"/time-entries/{entry_id}").status_code == 204
    assert not TimeEntry.objects.exists()


def test_invalid_time_is_a_422_naming_the_field(client, company):
    api = ApiClient(client, company["n_manager1"])

    no_note = api.post("/time-entries", {"day": "2026-03-10", "minutes": 30})
    too_long = api.post("/time-entries", {"day": "2026-03-10", "minutes": 3000, "note": "x"})

    assert no_note.status_code == 422 and "note" in no_note.json()["error"]["fields"]
    assert too_long.status_code == 422
    assert not TimeEntry.objects.exists()


def test_completing_through_the_api_logs_the_time_spent(client, company):
    manager = company["n_manager1"]
    task = plan(manager, "task", "2026-03-10 17:00")
    api = ApiClient(client, manager)

    answer = api.post(
        f"/activities/{task.pk}/complete", {"result": "Sent.", "time_spent_minutes": 25}
    )

    assert answer.status_code == 200, answer.json()
    assert TimeEntry.objects.get().minutes == 25


def test_absences_range_and_approval(client, company):
    manager, head = company["n_manager1"], company["n_head"]
    mine = ApiClient(client, manager)

    created = mine.post(
        "/absences", {"kind": "vacation", "starts_on": "2026-07-01", "ends_on": "2026-07-10"}
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/absences", "post")
    absence_id = created.json()["id"]
    self_approved = mine.post(f"/absences/{absence_id}/approve", {})
    bad_kind = mine.post(
        "/absences", {"kind": "party", "starts_on": "2026-08-01", "ends_on": "2026-08-01"}
    )
    in_range = mine.get("/absences", start="2026-07-10", end="2026-07-20")
    outside = mine.get("/absences", start="2026-07-11", end="2026-07-20")
    approved = ApiClient(client, head).post(f"/absences/{absence_id}/approve", {})

    assert self_approved.status_code == 403
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["fields"]
    assert [item["id"] for item in in_range.json()["items"]] == [absence_id]
    assert outside.json()["count"] == 0
    assert approved.status_code == 200 and approved.json()["is_approved"] is True
    assert Absence.objects.get().approved_by == head


def test_the_report_through_the_api(client, company):
    manager = company["n_manager1"]
    done(manager, "call", "2026-03-10 10:00")
    done(manager, "meeting", "2026-03-11 10:00", ends="2026-03-11 11:00")
    head = ApiClient(client, company["n_head"])

    answer = head.get("/reports/manager-activity", start="2026-03-09", end="2026-03-15")
    own = ApiClient(client, manager).get("/reports/manager-activity")
    backwards = head.get("/reports/manager-activity", start="2026-03-15", end="2026-03-09")

    assert answer.status_code == 200
    assert_documented(answer, "/reports/manager-activity")
    rows = {row["manager"]: row for row in answer.json()["rows"]}
    assert set(rows) == {"n_head", "n_manager1", "n_manager2"}
    assert (rows["n_manager1"]["calls_out"], rows["n_manager1"]["meetings"]) == (1, 1)
    assert [row["manager"] for row in own.json()["rows"]] == ["n_manager1"]
    assert backwards.status_code == 422
