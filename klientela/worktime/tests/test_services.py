"""Working-time rules: logging, the timesheet cell, the week, planned load, absences, approval."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.activities import services as activities
from klientela.activities.models import Activity
from klientela.worktime import services
from klientela.worktime.models import Absence, TimeEntry

from .conftest import at, day, done, plan


def test_time_is_logged_on_an_activity_with_its_client(company, clients):
    manager = company["n_manager1"]
    call = plan(manager, "call", "2026-03-10 10:00", organization=clients["north"])

    entry = services.log_time(actor=manager, day=day("2026-03-10"), minutes=45, activity=call)

    assert (entry.user, entry.minutes, entry.organization) == (manager, 45, clients["north"])


def test_other_work_needs_a_note_and_a_day_holds_at_most_24_hours(company):
    manager = company["n_manager1"]

    with pytest.raises(ValidationError) as no_note:
        services.log_time(actor=manager, day=day("2026-03-10"), minutes=30)
    services.log_time(actor=manager, day=day("2026-03-10"), minutes=23 * 60, note="Inventory")
    with pytest.raises(ValidationError) as too_much:
        services.log_time(actor=manager, day=day("2026-03-10"), minutes=61, note="More")

    assert "note" in no_note.value.message_dict
    assert "minutes" in too_much.value.message_dict
    assert TimeEntry.objects.count() == 1


def test_a_manager_logs_only_their_own_time_a_head_the_team(company):
    manager, head = company["n_manager1"], company["n_head"]
    colleague, other_team = company["n_manager2"], company["s_manager1"]

    with pytest.raises(PermissionDenied):
        services.log_time(
            actor=manager, user=colleague, day=day("2026-03-10"), minutes=30, note="x"
        )
    services.log_time(actor=head, user=colleague, day=day("2026-03-10"), minutes=30, note="x")
    with pytest.raises(PermissionDenied):
        services.log_time(actor=head, user=other_team, day=day("2026-03-10"), minutes=30, note="x")

    assert list(TimeEntry.objects.values_list("user__username", flat=True)) == ["n_manager2"]


def test_time_cannot_be_logged_on_an_activity_one_does_not_see(company):
    south = plan(company["s_manager1"], "call", "2026-03-10 10:00")

    with pytest.raises(ValidationError) as error:
        services.log_time(
            actor=company["n_manager1"], day=day("2026-03-10"), minutes=30, activity=south
        )

    assert "activity" in error.value.message_dict
    assert not TimeEntry.objects.exists()


def test_a_timesheet_cell_becomes_what_is_typed(company):
    manager = company["n_manager1"]
    task = plan(manager, "task", "2026-03-10 17:00")
    monday = day("2026-03-09")
    services.log_time(actor=manager, day=monday, minutes=30, activity=task, note="Prices")
    services.log_time(actor=manager, day=monday, minutes=20, activity=task, note="Terms")

    services.set_day_minutes(actor=manager, user=manager, day=monday, minutes=90, activity=task)
    cell = list(TimeEntry.objects.values_list("minutes", "note"))
    services.set_day_minutes(actor=manager, user=manager, day=monday, minutes=0, activity=task)

    assert cell == [(90, "Prices; Terms")]
    assert not TimeEntry.objects.exists()


def test_the_week_has_a_row_per_activity_and_totals(company, clients):
    manager = company["n_manager1"]
    call = plan(manager, "call", "2026-03-10 10:00", organization=clients["north"])
    meeting = plan(manager, "meeting", "2026-03-11 10:00", ends="2026-03-11 11:00")
    services.log_time(actor=manager, day=day("2026-03-10"), minutes=30, activity=call)
    services.log_time(actor=manager, day=day("2026-03-11"), minutes=15, activity=call)
    services.log_time(actor=manager, day=day("2026-03-11"), minutes=60, activity=meeting)
    services.log_time(actor=manager, day=day("2026-03-15"), minutes=45, note="Report")
    services.log_time(actor=manager, day=day("2026-03-16"), minutes=45, note="Next week")
    services.request_absence(
        actor=manager, kind="vacation", starts_on=day("2026-03-13"), ends_on=day("2026-03-20")
    )
    untouched = plan(manager, "task", "2026-03-12 17:00")
    plan(manager, "task", "2026-03-16 17:00")  # next week
    plan(company["n_manager2"], "task", "2026-03-12 17:00")  # a colleague's

    sheet = services.timesheet(manager, manager, day("2026-03-12"))

    assert sheet.first == day("2026-03-09")
    rows = {row.label: row.minutes for row in sheet.rows}
    assert rows == {
        call.subject: [0, 30, 15, 0, 0, 0, 0],
        meeting.subject: [0, 0, 60, 0, 0, 0, 0],
        untouched.subject: [0] * 7,
        "Other work": [0, 0, 0, 0, 0, 0, 45],
    }
    assert sheet.rows[-1].activity is None  # other work comes last
    assert sheet.day_totals == [0, 30, 75, 0, 0, 0, 45]
    assert sheet.total == 150
    assert [bool(absence) for absence in sheet.absent_on()] == [0, 0, 0, 0, 1, 1, 1]


def test_a_manager_may_not_open_a_colleagues_week(company):
    with pytest.raises(PermissionDenied):
        services.timesheet(company["n_manager1"], company["n_manager2"], day("2026-03-10"))
    assert services.timesheet(company["n_head"], company["n_manager2"], day("2026-03-10"))


def test_completing_with_time_spent_logs_it_for_that_day(company):
    manager = company["n_manager1"]
    task = plan(manager, "task", "2026-03-10 17:00")

    activities.complete_activity(
        actor=manager,
        activity=task,
        result="Sent.",
        now=at("2026-03-11 09:00"),
        time_spent=datetime.timedelta(minutes=40),
    )

    entry = TimeEntry.objects.get()
    assert (entry.user, entry.day, entry.minutes, entry.activity) == (
        manager,
        day("2026-03-11"),
        40,
        task,
    )


def test_a_refused_log_undoes_the_completion(company):
    manager = company["n_manager1"]
    services.log_time(actor=manager, day=day("2026-03-11"), minutes=23 * 60, note="Fair")
    task = plan(manager, "task", "2026-03-10 17:00")

    with pytest.raises(ValidationError):
        activities.complete_activity(
            actor=manager,
            activity=task,
            result="Sent.",
            now=at("2026-03-11 09:00"),
            time_spent=datetime.timedelta(hours=2),
        )

    assert Activity.objects.get(pk=task.pk).status == "planned"


def test_planned_load_sums_planned_time_per_week_against_the_norm(company):
    manager = company["n_manager1"]
    # Week of 9 March: a two-hour meeting, a 30-minute call (its duration), a call with no end.
    plan(manager, "meeting", "2026-03-10 10:00", ends="2026-03-10 12:00")
    plan(manager, "call", "2026-03-11 10:00", duration=datetime.timedelta(minutes=30))
    plan(manager, "call", "2026-03-11 15:00")
    # Not counted: done, all-day, or someone else's.
    done(manager, "meeting", "2026-03-12 10:00", ends="2026-03-12 18:00")
    plan(manager, "meeting", "2026-03-12 00:00", is_all_day=True)
    plan(company["n_manager2"], "meeting", "2026-03-12 10:00", ends="2026-03-12 11:00")
    # Week of 16 March: an hour, and two days away.
    plan(manager, "meeting", "2026-03-17 10:00", ends="2026-03-17 11:00")
    services.request_absence(
        actor=manager, kind="sick", starts_on=day("2026-03-19"), ends_on=day("2026-03-22")
    )

    rows = services.planned_load(manager, first=day("2026-03-11"), weeks=2)

    assert [row.user for row in rows] == [manager]  # a manager sees their own
    first, second = rows[0].weeks
    assert (first.first, first.planned_minutes, first.norm_minutes) == (
        day("2026-03-09"),
        150,
        40 * 60,
    )
    assert (second.planned_minutes, second.absent_days, second.norm_minutes) == (60, 2, 24 * 60)


def test_planned_load_of_a_head_covers_the_team(company):
    rows = services.planned_load(company["n_head"], first=day("2026-03-09"), weeks=1)

    assert {row.user.username for row in rows} == {"n_head", "n_manager1", "n_manager2"}


def test_absences_between_touching_days_and_overlaps_refused(company):
    manager, colleague = company["n_manager1"], company["n_manager2"]
    vacation = services.request_absence(
        actor=manager, kind="vacation", starts_on=day("2026-03-09"), ends_on=day("2026-03-13")
    )
    services.request_absence(
        actor=colleague,
        kind="business_trip",
        starts_on=day("2026-03-20"),
        ends_on=day("2026-03-20"),
    )

    with pytest.raises(ValidationError):
        services.request_absence(
            actor=manager, kind="sick", starts_on=day("2026-03-13"), ends_on=day("2026-03-14")
        )
    found = services.absences_between([manager, colleague], day("2026-03-13"), day("2026-03-19"))
    seen_by_manager = services.absences_between(
        [manager, colleague], day("2026-03-01"), day("2026-03-31"), viewer=manager
    )

    assert found == [vacation]
    assert seen_by_manager == [vacation]


def test_heads_approve_their_team_admins_everyone_nobody_themselves(company):
    manager, head, admin = company["n_manager1"], company["n_head"], company["admin"]
    own = services.request_absence(
        actor=manager, kind="vacation", starts_on=day("2026-04-01"), ends_on=day("2026-04-03")
    )
    south = services.request_absence(
        actor=company["s_manager1"],
        kind="vacation",
        starts_on=day("2026-04-01"),
        ends_on=day("2026-04-02"),
    )
    heads_own = services.request_absence(
        actor=head, kind="vacation", starts_on=day("2026-04-01"), ends_on=day("2026-04-02")
    )

    with pytest.raises(PermissionDenied):
        services.approve_absence(actor=manager, absence=own)
    with pytest.raises(PermissionDenied):
        services.approve_absence(actor=head, absence=south)
    with pytest.raises(PermissionDenied):
        services.approve_absence(actor=head, absence=heads_own)
    services.approve_absence(actor=head, absence=own)
    services.approve_absence(actor=admin, absence=south)

    approved = set(Absence.objects.filter(is_approved=True).values_list("pk", flat=True))
    assert approved == {own.pk, south.pk}
    assert Absence.objects.get(pk=own.pk).approved_by == head


def test_a_managers_change_of_an_approved_absence_asks_again(company):
    manager, head = company["n_manager1"], company["n_head"]
    absence = services.request_absence(
        actor=head,
        user=manager,
        kind="vacation",
        starts_on=day("2026-04-01"),
        ends_on=day("2026-04-03"),
        is_approved=True,
    )

    services.update_absence(actor=manager, absence=absence, ends_on=day("2026-04-06"))

    absence.refresh_from_db()
    assert (absence.ends_on, absence.is_approved, absence.approved_by) == (
        day("2026-04-06"),
        False,
        None,
    )
