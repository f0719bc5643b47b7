"""Signing in and out, and the lock-out after repeated wrong passwords."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import screenshot
from .pages import LoginPage, Shell

pytestmark = pytest.mark.e2e


def test_sign_in_with_a_wrong_password_then_the_right_one_and_sign_out(page, company):
    # Given the sign-in page
    login = LoginPage(page).open()
    screenshot(page, "platform-login-desktop")

    # When a manager types a wrong password, they stay here and see why
    login.sign_in("n_manager1", "not-my-password-1")
    expect(login.error).to_contain_text("correct username and password")
    expect(login.username).to_have_value("n_manager1")
    screenshot(page, "platform-login-error-desktop")

    # When they type the right one, they land on Today
    login.sign_in("n_manager1", PASSWORD)
    shell = Shell(page)
    shell.expect_home()
    expect(shell.heading).to_contain_text("Good day")
    screenshot(page, "platform-today-desktop")

    # And the search box at the top answers as they type
    shell.search("Zzyzx")
    expect(shell.search_results).to_contain_text("Nothing found.")

    # When they sign out, they are back on the sign-in page and Today is closed to them
    shell.sign_out()
    expect(login.username).to_be_visible()
    page.goto("/")
    page.wait_for_url(re.compile(r"/login/\?next=/$"))


def test_five_wrong_passwords_lock_the_account(page, company):
    # Given the sign-in page
    login = LoginPage(page).open()

    # When someone types a wrong password five times
    for attempt in range(1, 6):
        login.sign_in("n_manager1", f"wrong-password-{attempt}")
        if attempt < 5:
            expect(login.error).to_be_visible()

    # Then the account is locked, and even the right password does not open it
    login.expect_locked_out()
    screenshot(page, "platform-locked-out-desktop")
    login.open().sign_in("n_manager1", PASSWORD)
    login.expect_locked_out()
