"""The sign-in page and the lock-out page it turns into after too many wrong passwords."""

from playwright.sync_api import Page, expect


class LoginPage:
    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        # Field names, not labels: the page is also used in other languages.
        self.username = page.locator("input[name=username]")
        self.password = page.locator("input[name=password]")
        self.error = page.locator(".form-errors")
        self.languages = page.locator("form.auth-languages")

    def open(self) -> "LoginPage":
        self.page.goto("/login/")
        expect(self.username).to_be_visible()
        return self

    def sign_in(self, username: str, password: str) -> None:
        """Submit the form and wait for the answer: a new page, even when it is this one again."""
        self.username.fill(username)
        self.password.fill(password)
        with self.page.expect_navigation():
            self.page.locator(".auth-card button[type=submit]").click()

    def switch_language(self, code: str) -> None:
        self.languages.locator(f"button[value={code}]").click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)

    def expect_locked_out(self) -> None:
        expect(self.heading).to_have_text("Account locked")
        expect(self.username).to_have_count(0)
