"""A head of sales sets the team's plan for the quarter, sees it against what was won, then
reads each manager's performance and narrows it to the team; on a desktop and on a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from klientela.customers import services as customers
from klientela.sales import services
from klientela.sales.models import SalesPlan

from .conftest import PHONE, screenshot, sign_in
from .pages.sales import PerformancePage, PlansPage

pytestmark = pytest.mark.e2e


@pytest.fixture
def won_deals(company):
    customers.sync_reference_lists()
    services.ensure_sales_defaults()
    won = services.Pipeline.objects.get().stages.get(kind="won")
    for name, amount in (("n_manager1", "1200"), ("n_manager2", "800"), ("s_manager1", "5000")):
        deal = services.create_deal(
            actor=company[name], title=f"{name} deal", amount=Decimal(amount)
        )
        services.move_deal(actor=company[name], deal=deal, stage=won)


def test_a_head_plans_the_quarter_and_reads_the_managers_performance(page, company, won_deals):
    sign_in(page, company["n_head"])
    plans = PlansPage(page).open().show("Teams")

    # When the head sets the North team's plan for this quarter
    plans.choose_period("Quarter")
    plans.set_plan(Team="North", Period="Quarter", Plan="4000")

    # Then the table shows the plan against the team's won deals: 2000 of 4000
    expect(plans.row("North")).to_contain_text("€4,000.00")
    expect(plans.row("North")).to_contain_text("€2,000.00")
    expect(plans.row("North")).to_contain_text("50%")
    plan = SalesPlan.objects.get()
    assert (plan.dimension, plan.period, plan.team) == ("team", "quarter", company["n_head"].team)
    screenshot(page, "sales-plans-desktop")

    # And the performance page lists the team's managers, not the other team's
    performance = PerformancePage(page).open()
    expect(performance.row("n_manager1")).to_contain_text("€1,200.00")
    expect(performance.row("n_manager2")).to_contain_text("€800.00")
    expect(performance.table).not_to_contain_text("s_manager1")
    expect(performance.row("Total")).to_contain_text("€2,000.00")
    screenshot(page, "sales-performance-desktop")


def test_an_administrator_narrows_the_performance_to_a_team_on_a_phone(
    open_page, company, won_deals
):
    page = open_page(PHONE)
    sign_in(page, company["admin"])
    performance = PerformancePage(page).open()
    expect(performance.row("s_manager1")).to_contain_text("€5,000.00")

    performance.filter("Team", "North")

    expect(performance.table).not_to_contain_text("s_manager1")
    expect(performance.row("Total")).to_contain_text("€2,000.00")
    screenshot(page, "sales-performance-phone")
