"""An administrator's settings: users, teams and roles; and what a user without them sees."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .pages import RolesPage, Shell, TeamsPage, UserCard, UsersPage

pytestmark = pytest.mark.e2e

GOOD_PASSWORD = "Baltic-sales-2026"


def test_an_administrator_adds_a_team_and_a_manager_who_then_signs_in(page, open_page, company):
    # Given an administrator on the settings pages
    shell = sign_in(page, company["admin"])
    shell.go_to("Settings")
    users = UsersPage(page)
    expect(users.heading).to_have_text("Users")
    expect(users.row("n_manager1")).to_be_visible()
    screenshot(page, "platform-users-desktop")
    shell.open_tab("Roles")
    expect(RolesPage(page).row("Head of sales")).to_be_visible()
    screenshot(page, "platform-roles-desktop")
    shell.open_tab("Teams")
    teams = TeamsPage(page)
    expect(teams.row("North")).to_be_visible()

    # When they create a team
    team_form = teams.new_team()
    team_form.fill(name="Baltic sales", description="Customers in Estonia, Latvia, Lithuania.")
    screenshot(page, "platform-team-new-desktop")
    team_form.submit_and_leave("**/settings/teams/")

    # Then it is in the list of teams
    shell.expect_toast("Team Baltic sales created.")
    expect(teams.row("Baltic sales")).to_be_visible()
    screenshot(page, "platform-teams-desktop")

    # When they add a user to that team with the manager role, first with a weak password
    shell.open_tab("Users")
    user_form = users.new_user()
    user_form.fill(
        username="olga",
        first_name="Olga",
        last_name="Petrova",
        email="olga@klientela.example",
        team="Baltic sales",
        role="Manager",
        password="olga",
    )
    error = user_form.submit_expecting_error("password")

    # Then the weak password is refused, with the reason next to the field
    expect(error).to_contain_text("too short")
    expect(user_form.field("username")).to_have_value("olga")
    screenshot(page, "platform-user-new-errors-desktop")

    # When they choose a good one, the user is created and their card opens
    user_form.fill(password=GOOD_PASSWORD)
    user_form.submit_and_leave(re.compile(r"/settings/users/\d+/$"))
    card = UserCard(page)
    expect(card.heading).to_have_text("Olga Petrova")
    shell.expect_toast("User Olga Petrova created.")

    # Then the list filtered by the team shows the new user alone
    users.open()
    users.filter_by_team("Baltic sales")
    expect(users.rows).to_have_count(1)
    expect(users.row("Olga Petrova")).to_contain_text("Manager")

    # And the user's card shows who created them in the history panel
    users.open_row("Olga Petrova")
    expect(card.field("Team")).to_have_text("Baltic sales")
    expect(card.history_entry("Created")).to_contain_text("admin")
    screenshot(page, "platform-user-card-desktop")

    # When the new user signs in on another browser
    other = open_page()
    their_shell = sign_in(other, "olga", GOOD_PASSWORD)

    # Then they have no Settings in their menu, and the settings pages are closed to them
    expect(their_shell.menu_item("Today")).to_be_visible()
    expect(their_shell.menu_item("Settings")).to_have_count(0)
    response = other.goto("/settings/users/")
    assert response.status == 403
    their_shell.expect_forbidden()
    screenshot(other, "platform-forbidden-desktop")


def test_an_administrator_changes_what_managers_may_do(page, company):
    # Given an administrator on the manager role
    shell = sign_in(page, company["admin"])
    roles = RolesPage(page).open()
    role = roles.open_role("Manager")

    entities = role.entities()
    if not entities:
        # Then, with no kind of record installed yet, the table says so
        expect(role.empty_state).to_be_visible()
        return

    # When they let managers view every record of the first kind
    entity = entities[0]
    expect(role.scope(entity, "View")).not_to_have_value("all")
    role.set_scope(entity, "View", "All")
    screenshot(page, "platform-role-edit-desktop")
    role.submit_and_leave("**/settings/roles/")

    # Then the role is saved, and the table shows the new scope when opened again
    Shell(page).expect_toast("Role Manager saved.")
    role = roles.open_role("Manager")
    expect(role.scope(entity, "View")).to_have_value("all")
    expect(shell.page.locator(".history-entry").first).to_contain_text("admin")
