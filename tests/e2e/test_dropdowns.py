"""Dropdowns fit their words in every language: measured in Chromium, as the user sees them.

A select's text is cut when its longest choice is wider than the room inside its padding, or
when the browser draws its own arrow on top of that padding (``appearance`` other than none).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CHANNEL_TYPES = ("phones", "emails", "messengers", "websites", "addresses")
# Each select's longest choice and the room it has, measured with the select's own font.
MEASURE = """(selects) => selects.map((select) => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const widths = [...select.options].map((option) => context.measureText(option.text).width);
  const widest = Math.max(...widths);
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {name: select.name, appearance: style.appearance, widest, room};
})"""


@pytest.fixture
def open_as(open_page, client, live_server):
    """A page signed in as ``user`` through the session cookie, so it opens in their language."""

    def open_signed_in(user, device):
        client.force_login(user)
        page = open_page(device)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        return page

    return open_signed_in


def cut(measured: list[dict]) -> list[dict]:
    return [
        item for item in measured if item["appearance"] != "none" or item["widest"] > item["room"]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_channel_kinds_fit_their_dropdowns(open_as, company, language):
    # given a manager who reads the language, on the new person form with a row of each channel
    manager = company["n_manager1"]
    manager.language = language
    manager.save(update_fields=["language"])
    page = open_as(manager, DESKTOP)
    page.goto(reverse("customers:person_create"))
    for channel_type in CHANNEL_TYPES:
        rows = page.get_by_test_id(f"{channel_type}-rows")
        if rows.locator("[data-row]").count() == 0:
            rows.locator(".channel-add").click()

    # when the kind dropdowns are measured, then each has room for its longest kind
    kinds = page.locator("form.record-form select[name$='-kind']")
    measured = kinds.evaluate_all(MEASURE)
    assert len(measured) == len(CHANNEL_TYPES)
    assert cut(measured) == []


@pytest.mark.parametrize("language", ["ru", "pl"])
def test_the_role_table_is_usable_on_a_phone(open_as, company, roles, language):
    admin = company["admin"]
    admin.language = language
    admin.save(update_fields=["language"])
    page = open_as(admin, PHONE)

    page.goto(reverse("accounts:role_edit", args=[roles["manager"].pk]))

    # the access levels ("Команда", "Wszystkie") are whole; the table scrolls, not the page
    measured = page.locator(".scope-select").evaluate_all(MEASURE)
    assert measured and cut(measured) == []
    table = page.locator(".permission-matrix .table-wrap")
    assert table.evaluate("wrap => wrap.scrollWidth > wrap.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
