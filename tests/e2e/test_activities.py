"""A manager plans a call from a client's card, makes it, records the result and plans the
follow-up meeting in the same step; both show in the card's timeline. Then Today, on a desk and
on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klientela.activities import services as activities
from klientela.activities.models import Activity
from klientela.customers import services as customers
from klientela.sales import services as sales

from .conftest import PHONE, screenshot, sign_in
from .pages.activities import ActivityPanel, Timeline, Today
from .pages.calendar import CalendarPage

pytestmark = pytest.mark.e2e


@pytest.fixture
def acme(company):
    customers.sync_reference_lists()
    sales.ensure_sales_defaults()
    manager = company["n_manager1"]
    organization = customers.create_organization(actor=manager, legal_name="Acme LLC")
    sales.create_deal(actor=manager, title="Acme licences", organization=organization)
    return organization


def local(user, days: int, hour: int) -> str:
    """A moment ``days`` from today at ``hour``, as the user types it in their time zone."""
    zone = activities.zone_of(user)
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_a_call_planned_on_the_card_is_completed_with_a_result_and_a_follow_up(page, company, acme):
    manager = company["n_manager1"]
    sign_in(page, manager)
    page.goto(acme.get_absolute_url())
    timeline = Timeline(page)

    # When the manager plans a call on the client's card
    ActivityPanel(page).plan("call", "Call about the licences", local(manager, 1, 10))
    expect(timeline.activity("Call about the licences")).to_be_visible()
    screenshot(page, "activities-card-planned")

    # And completes it with a result and a follow-up meeting
    form = timeline.complete("Call about the licences")
    form.fill(result="Interested; wants a demo for the sales team")
    form.plan_follow_up("meeting", "Demo for the sales team", local(manager, 2, 14))
    form.submit_and_leave(acme.get_absolute_url())

    # Then the card's timeline shows the done call with its result and the planned meeting
    done = timeline.activity("Call about the licences")
    expect(done).to_contain_text("Interested; wants a demo for the sales team")
    expect(done).to_contain_text("Done")
    expect(timeline.activity("Demo for the sales team")).to_contain_text("Planned")
    expect(page.locator("#toasts")).to_contain_text("the follow-up is planned")
    screenshot(page, "activities-card-timeline-desktop")
    call = Activity.objects.get(subject="Call about the licences")
    meeting = Activity.objects.get(subject="Demo for the sales team")
    assert (call.status, meeting.follow_up_of, meeting.organization) == ("done", call, acme)

    # And the calendar shows both: the call done, the meeting planned
    calendar = CalendarPage(page).open()
    expect(calendar.find("Call about the licences")).to_be_visible()
    expect(calendar.event("Call about the licences").first).to_have_class(
        re.compile("calendar-status-done")
    )
    expect(calendar.find("Demo for the sales team")).to_be_visible()
    screenshot(page, "activities-calendar-after-follow-up")


def _fill_the_day(manager, acme):
    now = timezone.now()
    for subject, kind, delta in (
        ("Send the contract", "task", datetime.timedelta(days=-2)),
        ("Call the purchaser", "call", datetime.timedelta(minutes=10)),
        ("Demo at Acme", "meeting", datetime.timedelta(minutes=40)),
        ("Quarterly review", "meeting", datetime.timedelta(days=2)),
    ):
        when = "due_at" if kind == "task" else "starts_at"
        activities.create_activity(
            actor=manager, kind=kind, subject=subject, organization=acme, **{when: now + delta}
        )


def test_today_on_a_desk_and_on_a_phone(open_page, company, acme):
    manager = company["n_manager1"]
    _fill_the_day(manager, acme)

    for device, name in (({}, "desktop"), (PHONE, "phone")):
        page = open_page(device) if device else open_page()
        sign_in(page, manager)
        today = Today(page).open()
        expect(today.overdue).to_contain_text("2 days overdue")
        expect(today.agenda).to_contain_text("Call the purchaser")
        screenshot(page, f"activities-today-{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.goto(acme.get_absolute_url())
        expect(Timeline(page).activity("Demo at Acme")).to_be_visible()
        screenshot(page, f"activities-card-timeline-{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
