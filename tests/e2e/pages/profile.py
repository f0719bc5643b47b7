"""The signed-in user's profile: personal details, password and personal API tokens."""

from playwright.sync_api import Locator, Page, expect


class ProfilePage:
    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.tokens = page.locator("#tokens")
        self.new_key = page.locator("#new-token-key")

    def open(self) -> "ProfilePage":
        self.page.goto("/profile/")
        expect(self.heading).to_have_text("Profile")
        return self

    def create_token(self, name: str) -> str:
        """Create a token and return its key, read from the box that shows it once."""
        form = self.tokens.locator("form.token-form")
        form.get_by_label("Name").fill(name)
        form.get_by_role("button", name="Create token").click()
        expect(self.new_key).to_be_visible()
        return self.new_key.input_value()

    def token_row(self, name: str) -> Locator:
        return self.tokens.locator("tbody tr").filter(has_text=name)

    def revoke_token(self, name: str) -> None:
        self.page.once("dialog", lambda dialog: dialog.accept())
        self.token_row(name).get_by_role("button", name="Revoke").click()
        expect(self.token_row(name)).to_contain_text("Revoked")
