"""The calendar page: its views, the people and room filters, events, slots, moving by drag."""

import datetime

from playwright.sync_api import Locator, Page, expect


class CalendarPage:
    def __init__(self, page: Page):
        self.page = page
        self.calendar = page.locator("#calendar")
        self.filters = page.locator("[data-calendar-filters]")

    def open(self) -> "CalendarPage":
        self.page.goto("/calendar/")
        expect(self.calendar.locator(".fc-view-harness")).to_be_visible()
        return self

    def event(self, subject: str) -> Locator:
        return self.calendar.locator(".fc-event", has_text=subject)

    def find(self, subject: str, *, weeks_ahead: int = 2) -> Locator:
        """The event, looked for in the view shown and then the next ones (a week's view ends
        on Saturday or Sunday, so "tomorrow" may be in the next)."""
        for _step in range(weeks_ahead):
            if self.event(subject).count():
                break
            with self.page.expect_response(lambda r: "/calendar/events/" in r.url):
                self.calendar.locator(".fc-next-button").click()
        return self.event(subject)

    def column(self, day: datetime.date) -> Locator:
        return self.calendar.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']")

    def choose_room(self, name: str) -> None:
        select = self.filters.locator("select[name=room]")
        value = select.locator("option", has_text=name).get_attribute("value")
        with self.page.expect_response(lambda r: "/calendar/events/" in r.url):
            select.select_option(value)

    def drag_to_day(self, subject: str, day: datetime.date) -> None:
        """Drag an event to the same time of another day in the week view."""
        self.event(subject).scroll_into_view_if_needed()
        event = self.event(subject).bounding_box()
        target = self.column(day).bounding_box()
        x, y = event["x"] + event["width"] / 2, event["y"] + 8
        mouse = self.page.mouse
        mouse.move(x, y)
        mouse.down()
        mouse.move(x + 5, y + 5, steps=3)
        mouse.move(target["x"] + target["width"] / 2, y, steps=12)
        mouse.up()

    def click_slot(self, day: datetime.date, time: str) -> None:
        """Click the empty slot of ``day`` at ``time`` ("14:00") in the week view."""
        lane = self.calendar.locator(f".fc-timegrid-slot-lane[data-time='{time}:00']")
        lane.scroll_into_view_if_needed()
        row = lane.bounding_box()
        column = self.column(day).bounding_box()
        self.page.mouse.click(column["x"] + column["width"] / 2, row["y"] + row["height"] / 2)
