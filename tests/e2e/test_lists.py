"""The list component on the users list: sorting, the Columns dialog, bulk actions."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .pages import Shell, UsersPage

pytestmark = pytest.mark.e2e


def test_an_administrator_sorts_the_users(page, company):
    # Given the users list, sorted by name
    sign_in(page, company["admin"])
    users = UsersPage(page).open()

    # When they sort by user name, last first
    users.sort_by("User name", "descending")

    # Then the rows follow that order, and the address keeps it
    names = users.column_values("User name")
    assert names == sorted(names, reverse=True)
    assert names[0] == "s_manager2"
    assert "sort=-username" in page.url

    # When they sort the other way
    users.sort_by("User name", "ascending")
    assert users.column_values("User name")[0] == "admin"


def test_an_administrator_chooses_the_columns_and_they_stay_chosen(page, company):
    # Given the users list with its default columns
    sign_in(page, company["admin"])
    users = UsersPage(page).open()
    assert users.column_labels()[:5] == ["Name", "User name", "Email", "Team", "Role"]

    # When they hide the email and move the role before the team
    columns = users.open_columns()
    columns.hide("Email")
    columns.move_up("Role")
    screenshot(page, "platform-columns-dialog-desktop")
    columns.save()

    # Then the list shows that choice, also after a reload
    Shell(page).expect_toast("Columns saved.")
    chosen = ["Name", "User name", "Role", "Team", "Active", "Last sign-in"]
    expect(users.results.locator("thead th:not(.select-cell)")).to_have_count(len(chosen))
    assert users.column_labels() == chosen
    page.reload()
    expect(users.results).to_be_visible()
    assert users.column_labels() == chosen


def test_an_administrator_deactivates_two_users_at_once(page, company):
    # Given the users list
    shell = sign_in(page, company["admin"])
    users = UsersPage(page).open()

    # When they select two managers and deactivate them, confirming the question
    users.select("s_manager1", "s_manager2")
    screenshot(page, "platform-users-bulk-desktop")
    users.apply_bulk_action("Deactivate", confirm=True)

    # Then a toast says so and both are shown inactive; the others are untouched
    shell.expect_toast("2 users updated.")
    expect(users.cell("s_manager1", "Active")).to_have_text("No")
    expect(users.cell("s_manager2", "Active")).to_have_text("No")
    expect(users.cell("n_manager1", "Active")).to_have_text("Yes")
    company["s_manager1"].refresh_from_db()
    assert company["s_manager1"].is_active is False
