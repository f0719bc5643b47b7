"""The frame around every signed-in page: left menu (a drawer on a phone), search, user menu."""

import re

from playwright.sync_api import Page, expect

from .text import exactly

# The address of Today, the first page after signing in.
HOME = re.compile(r"^https?://[^/]+/$")


class Shell:
    def __init__(self, page: Page):
        self.page = page
        self.html = page.locator("html")
        self.heading = page.get_by_role("heading", level=1)
        # By id, not by accessible name: the shell is also checked in other languages.
        self.menu = page.locator("#sidebar nav")
        self.search_box = page.locator("#global-search")
        self.search_results = page.locator("#search-dropdown")
        self.user_button = page.locator(".user-button")
        self.user_panel = page.locator("#user-menu-panel")
        self.hamburger = page.locator(".menu-toggle")
        self.toasts = page.locator("#toasts .toast")

    def menu_item(self, label: str):
        # Also found while the drawer is closed on a phone, to check which item is current.
        return self.menu.locator("a.menu-link").filter(has_text=exactly(label))

    def menu_labels(self) -> list[str]:
        return [text.strip() for text in self.menu.locator(".menu-link span").all_text_contents()]

    def go_to(self, label: str) -> None:
        self.menu_item(label).click()
        expect(self.menu_item(label)).to_have_attribute("aria-current", "page")

    def open_tab(self, label: str) -> None:
        """Open one tab of a section with tabs (Settings: Users, Teams, Roles)."""
        tab = self.page.locator("nav.tabs").get_by_role("link", name=label, exact=True)
        tab.click()
        expect(tab).to_have_attribute("aria-current", "page")

    def open_user_menu(self) -> None:
        self.user_button.click()
        expect(self.user_panel).to_be_visible()

    def switch_language(self, code: str) -> None:
        self.open_user_menu()
        self.user_panel.locator(f"button[name=language][value={code}]").click()
        expect(self.html).to_have_attribute("lang", code)

    def sign_out(self) -> None:
        self.open_user_menu()
        self.user_panel.locator("form[action$='/logout/'] button").click()
        self.page.wait_for_url("**/login/")

    def expect_home(self) -> None:
        self.page.wait_for_url(HOME)
        expect(self.menu_item("Today")).to_have_attribute("aria-current", "page")

    def open_drawer(self) -> None:
        self.hamburger.click()
        expect(self.menu).to_be_in_viewport(ratio=1)

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        expect(self.search_results).to_be_visible()

    def expect_toast(self, text: str) -> None:
        expect(self.toasts.filter(has_text=text)).to_be_visible()

    def expect_forbidden(self) -> None:
        expect(self.page.locator("main")).to_contain_text("You do not have access to this page")
