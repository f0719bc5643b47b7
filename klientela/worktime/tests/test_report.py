"""The manager activity report: hand-counted figures, scope, drill-down lists, queries, XLSX."""

from io import BytesIO
from urllib.parse import parse_qs, urlsplit

from django.http import QueryDict
from django.test import RequestFactory
from openpyxl import load_workbook

from klientela.activities.filters import ActivityFilter
from klientela.activities.models import Activity
from klientela.worktime import reports, services
from klientela.worktime.models import TimeEntry

from .conftest import at, day, done, plan

MONDAY, SUNDAY = day("2026-03-09"), day("2026-03-15")
NOW = at("2026-03-13 12:00")


def _week(company):
    """The week of 9 March 2026 of three managers, the numbers counted by hand below."""
    m1, m2, south = company["n_manager1"], company["n_manager2"], company["s_manager1"]
    done(m1, "call", "2026-03-10 10:00")  # made
    done(m1, "call", "2026-03-11 10:00")  # made
    done(m1, "call", "2026-03-12 10:00", direction="incoming")  # received
    plan(m1, "call", "2026-03-12 15:00")  # planned only
    done(m1, "call", "2026-03-05 10:00")  # the week before
    done(m1, "meeting", "2026-03-10 10:00", ends="2026-03-10 11:00")  # held
    cancelled = plan(m1, "meeting", "2026-03-11 14:00")
    from klientela.activities import services as activities

    activities.cancel_activity(actor=m1, activity=cancelled)
    done(m1, "task", "2026-03-20 17:00", closed="2026-03-11 09:00")  # done early: counts
    done(m1, "task", "2026-03-02 17:00", closed="2026-03-09 09:00")  # done late: counts
    done(m1, "task", "2026-03-10 17:00", closed="2026-03-16 09:00")  # done the week after
    plan(m1, "task", "2026-03-10 17:00")  # overdue
    plan(m1, "task", "2026-03-14 17:00")  # due later this week: not yet overdue
    plan(m1, "task", "2026-03-03 17:00")  # overdue, but due before the period
    services.log_time(actor=m1, day=day("2026-03-10"), minutes=90, note="Offer")
    services.log_time(actor=m1, day=SUNDAY, minutes=30, note="Report")
    services.log_time(actor=m1, day=day("2026-03-16"), minutes=60, note="Next week")
    done(m2, "call", "2026-03-13 09:00", direction="incoming")
    services.log_time(actor=m2, day=MONDAY, minutes=45, note="Training")
    done(south, "call", "2026-03-10 10:00")
    services.log_time(actor=south, day=MONDAY, minutes=15, note="Mail")


def _figures(report) -> dict:
    return {row.manager.username: row.figures() for row in report.rows}


def test_figures_counted_by_hand(company):
    _week(company)

    report = reports.manager_report(company["n_head"], start=MONDAY, end=SUNDAY, now=NOW)

    assert _figures(report) == {
        "n_head": dict.fromkeys(
            ("calls_out", "calls_in", "meetings", "tasks_done", "tasks_overdue", "minutes_logged"),
            0,
        ),
        "n_manager1": {
            "calls_out": 2,
            "calls_in": 1,
            "meetings": 1,
            "tasks_done": 2,
            "tasks_overdue": 1,
            "minutes_logged": 120,
        },
        "n_manager2": {
            "calls_out": 0,
            "calls_in": 1,
            "meetings": 0,
            "tasks_done": 0,
            "tasks_overdue": 0,
            "minutes_logged": 45,
        },
    }
    assert report.totals.calls_in == 2 and report.totals.minutes_logged == 165


def test_a_manager_sees_only_themselves_an_admin_everyone(company):
    _week(company)

    own = reports.manager_report(company["n_manager1"], start=MONDAY, end=SUNDAY, now=NOW)
    everyone = reports.manager_report(company["admin"], start=MONDAY, end=SUNDAY, now=NOW)
    south = reports.manager_report(
        company["admin"], start=MONDAY, end=SUNDAY, now=NOW, team=company["s_head"].team
    )

    assert list(_figures(own)) == ["n_manager1"]
    assert _figures(own)["n_manager1"]["calls_out"] == 2
    assert set(_figures(everyone)) == {
        "admin",
        "n_head",
        "n_manager1",
        "n_manager2",
        "s_head",
        "s_manager1",
        "s_manager2",
    }
    assert _figures(south)["s_manager1"]["calls_out"] == 1
    assert _figures(south)["s_manager1"]["minutes_logged"] == 15
    assert set(_figures(south)) == {"s_head", "s_manager1", "s_manager2"}


def test_the_report_is_a_few_grouped_queries_whatever_the_number_of_managers(
    company, django_assert_num_queries
):
    _week(company)
    head, admin = company["n_head"], company["admin"]
    head.permission_table()
    admin.permission_table()
    admin.role  # noqa: B018  (loaded, as on a page)

    # The managers, the grouped activities, the grouped time: 3 queries, for 3 or 7 managers.
    with django_assert_num_queries(3):
        reports.manager_report(head, start=MONDAY, end=SUNDAY, now=NOW)
    with django_assert_num_queries(3):
        reports.manager_report(admin, start=MONDAY, end=SUNDAY, now=NOW)


def test_each_number_opens_the_list_of_the_same_activities(company):
    _week(company)
    head = company["n_head"]
    report = reports.manager_report(head, start=MONDAY, end=SUNDAY)  # now: the real one
    request = RequestFactory().get("/")
    request.user = head
    checked = 0
    for row in report.rows:
        for figure, value in row.figures().items():
            url = reports.drill_down_url(figure, manager=row.manager, start=MONDAY, end=SUNDAY)
            query = QueryDict(urlsplit(url).query)
            if figure == "minutes_logged":
                entries = TimeEntry.objects.filter(
                    user_id=query["user"], day__gte=query["since"], day__lte=query["until"]
                )
                assert sum(entry.minutes for entry in entries) == value
                continue
            listed = ActivityFilter(
                query, queryset=Activity.objects.visible_to(head), request=request
            ).qs
            assert listed.count() == value, (row.manager, figure, parse_qs(url))
            checked += value
    assert checked >= 8


def test_the_report_as_a_workbook(company):
    _week(company)
    report = reports.manager_report(company["n_head"], start=MONDAY, end=SUNDAY, now=NOW)

    book = load_workbook(BytesIO(reports.report_xlsx(report)))
    rows = list(book.active.iter_rows(values_only=True))

    assert rows[2] == (
        "Manager",
        "Calls made",
        "Calls received",
        "Meetings held",
        "Tasks done",
        "Tasks overdue",
        "Hours logged",
    )
    manager = next(row for row in rows if row[0] == "n_manager1")
    assert manager == ("n_manager1", 2, 1, 1, 2, 1, 2)
    assert rows[-1][0] == "Total"
