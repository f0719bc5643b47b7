"""The bell in the top bar, the notification list, and the profile's reminders and feed panels."""

from playwright.sync_api import Page, expect


class Bell:
    def __init__(self, page: Page):
        self.page = page
        self.link = page.locator("#notification-bell")
        self.count = self.link.locator(".notification-count")

    def open(self) -> "NotificationList":
        self.link.click()
        return NotificationList(self.page).expect_open()


class NotificationList:
    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.items = page.locator(".notification-item")
        self.unread = page.locator(".notification-item.is-unread")

    def expect_open(self) -> "NotificationList":
        expect(self.heading).to_have_text("Notifications")
        return self

    def mark_read(self, text: str) -> None:
        item = self.items.filter(has_text=text)
        item.get_by_role("button", name="Mark as read").click()
        expect(self.items.filter(has_text=text)).not_to_have_class("is-unread")


class FeedPanel:
    def __init__(self, page: Page):
        self.page = page
        self.panel = page.get_by_test_id("calendar-feed")
        self.address = page.locator("#calendar-feed-url")

    def create(self) -> str:
        self.panel.get_by_role("button", name="Create the feed address").click()
        expect(self.address).to_be_visible()
        return self.address.input_value()
