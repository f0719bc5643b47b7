"""Reminders in the bell, read from the notification list; the calendar feed from the profile."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klientela.activities import reminders, services
from klientela.activities.models import Reminder

from .conftest import screenshot, sign_in
from .pages import ProfilePage
from .pages.notifications import Bell, FeedPanel

pytestmark = pytest.mark.e2e


def _due_call(manager, subject: str) -> None:
    services.create_activity(
        actor=manager,
        kind="call",
        subject=subject,
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        remind_minutes=Reminder.AT_TIME,
        place="",
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_reminder_in_the_bell_is_read_and_the_feed_address_made(
    device, page, phone_page, company
):
    browser_page = page if device == "desktop" else phone_page
    manager = company["n_manager1"]
    # Given two reminders handed out by the worker
    _due_call(manager, "Call Acme about the yearly licence renewal and the discount")
    _due_call(manager, "Call Zenith")
    reminders.queue_due_reminders()

    # When the manager signs in, the bell counts them
    sign_in(browser_page, manager)
    bell = Bell(browser_page)
    expect(bell.count).to_have_text("2")
    screenshot(browser_page, f"reminders-bell-{device}", full_page=False)

    # And the list shows them; one is marked read
    notifications = bell.open()
    expect(notifications.unread).to_have_count(2)
    screenshot(browser_page, f"reminders-notifications-{device}")
    notifications.mark_read("Call Zenith")
    expect(notifications.unread).to_have_count(1)
    expect(bell.count).to_have_text("1")

    # When they make their calendar feed's address on the profile
    ProfilePage(browser_page).open()
    address = FeedPanel(browser_page).create()
    assert "/activities/feed/" in address and address.endswith(".ics")
    screenshot(browser_page, f"reminders-profile-{device}")
    browser_page.get_by_test_id("calendar-feed").scroll_into_view_if_needed()
    screenshot(browser_page, f"reminders-profile-feed-{device}", full_page=False)

    # And a new activity's form offers their default reminder
    browser_page.goto("/activities/new/")
    expect(browser_page.get_by_label("Reminder")).to_have_value("15")
    screenshot(browser_page, f"reminders-activity-form-{device}")

    # Then a calendar program reads it without signing in
    answer = browser_page.context.request.get(address)
    assert answer.status == 200
    assert b"Call Zenith" in answer.body()
