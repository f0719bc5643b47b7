"""Choosing the interface language: from the user menu, and before signing in."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .pages import LoginPage

pytestmark = pytest.mark.e2e

OTHER_LANGUAGES = ["ru", "pl", "sl"]


def test_a_user_switches_the_language_from_the_user_menu(page, company):
    # Given a manager signed in, with the menu in English
    shell = sign_in(page, company["n_manager1"])
    english_menu = shell.menu_labels()
    assert english_menu[0] == "Today"

    for code in OTHER_LANGUAGES:
        # When they choose another language in the user menu
        shell.switch_language(code)

        # Then the whole page is in that language, the menu too
        expect(shell.html).to_have_attribute("lang", code)
        screenshot(page, f"platform-today-{code}-desktop")
        assert shell.menu_labels() != english_menu, f"the menu is not translated into {code}"

    # When they choose English again, the menu is back in English
    shell.switch_language("en")
    assert shell.menu_labels() == english_menu


def test_a_visitor_switches_the_language_on_the_sign_in_page(page, company):
    # Given the sign-in page in English
    login = LoginPage(page).open()
    expect(login.heading).to_have_text("Sign in")

    # When a visitor chooses Polish, the page is in Polish
    login.switch_language("pl")
    expect(login.heading).not_to_have_text("Sign in")
    screenshot(page, "platform-login-pl-desktop")

    # When they go back to English, it is in English again
    login.switch_language("en")
    expect(login.heading).to_have_text("Sign in")
