"""An administrator publishes a web form; a visitor sends it from a phone; the manager it is
for finds the request among their leads."""

import time

import pytest
from playwright.sync_api import expect

from klientela.customers.services import sync_reference_lists

from .conftest import PHONE, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_a_visitor_sends_the_web_form_and_the_manager_sees_the_lead(page, open_page, company):
    sync_reference_lists()
    sign_in(page, company["admin"])
    page.goto("/webforms/new/")
    page.locator("#id_name").fill("Contact us")
    page.locator("input[name=required][value=first_name]").check()
    page.locator("input[name=required][value=email]").check()
    page.locator("#id_responsible").select_option(str(company["n_manager1"].pk))
    page.get_by_role("button", name="Save").click()
    link = page.locator(".webform-link")
    expect(link).to_be_visible()
    screenshot(page, "webform-admin")

    visitor = open_page(PHONE)
    visitor.goto(link.inner_text())
    visitor.get_by_label("First name").fill("Anna")
    visitor.get_by_label("E-mail").fill("anna@")
    visitor.get_by_label("Phone").fill("+48 601 234 567")
    visitor.get_by_label("Message").fill("Please send an offer")
    time.sleep(2.1)  # a person takes a moment to fill a form in; faster ones are ignored
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_text("Enter a valid e-mail address.")).to_be_visible()
    visitor.get_by_label("E-mail").fill("anna@polbud.pl")
    screenshot(visitor, "webform-public-phone")
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("heading", name="Thank you!")).to_be_visible()

    manager = open_page()
    sign_in(manager, company["n_manager1"])
    manager.goto("/leads/")
    expect(manager.get_by_text("Contact us: Anna")).to_be_visible()
