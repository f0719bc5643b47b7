"""A manager works the funnel: a drag stopped by a stage rule, the field filled, the drag again;
then a deal lost to a competitor, with the reason recorded."""

import pytest
from playwright.sync_api import expect

from klientela.customers import services as customers
from klientela.sales import services
from klientela.sales.models import Deal

from .conftest import PHONE, screenshot, sign_in
from .pages.sales import Funnel

pytestmark = pytest.mark.e2e
WIDE = {"viewport": {"width": 1920, "height": 1000}}


@pytest.fixture
def deals(company):
    customers.sync_reference_lists()
    services.ensure_sales_defaults()
    manager = company["n_manager1"]
    acme = customers.create_organization(actor=manager, legal_name="Acme LLC")
    customers.create_organization(actor=manager, legal_name="Rival Systems", types=["competitor"])
    return {
        "licences": services.create_deal(actor=manager, title="Acme licences", organization=acme),
        "training": services.create_deal(actor=manager, title="Acme training", organization=acme),
    }


def test_a_manager_drags_a_deal_is_stopped_by_a_rule_fills_it_and_moves_it(page, company, deals):
    sign_in(page, company["n_manager1"])
    funnel = Funnel(page).open()
    screenshot(page, "sales-funnel-desktop")

    # When the deal is dragged to Proposal, which needs an amount, the move is refused
    funnel.drag("Acme licences", "Proposal")
    expect(funnel.toast("fill in: amount")).to_be_visible()
    funnel.expect_in("Acme licences", "New")
    assert Deal.objects.get(title="Acme licences").stage.name == "New"

    # When the amount is filled on the deal's form and the deal is dragged again, it moves
    funnel.card("Acme licences").get_by_role("link", name="Acme licences").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Amount").fill("12000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Acme licences")).to_be_visible()
    funnel.open().drag("Acme licences", "Proposal")
    expect(funnel.toast("Deal moved to “Proposal”.")).to_be_visible()
    funnel.expect_in("Acme licences", "Proposal")
    assert Deal.objects.get(title="Acme licences").stage.name == "Proposal"


def test_a_manager_marks_a_deal_lost_to_a_competitor(open_page, company, deals):
    # A wide screen shows all six columns at once (narrower ones scroll the board sideways).
    page = open_page(WIDE)
    sign_in(page, company["n_manager1"])
    funnel = Funnel(page).open()

    funnel.drag("Acme training", "Lost")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Why was it lost?").select_option(label="Chose a competitor")
    dialog.get_by_label("Competitor who won").fill("Rival")
    dialog.get_by_role("button", name="Rival Systems").click()
    screenshot(page, "sales-lost-dialog")
    dialog.get_by_role("button", name="Mark as lost").click()

    funnel.expect_in("Acme training", "Lost")
    lost = Deal.objects.select_related("lost_reason", "competitor").get(title="Acme training")
    assert (lost.lost_reason.key, str(lost.competitor)) == ("competitor", "Rival Systems")

    # And the sales report shows the reason and the competitor who won
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_test_id("lost-reasons")).to_contain_text("Chose a competitor")
    expect(page.get_by_test_id("competitors")).to_contain_text("Rival Systems")
    screenshot(page, "sales-report-desktop")


def test_the_funnel_scrolls_sideways_on_a_phone(open_page, company, deals):
    page = open_page(PHONE)
    sign_in(page, company["n_manager1"])
    Funnel(page).open()
    screenshot(page, "sales-funnel-phone")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_test_id("board").evaluate("board => board.scrollWidth > board.clientWidth")
