"""Klientela on a phone (390 x 844): the menu is a drawer and the pages fit the screen."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .pages import LoginPage, UsersPage

pytestmark = pytest.mark.e2e

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_an_administrator_works_with_users_on_a_phone(phone_page, company):
    page = phone_page
    LoginPage(page).open()
    screenshot(page, "platform-login-phone")

    # Given an administrator signed in on a phone: the menu is hidden behind the hamburger
    shell = sign_in(page, company["admin"])
    expect(shell.menu).not_to_be_in_viewport()
    screenshot(page, "platform-today-phone")

    # When they open the menu drawer and go to Settings
    shell.open_drawer()
    screenshot(page, "platform-drawer-phone")
    shell.go_to("Settings")

    # Then the users list is usable without the page scrolling sideways
    users = UsersPage(page)
    expect(users.heading).to_have_text("Users")
    expect(users.row("n_manager1")).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= page.viewport_size["width"]
    screenshot(page, "platform-users-phone")

    # And a user's card opens from the list and fits too
    users.open_row("n_manager1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("n_manager1")
    assert page.evaluate(PAGE_WIDTH) <= page.viewport_size["width"]
    screenshot(page, "platform-user-card-phone")
