"""A manager's calendar: a planned call dragged to another day stays there; a meeting planned by
clicking a slot books a room, and a second booking of that room at the same time is refused. On a
phone the calendar opens as a list."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klientela.activities import bookings, services
from klientela.activities.models import Activity, Room, RoomBooking

from .conftest import PHONE, screenshot, sign_in
from .pages.calendar import CalendarPage

pytestmark = pytest.mark.e2e


def days_in_one_week() -> tuple[datetime.date, datetime.date]:
    """Today and another day of the same (Sunday to Saturday) week, as the browser shows it."""
    today = timezone.now().date()
    other = today + datetime.timedelta(days=1 if today.isoweekday() == 7 else -1)
    return today, other


def test_a_call_is_dragged_to_another_day_and_a_meeting_books_a_room(open_page, company):
    manager = company["n_manager1"]
    room = bookings.save_room(actor=company["admin"], name="Blue room", capacity=8)
    today, other = days_in_one_week()
    ten = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
    call = services.create_activity(
        actor=manager, kind="call", subject="Call the purchaser", starts_at=ten
    )
    page = open_page()
    sign_in(page, manager)
    calendar = CalendarPage(page).open()
    # FullCalendar's styles came in through the nonce: its sheet holds rules.
    rules = page.evaluate(
        "document.querySelector('style[data-fullcalendar]').sheet.cssRules.length"
    )
    assert rules > 100
    expect(calendar.event("Call the purchaser")).to_be_visible()
    expect(calendar.event("Call the purchaser")).to_have_class(re.compile("calendar-kind-call"))
    screenshot(page, "calendar-week-desktop")

    # When the manager drags the call to another day
    with page.expect_response(lambda r: f"/api/v1/activities/{call.pk}" in r.url) as answer:
        calendar.drag_to_day("Call the purchaser", other)
    assert answer.value.status == 200
    expect(page.locator("#toasts")).to_contain_text("Moved.")

    # Then after a reload it is on that day, at the same time. (The calendar fetches its events
    # again after the move: reloading while that request runs would give the live server's
    # shared SQLite connection two requests at once.)
    page.wait_for_load_state("networkidle")
    page.reload()
    expect(
        calendar.column(other).locator(".fc-event", has_text="Call the purchaser")
    ).to_be_visible()
    call.refresh_from_db()
    assert call.starts_at == ten + (other - today)

    # When the manager shows the room's calendar and clicks a free slot
    calendar.choose_room("Blue room")
    calendar.click_slot(today, "14:00")
    expect(page).to_have_url(re.compile(r"/activities/new/\?"))
    expect(page.locator("select[name=room]")).to_have_value(str(room.pk))
    page.locator("input[name=subject]").fill("Demo in the Blue room")
    page.locator("form.activity-form button[type=submit]").click()

    # Then the meeting is booked and shows in the room's calendar
    expect(page).to_have_url(re.compile(r"/calendar/$"))
    meeting = Activity.objects.get(subject="Demo in the Blue room")
    assert RoomBooking.objects.get(activity=meeting).room == room
    calendar.choose_room("Blue room")
    expect(calendar.event("Demo in the Blue room")).to_be_visible()
    screenshot(page, "calendar-room-desktop")

    # And a second meeting overlapping it in the same room is refused with the message
    calendar.click_slot(today, "13:30")
    expect(page.locator("select[name=room]")).to_have_value(str(room.pk))
    page.locator("input[name=subject]").fill("Clashing meeting")
    page.locator("input[name=ends_at]").fill(f"{today.isoformat()}T14:15")
    page.locator("form.activity-form button[type=submit]").click()
    expect(page.locator("form.activity-form")).to_contain_text(
        "Blue room is already booked at this time"
    )
    screenshot(page, "calendar-room-refused")
    assert not Activity.objects.filter(subject="Clashing meeting").exists()


def test_on_a_phone_the_calendar_opens_as_a_list(open_page, company):
    manager = company["n_manager1"]
    services.create_activity(
        actor=manager,
        kind="meeting",
        subject="Meeting at Acme",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    page = open_page(PHONE)
    sign_in(page, manager)
    calendar = CalendarPage(page).open()
    expect(calendar.calendar.locator(".fc-list")).to_be_visible()
    expect(calendar.event("Meeting at Acme")).to_be_visible()
    screenshot(page, "calendar-list-phone")


def test_a_move_onto_a_taken_room_snaps_back_with_the_message(open_page, company):
    manager = company["n_manager1"]
    room = bookings.save_room(actor=company["admin"], name="Blue room")
    today, other = days_in_one_week()

    def at(day, hour):
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)

    for subject, day in (("Board meeting", today), ("Supplier meeting", other)):
        services.create_activity(
            actor=manager,
            kind="meeting",
            subject=subject,
            starts_at=at(day, 14),
            ends_at=at(day, 15),
            room=room,
        )
    page = open_page()
    sign_in(page, manager)
    calendar = CalendarPage(page).open()

    # When the manager drags the supplier meeting onto the board meeting's room and time
    with page.expect_response(lambda r: "/api/v1/activities/" in r.url) as answer:
        calendar.drag_to_day("Supplier meeting", today)
    assert answer.value.status == 422

    # Then it is refused with the reason and snaps back to its day
    expect(page.locator("#toasts")).to_contain_text("Blue room is already booked at this time")
    expect(calendar.column(other).locator(".fc-event", has_text="Supplier meeting")).to_be_visible()
    screenshot(page, "calendar-move-refused")
    moved = Activity.objects.get(subject="Supplier meeting")
    assert moved.starts_at == at(other, 14)


def test_an_administrator_adds_a_room_on_a_desk_and_a_phone(open_page, company):
    page = open_page()
    sign_in(page, company["admin"])
    page.goto("/rooms/new/")
    page.locator("input[name=name]").fill("Blue room")
    page.locator("input[name=capacity]").fill("8")
    page.locator("input[name=location]").fill("1st floor")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/rooms/$"))
    expect(page.locator("main")).to_contain_text("Blue room")
    screenshot(page, "rooms-desktop")
    phone = open_page(PHONE)
    sign_in(phone, company["admin"])
    phone.goto("/rooms/")
    expect(phone.locator("main")).to_contain_text("Blue room")
    screenshot(phone, "rooms-phone")
    phone.goto(f"/rooms/{Room.objects.get().pk}/")
    screenshot(phone, "room-form-phone")
