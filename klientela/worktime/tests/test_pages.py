"""Working-time pages: the activity panel, completing with time spent, the timesheet and its
cells, planned load, absences, the report with drill-down links and its export."""

import datetime

from django.urls import reverse
from django.utils import timezone

from klientela.worktime import services
from klientela.worktime.models import Absence, TimeEntry

from .conftest import day, plan

HTMX = {"HX-Request": "true"}


def today():
    return timezone.now().date()


def test_the_activity_card_shows_the_panel_and_logs_time(client, company):
    manager = company["n_manager1"]
    call = plan(manager, "call", f"{today()} 10:00")
    client.force_login(manager)

    card = client.get(call.get_absolute_url())
    logged = client.post(
        reverse("worktime:log_on_activity", args=[call.pk]),
        {"day": today().isoformat(), "time": "1:15", "note": "Prepared"},
        headers=HTMX,
    )

    assert 'data-testid="worktime-panel"' in card.text
    assert logged.status_code == 200
    assert "1 h 15 min" in logged.text
    assert "Time logged." in logged["HX-Trigger"]
    entry = TimeEntry.objects.get()
    assert (entry.user, entry.minutes, entry.activity, entry.note) == (
        manager,
        75,
        call,
        "Prepared",
    )


def test_a_bad_time_comes_back_on_the_panel(client, company):
    manager = company["n_manager1"]
    call = plan(manager, "call", f"{today()} 10:00")
    client.force_login(manager)

    answer = client.post(
        reverse("worktime:log_on_activity", args=[call.pk]),
        {"day": today().isoformat(), "time": "soon"},
        headers=HTMX,
    )

    assert "Write the time as 1:30, 1.5 or 90m." in answer.text
    assert not TimeEntry.objects.exists()


def test_completing_with_time_spent_logs_it(client, company):
    manager = company["n_manager1"]
    task = plan(manager, "task", f"{today()} 17:00")
    client.force_login(manager)

    form = client.get(reverse("activities:complete", args=[task.pk]))
    client.post(
        reverse("activities:complete", args=[task.pk]),
        {"result": "Offer sent.", "time_spent_minutes": "50"},
    )

    assert "Time spent, minutes" in form.text
    assert TimeEntry.objects.get().minutes == 50


def test_the_weekly_timesheet_and_editing_a_cell(client, company, django_assert_max_num_queries):
    manager = company["n_manager1"]
    call = plan(manager, "call", "2026-03-10 10:00")
    services.log_time(actor=manager, day=day("2026-03-10"), minutes=30, activity=call)
    client.force_login(manager)

    with django_assert_max_num_queries(16):
        page = client.get(reverse("worktime:timesheet"), {"week": "2026-03-11"})
    changed = client.post(
        reverse("worktime:timesheet_cell"),
        {"user": manager.pk, "day": "2026-03-11", "activity": call.pk, "time": "1.5"},
        headers=HTMX,
    )

    assert page.status_code == 200
    assert 'value="0:30"' in page.text
    assert 'data-testid="timesheet"' in changed.text and "<html" not in changed.text
    assert "2 h" in changed.text  # the week's total
    assert sorted(TimeEntry.objects.values_list("day", "minutes")) == [
        (day("2026-03-10"), 30),
        (day("2026-03-11"), 90),
    ]


def test_logging_other_work_from_the_timesheet(client, company):
    manager = company["n_manager1"]
    client.force_login(manager)

    answer = client.post(
        reverse("worktime:timesheet_log"),
        {"day": "2026-03-10", "time": "45m", "note": "Team meeting"},
    )
    refused = client.post(reverse("worktime:timesheet_log"), {"day": "2026-03-10", "time": "1"})

    assert answer.status_code == 302
    assert refused.status_code == 422
    assert "Say what the time was spent on." in refused.text
    assert TimeEntry.objects.get().note == "Team meeting"


def test_a_head_opens_a_team_members_timesheet_not_another_teams(client, company):
    client.force_login(company["n_head"])

    own_team = client.get(reverse("worktime:timesheet"), {"user": company["n_manager2"].pk})
    other = client.get(reverse("worktime:timesheet"), {"user": company["s_manager1"].pk})

    assert own_team.status_code == 200
    assert other.status_code == 404


def test_planned_load_page(client, company):
    manager = company["n_manager1"]
    monday = services.week_start(today())
    start = datetime.datetime.combine(
        monday + datetime.timedelta(days=8), datetime.time(10), tzinfo=datetime.UTC
    )
    plan(
        manager,
        "meeting",
        start.strftime("%Y-%m-%d %H:%M"),
        ends=(start + datetime.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
    )
    client.force_login(company["n_head"])

    page = client.get(reverse("worktime:load"))

    assert page.status_code == 200
    assert page.text.count('class="load-meter"') == 3 * services.LOAD_WEEKS
    assert "3:00" in page.text


def test_absences_page_request_and_approve(client, company):
    manager, head = company["n_manager1"], company["n_head"]
    client.force_login(manager)
    asked = client.post(
        reverse("worktime:absence_create"),
        {"kind": "vacation", "starts_on": "2099-07-01", "ends_on": "2099-07-10", "note": "Sea"},
    )
    absence = Absence.objects.get()
    mine = client.get(reverse("worktime:absences"))
    client.force_login(head)
    waiting = client.get(reverse("worktime:absences"), {"show": "waiting"})
    client.post(reverse("worktime:absence_approve", args=[absence.pk]))

    assert asked.status_code == 302
    assert "Waiting for approval" in mine.text
    assert reverse("worktime:absence_approve", args=[absence.pk]) not in mine.text
    assert reverse("worktime:absence_approve", args=[absence.pk]) in waiting.text
    absence.refresh_from_db()
    assert absence.is_approved and absence.approved_by == head


def test_the_report_page_links_each_number_and_exports(client, company):
    manager = company["n_manager1"]
    client.force_login(company["n_head"])

    page = client.get(reverse("worktime:report"), {"period": "month"})
    workbook = client.get(reverse("worktime:report"), {"period": "month", "format": "xlsx"})
    client.force_login(manager)
    own = client.get(reverse("worktime:report"))

    assert page.status_code == 200
    assert page.text.count('data-testid="report-row"') == 3
    assert f"responsible={manager.pk}" in page.text
    assert "kind=call&amp;direction=outgoing&amp;status=done" in page.text
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert own.text.count('data-testid="report-row"') == 1
    assert 'name="team"' not in own.text


def test_the_time_entry_list_shows_what_the_reader_may_see(client, company):
    services.log_time(actor=company["n_manager1"], day=day("2026-03-10"), minutes=30, note="A")
    services.log_time(actor=company["n_manager2"], day=day("2026-03-10"), minutes=40, note="B")
    client.force_login(company["n_manager1"])

    page = client.get(reverse("worktime:entries"))

    assert page.status_code == 200
    assert "0:30" in page.text and "0:40" not in page.text


def test_a_head_puts_in_a_team_members_absence_and_edits_it(
    client, company, django_assert_max_num_queries
):
    head, manager = company["n_head"], company["n_manager1"]
    client.force_login(head)

    form = client.get(reverse("worktime:absence_create"))
    saved = client.post(
        reverse("worktime:absence_create"),
        {"user": manager.pk, "kind": "sick", "starts_on": "2099-03-02", "ends_on": "2099-03-03"},
    )
    absence = Absence.objects.get()
    edit = client.get(reverse("worktime:absence_edit", args=[absence.pk]))
    refused = client.post(
        reverse("worktime:absence_create"),
        {
            "user": company["s_manager1"].pk,
            "kind": "sick",
            "starts_on": "2099-03-02",
            "ends_on": "2099-03-03",
        },
    )
    for number in range(5):
        services.request_absence(
            actor=head,
            user=company["n_manager2"],
            kind="vacation",
            starts_on=day(f"2099-0{number + 4}-01"),
            ends_on=day(f"2099-0{number + 4}-02"),
        )
    with django_assert_max_num_queries(14):
        listed = client.get(reverse("worktime:absences"))

    assert form.status_code == 200 and 'name="user"' in form.text
    assert saved.status_code == 302
    assert (absence.user, absence.kind, absence.is_approved) == (manager, "sick", False)
    assert edit.status_code == 200
    assert refused.status_code == 200 and Absence.objects.filter(kind="sick").count() == 1
    assert listed.text.count("worktime/absences/") >= 6


def test_a_time_entry_is_deleted_by_whom_the_role_allows(client, company):
    entry = services.log_time(
        actor=company["n_manager1"], day=day("2026-03-10"), minutes=30, note="Offer"
    )
    client.force_login(company["n_manager2"])
    refused = client.post(reverse("worktime:entry_delete", args=[entry.pk]))
    client.force_login(company["n_head"])
    deleted = client.post(reverse("worktime:entry_delete", args=[entry.pk]))

    assert refused.status_code == 404
    assert deleted.status_code == 302
    assert not TimeEntry.objects.exists()
