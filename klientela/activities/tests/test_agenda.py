"""Today and overdue are read in each user's own time zone: Vladivostok is nine hours ahead of
Warsaw in March, so the same moment falls on different days for the two managers."""

import datetime

import pytest

from klientela.activities import services
from klientela.activities.models import Activity

from .conftest import at

# Warsaw: Tuesday 10 March, 22:00. Vladivostok: Wednesday 11 March, 07:00.
NOW = at("2026-03-10T21:00+00:00")


@pytest.fixture
def warsaw(company):
    user = company["n_manager1"]
    user.timezone = "Europe/Warsaw"
    user.save()
    return user


@pytest.fixture
def vladivostok(company):
    user = company["n_manager2"]
    user.timezone = "Asia/Vladivostok"
    user.save()
    return user


def plan(user, subject: str, kind: str = "call", **when) -> Activity:
    return services.create_activity(actor=user, kind=kind, subject=subject, **when)


def subjects(activities) -> list[str]:
    return [activity.subject for activity in activities]


def test_the_same_moment_is_today_in_vladivostok_and_tomorrow_in_warsaw(warsaw, vladivostok):
    # 06:00 UTC on the 11th: 07:00 in Warsaw (tomorrow for them), 16:00 in Vladivostok (today).
    moment = at("2026-03-11T06:00+00:00")
    plan(warsaw, "Warsaw call", starts_at=moment)
    plan(vladivostok, "Vladivostok call", starts_at=moment)

    in_warsaw = services.agenda(warsaw, now=NOW)
    in_vladivostok = services.agenda(vladivostok, now=NOW)

    assert in_warsaw.day == datetime.date(2026, 3, 10)
    assert in_vladivostok.day == datetime.date(2026, 3, 11)
    assert (subjects(in_warsaw.today), subjects(in_warsaw.upcoming)) == ([], ["Warsaw call"])
    assert subjects(in_vladivostok.today) == ["Vladivostok call"]
    assert in_vladivostok.upcoming == []


def test_a_task_due_just_after_midnight_in_warsaw_is_from_yesterday_in_vladivostok(
    warsaw, vladivostok
):
    # 23:30 UTC on the 9th: 00:30 on the 10th in Warsaw, 09:30 on the 10th in Vladivostok.
    due = at("2026-03-09T23:30+00:00")
    plan(warsaw, "Warsaw task", kind="task", due_at=due)
    plan(vladivostok, "Vladivostok task", kind="task", due_at=due)

    in_warsaw = services.agenda(warsaw, now=NOW)
    in_vladivostok = services.agenda(vladivostok, now=NOW)

    # Warsaw: due earlier today, late by hours; Vladivostok: due yesterday, a day overdue.
    assert subjects(in_warsaw.today) == ["Warsaw task"] and in_warsaw.overdue == []
    assert in_warsaw.today[0].lateness == "21 hours overdue"
    assert subjects(in_vladivostok.overdue) == ["Vladivostok task"]
    assert in_vladivostok.today == []
    assert in_vladivostok.overdue[0].lateness == "1 day overdue"


def test_overdue_says_by_how_long(warsaw):
    for days in (1, 2, 5):
        plan(warsaw, f"{days} back", kind="task", due_at=NOW - datetime.timedelta(days=days))
    plan(warsaw, "Minutes ago", kind="task", due_at=NOW - datetime.timedelta(minutes=20))
    plan(warsaw, "Later today", kind="task", due_at=NOW + datetime.timedelta(minutes=30))
    done = plan(warsaw, "Done long ago", kind="task", due_at=NOW - datetime.timedelta(days=3))
    services.complete_activity(actor=warsaw, activity=done, result="Sent")

    agenda = services.agenda(warsaw, now=NOW)

    assert [(item.subject, item.lateness) for item in agenda.overdue] == [
        ("5 back", "5 days overdue"),
        ("2 back", "2 days overdue"),
        ("1 back", "1 day overdue"),
    ]
    assert [(item.subject, item.lateness) for item in agenda.today] == [
        ("Minutes ago", "20 minutes overdue"),
        ("Later today", ""),
    ]


def test_an_all_day_task_is_overdue_from_the_next_morning_of_its_responsible(vladivostok):
    plan(
        vladivostok,
        "Report",
        kind="task",
        due_at=at("2026-03-10T12:00+10:00"),
        is_all_day=True,
    )

    on_the_day = services.agenda(vladivostok, now=at("2026-03-10T13:59+00:00"))  # 23:59 local
    next_morning = services.agenda(vladivostok, now=at("2026-03-10T21:00+00:00"))  # 07:00

    assert subjects(on_the_day.today) == ["Report"] and on_the_day.today[0].lateness == ""
    assert subjects(next_morning.overdue) == ["Report"]
    assert next_morning.overdue[0].lateness == "1 day overdue"


def test_the_agenda_holds_a_meeting_one_takes_part_in_and_leaves_out_cancelled_ones(
    company, warsaw
):
    colleague = company["n_manager2"]
    meeting = services.create_activity(
        actor=colleague,
        kind="meeting",
        subject="Joint demo",
        starts_at=NOW - datetime.timedelta(hours=1),
        ends_at=NOW + datetime.timedelta(minutes=30),
        participants=[warsaw],
    )
    cancelled = plan(warsaw, "Called off", starts_at=NOW - datetime.timedelta(hours=2))
    services.cancel_activity(actor=warsaw, activity=cancelled)
    plan(colleague, "Not mine", starts_at=NOW)

    agenda = services.agenda(warsaw, now=NOW)

    assert subjects(agenda.today) == ["Joint demo"]
    # Taking part is not owning it: only the responsible completes it from the agenda.
    assert agenda.today[0].may_change is False
    assert services.agenda(colleague, now=NOW).today[0] == meeting
