"""A manager makes a call, logs the time on its card, sees it in the week's timesheet and
corrects it there; then opens the manager activity report and follows a number to the calls
behind it. The working-time pages on a desk and on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klientela.activities import services as activities
from klientela.core.formatting import format_date
from klientela.worktime import services as worktime

from .conftest import PHONE, screenshot, sign_in
from .pages.worktime import ReportPage, TimePanel, TimesheetPage

pytestmark = pytest.mark.e2e


@pytest.fixture
def call(company):
    manager = company["n_manager1"]
    call = activities.create_activity(
        actor=manager,
        kind="call",
        subject="Call Acme about the renewal",
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    activities.complete_activity(actor=manager, activity=call, result="They renew for a year.")
    return call


def test_time_logged_on_an_activity_shows_in_the_timesheet_and_the_report(page, company, call):
    manager = company["n_manager1"]
    sign_in(page, manager)

    # When the manager logs an hour and a half on the call's card
    page.goto(call.get_absolute_url())
    TimePanel(page).log("1:30", "Call and notes")
    expect(page.get_by_test_id("worktime-total")).to_have_text("1 h 30 min")
    screenshot(page, "worktime-activity-panel")

    # Then the week's timesheet has the call's row with the time on today's column
    sheet = TimesheetPage(page).open()
    today = worktime.today_of(manager)
    day_label = format_date(today, "en")
    expect(sheet.cell(call.subject, day_label)).to_have_value("1:30")
    expect(sheet.week_total).to_have_text("1 h 30 min")

    # And a corrected cell changes the totals in place
    sheet.type_in(call.subject, day_label, "2")
    expect(sheet.week_total).to_have_text("2 h")
    screenshot(page, "worktime-timesheet-desktop")

    # When they open the activity report of the week
    report = ReportPage(page).open()
    expect(report.number(manager.username, "calls_out")).to_have_text("1")
    expect(report.number(manager.username, "minutes_logged")).to_have_text("2 h")
    screenshot(page, "worktime-report-desktop")

    # Then the number of calls made opens the list of those calls
    report.number(manager.username, "calls_out").click()
    expect(page).to_have_url(re.compile(r"direction=outgoing"))
    expect(page.get_by_role("link", name=call.subject)).to_be_visible()
    assert page.locator("table tbody tr").count() == 1


def test_the_working_time_pages_on_a_desk_and_a_phone(page, open_page, company, call):
    head = company["n_head"]
    manager = company["n_manager1"]
    worktime.log_time(actor=manager, day=worktime.today_of(manager), minutes=45, activity=call)
    worktime.request_absence(
        actor=manager,
        kind="vacation",
        starts_on=worktime.today_of(manager) + datetime.timedelta(days=10),
        ends_on=worktime.today_of(manager) + datetime.timedelta(days=14),
    )
    phone = open_page(PHONE)
    for device, name in ((page, "desktop"), (phone, "phone")):
        sign_in(device, head)
        for path, shot in (
            (f"/worktime/?user={manager.pk}", "timesheet"),
            ("/worktime/load/", "load"),
            ("/worktime/absences/", "absences"),
            ("/worktime/report/", "report"),
        ):
            device.goto(path)
            expect(device.locator("h1")).to_be_visible()
            screenshot(device, f"worktime-{shot}-{name}")
        width = device.evaluate("document.documentElement.scrollWidth")
        assert width <= device.viewport_size["width"] + 1, f"{name}: the page scrolls sideways"
