"""The interactive API documentation works offline and under the strict CSP."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def test_the_api_docs_render_swagger_ui(page, live_server):
    # Given nothing but the address of the docs
    # When an integrator opens them
    page.goto("/api/v1/docs")

    # Then Swagger UI shows the API and its endpoints, with no errors (checked by the harness)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Klientela API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/me").first).to_be_visible()
    screenshot(page, "platform-api-docs-desktop", full_page=False)
