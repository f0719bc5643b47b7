"""A user's personal API token: created on the profile, used by a script, then revoked."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in
from .pages import ProfilePage

pytestmark = pytest.mark.e2e


def test_a_user_creates_an_api_token_uses_it_and_revokes_it(page, company):
    # Given a manager on their profile
    sign_in(page, company["n_manager1"])
    profile = ProfilePage(page).open()

    # When they create a token
    key = profile.create_token("Website forms")

    # Then its key is shown once, and the token is listed as active
    assert key.startswith("kl_")
    expect(profile.token_row("Website forms")).to_contain_text("Active")
    screenshot(page, "platform-profile-token-desktop")

    # And a script with the key is let in as them
    bearer = {"Authorization": f"Bearer {key}"}
    answer = page.request.get("/api/v1/me", headers=bearer)
    assert answer.status == 200
    assert answer.json()["username"] == "n_manager1"

    # When the page is opened again, the key is not shown any more
    profile.open()
    expect(profile.new_key).to_have_count(0)
    expect(profile.token_row("Website forms")).to_be_visible()

    # When they revoke the token, the script is turned away
    profile.revoke_token("Website forms")
    answer = page.request.get("/api/v1/me", headers=bearer)
    assert answer.status == 401
