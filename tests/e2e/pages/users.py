"""Settings > Users: the list, the form of a new or changed user, and a user's card."""

from playwright.sync_api import Locator, Page, expect

from .forms import FormPage
from .lists import ListPage


class UsersPage(ListPage):
    path = "/settings/users/"

    def filter_by_team(self, team: str) -> None:
        self.filter_by("team", team)

    def new_user(self) -> "UserForm":
        self.create()
        form = UserForm(self.page)
        expect(form.heading).to_have_text("New user")
        return form


class UserForm(FormPage):
    pass


class UserCard:
    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.history = page.locator(".record-side .history")

    def field(self, label: str) -> Locator:
        row = self.page.locator(".field-row").filter(has=self.page.get_by_text(label, exact=True))
        return row.locator("dd")

    def history_entry(self, kind: str) -> Locator:
        return self.history.locator(".history-entry").filter(has_text=kind)
