"""A manager's day with the customer base: a new organization with its contact persons, a
contact found by a phone typed another way, a duplicate caught on entry and merged; what
another team sees, the pages on a phone, and who may export."""

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from klientela.accounts import services as accounts
from klientela.customers import services
from klientela.customers.models import Organization

from .conftest import screenshot, sign_in
from .pages.customers import CARD_ADDRESS, OrganizationCard, OrganizationList, PersonCard
from .pages.text import exactly

pytestmark = pytest.mark.e2e

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def form_screenshot(page, name: str, shown) -> None:
    """A form's header and action bar are sticky: a full-page capture draws them mid-page, so
    capture the screen with the part that matters in view."""
    shown.scroll_into_view_if_needed()
    screenshot(page, name, full_page=False)


@pytest.fixture
def sales(roles):
    """Two sales teams: North with Irina (head) and Maria (manager), South with Sergei."""
    services.sync_reference_lists()
    admin = accounts.create_user(
        actor=None, username="admin", password=PASSWORD, role=roles["admin"]
    )
    people = {}
    teams = {
        "North": [("irina", "Irina", "Volkova", "head"), ("maria", "Maria", "Sokolova", "manager")],
        "South": [("sergei", "Sergei", "Lebedev", "manager")],
    }
    for team_name, members in teams.items():
        team = accounts.create_team(actor=admin, name=team_name)
        for username, first_name, last_name, role in members:
            people[username] = accounts.create_user(
                actor=admin,
                username=username,
                password=PASSWORD,
                role=roles[role],
                team=team,
                first_name=first_name,
                last_name=last_name,
            )
    accounts.update_team(actor=admin, team=people["irina"].team, head=people["irina"])
    return people


@pytest.fixture
def manager(sales):
    return sales["maria"]


@pytest.fixture
def severstal(manager):
    """An organization of the manager's with two contact persons."""
    organization = services.create_organization(
        actor=manager,
        legal_name="Severstal Trade LLC",
        short_name="Severstal",
        phones=["+7 (495) 123-45-67"],
        addresses=[{"city": "Moscow"}],
    )
    for first_name, last_name, role, phone in (
        ("Ivan", "Petrov", "director", "8 916 555 12 34"),
        ("Olga", "Sidorova", "accountant", "+7-916-555-43-21"),
    ):
        services.create_person(
            actor=manager,
            first_name=first_name,
            last_name=last_name,
            phones=[phone],
            memberships=[{"organization": organization, "role": role}],
        )
    return organization


@pytest.fixture
def other_teams(sales):
    """A North organization of the head's, and one of the South team."""
    return [
        services.create_organization(actor=sales["irina"], legal_name="Volga Foods JSC"),
        services.create_organization(actor=sales["sergei"], legal_name="Yug Logistics LLC"),
    ]


def test_a_manager_creates_an_organization_with_two_contact_persons(page, manager):
    # Given a manager signed in, on the organizations list
    shell = sign_in(page, manager)
    shell.go_to("Organizations")
    screenshot(page, "customers-organization-list-empty-desktop")

    # When they create an organization, typing its phone the way the client said it
    form = OrganizationList(page).new_organization()
    form.fill(legal_name="Severstal Trade LLC", short_name="Severstal", tax_number="7701234567")
    form.add_phone("+7 (495) 123-45-67")
    form.add_email("office@severstal.example")
    form.add_address(city="Moscow")
    form_screenshot(page, "customers-organization-new-desktop", form.channel_rows("phones"))
    form.submit_and_leave(CARD_ADDRESS)

    # Then its card shows it, the phone in the international format
    card = OrganizationCard(page)
    shell.expect_toast("Severstal created.")
    card.expect_title("Severstal")
    expect(card.field("Legal name")).to_have_text("Severstal Trade LLC")
    expect(card.field("Tax number")).to_have_text("7701234567")
    expect(card.phones).to_have_text(["+7 495 123-45-67"])
    expect(card.emails).to_have_text(["office@severstal.example"])
    expect(card.channels).to_contain_text("Moscow")

    # When they add a director and an accountant, each with a phone typed in its own way
    card.add_contact(
        first_name="Ivan", last_name="Petrov", role="director", phone="8 916 555 12 34"
    )
    shell.expect_toast("Ivan Petrov added as a contact.")
    card.add_contact(
        first_name="Olga", last_name="Sidorova", role="accountant", phone="+7-916-555-43-21"
    )

    # Then the card lists both with their roles
    expect(card.contact_role("Ivan Petrov")).to_have_text("Director")
    expect(card.contact_role("Olga Sidorova")).to_have_text("Accountant")
    screenshot(page, "customers-organization-card-desktop")

    # And each contact's card shows their phone normalized and where they work
    director = card.open_contact("Ivan Petrov")
    expect(director.phones).to_have_text(["+7 916 555-12-34"])
    expect(director.organizations).to_contain_text("Severstal")
    screenshot(page, "customers-person-card-desktop")
    page.go_back()
    accountant = OrganizationCard(page).open_contact("Olga Sidorova")
    expect(accountant.phones).to_have_text(["+7 916 555-43-21"])


@pytest.mark.parametrize("typed", ["89165551234", "555-12-34"])
def test_a_manager_finds_a_contact_by_a_phone_typed_another_way(page, manager, severstal, typed):
    # Given a manager signed in, whose contact's phone was saved as "8 916 555 12 34"
    shell = sign_in(page, manager)

    # When they type the number another way in the search box at the top
    shell.search(typed)

    # Then the dropdown shows that person, and nobody else
    hits = shell.search_results.locator(".search-hit")
    expect(hits).to_have_count(1)
    expect(hits).to_contain_text("Ivan Petrov")
    expect(hits).to_contain_text("+7 916 555-12-34")
    screenshot(page, f"customers-search-{typed}-desktop")

    # When they click it, the person's card opens
    hits.click()
    card = PersonCard(page)
    expect(card.heading).to_have_text(exactly("Ivan Petrov"))
    expect(card.phones).to_have_text(["+7 916 555-12-34"])


def test_a_manager_merges_a_duplicate_caught_while_typing(page, manager, severstal):
    # Given a manager starting another organization, with the phone typed another way
    shell = sign_in(page, manager)
    form = OrganizationList(page).open().new_organization()
    form.fill(legal_name="Severstal Trading House")
    form.add_phone("8 495 1234567")
    form.add_email("sales@severstal.example")

    # Then the form warns, as they type, that the organization may already be in the base
    expect(form.duplicate("Severstal")).to_be_visible()
    expect(form.duplicate("Severstal")).to_contain_text("Maria Sokolova")
    form_screenshot(page, "customers-duplicate-warning-desktop", form.live_duplicates)

    # When they create it anyway, and give it a contact person and a note
    form.submit()
    expect(form.blocking_duplicates).to_be_visible()
    form.create_anyway()
    duplicate = OrganizationCard(page)
    duplicate.expect_title("Severstal Trading House")
    duplicate_id = duplicate.id
    duplicate.add_contact(first_name="Pavel", last_name="Orlov", role="purchaser")
    duplicate.add_note("Asked for the winter price list.")

    # And later, from the first card, merge the duplicate into it, taking its legal name
    page.goto(severstal.get_absolute_url())
    survivor = OrganizationCard(page)
    merge = survivor.start_merge("Severstal Trading House")
    merge.choose("legal_name", "merged in")
    expect(merge.moves).to_contain_text("1 contact person")
    expect(merge.moves).to_contain_text("1 note")
    screenshot(page, "customers-merge-desktop")
    merge.merge()

    # Then they are on the card that stayed, which has everything the duplicate had
    assert survivor.id == severstal.pk
    shell.expect_toast("Severstal Trading House merged into Severstal.")
    survivor.expect_title("Severstal")
    expect(survivor.field("Legal name")).to_have_text("Severstal Trading House")
    expect(survivor.contacts).to_have_count(3)
    expect(survivor.contact_role("Pavel Orlov")).to_have_text("Purchaser")
    expect(survivor.phones).to_have_text(["+7 495 123-45-67"])
    expect(survivor.emails).to_have_text(["sales@severstal.example"])
    expect(survivor.notes()).to_contain_text("Asked for the winter price list.")
    expect(survivor.history_entries("merge")).to_have_count(1)
    screenshot(page, "customers-merged-card-desktop")

    # And the duplicate's address now leads nowhere
    response = page.goto(f"/organizations/{duplicate_id}/")
    assert response.status == 404
    assert not Organization.objects.filter(pk=duplicate_id).exists()


def test_a_manager_of_another_team_cannot_find_or_open_the_organization(page, sales, severstal):
    # Given a manager of the South team
    shell = sign_in(page, sales["sergei"])

    # When they search for the North team's organization by name and by its contact's phone
    for typed in ("Severstal", "89165551234"):
        shell.search(typed)

        # Then nothing is found (once the answer for what they typed is in)
        expect(shell.search_results.locator(f".search-all[href$='q={typed}']")).to_be_visible()
        expect(shell.search_results.locator(".search-hit")).to_have_count(0)

    # And their organizations list does not have it
    expect(OrganizationList(page).open().rows).to_have_count(0)

    # And its address is a 404, as if it did not exist
    response = page.goto(severstal.get_absolute_url())
    assert response.status == 404


def test_a_manager_works_with_organizations_on_a_phone(phone_page, manager, severstal):
    page = phone_page
    # Given a manager signed in on a phone
    shell = sign_in(page, manager)

    # When they open the organizations list from the menu drawer
    shell.open_drawer()
    shell.go_to("Organizations")

    # Then the list fits the screen
    organizations = OrganizationList(page)
    expect(organizations.row("Severstal")).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= page.viewport_size["width"]
    screenshot(page, "customers-organization-list-phone")

    # And so does the card, with its phone and contacts
    organizations.open_row("Severstal")
    card = OrganizationCard(page)
    expect(card.phones).to_have_text(["+7 495 123-45-67"])
    expect(card.contacts).to_have_count(2)
    assert page.evaluate(PAGE_WIDTH) <= page.viewport_size["width"]
    screenshot(page, "customers-organization-card-phone")


def test_a_head_exports_the_team_organizations_and_a_manager_cannot(
    open_page, sales, severstal, other_teams, tmp_path
):
    # Given a manager on the organizations list: there is no export for them
    page = open_page()
    sign_in(page, sales["maria"])
    organizations = OrganizationList(page).open()
    expect(organizations.rows).to_have_count(2)
    expect(organizations.export_buttons).to_have_count(0)

    # When the head of their team exports the list to Excel
    page = open_page()
    sign_in(page, sales["irina"])
    organizations = OrganizationList(page).open()
    expect(organizations.export_buttons).to_be_visible()
    screenshot(page, "customers-organization-list-head-desktop")
    download = organizations.export("xlsx")

    # Then the file opens in a spreadsheet with the team's organizations, and only those
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    names = sorted(row[header.index("Legal name")] for row in rows)
    assert names == ["Severstal Trade LLC", "Volga Foods JSC"]
