"""A page with one form: fields found by their names, errors shown next to each field."""

import re

from playwright.sync_api import Locator, Page, expect


class FormPage:
    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.form = page.locator(".record-main form.form")

    def field(self, name: str) -> Locator:
        return self.form.locator(f"[name='{name}']")

    def fill(self, **values) -> None:
        """Type text, pick a choice by its label, tick a box: whatever each field is."""
        for name, value in values.items():
            field = self.field(name)
            tag = field.evaluate("element => element.tagName.toLowerCase()")
            if tag == "select":
                field.select_option(label=value)
            elif field.get_attribute("type") == "checkbox":
                field.set_checked(value)
            else:
                field.fill(value)

    def error_of(self, name: str) -> Locator:
        return self.form.locator(f".field:has([name='{name}']) .field-errors")

    def submit(self) -> None:
        self.form.locator(".form-actions button[type=submit]").click()

    def submit_expecting_error(self, name: str) -> Locator:
        """Submit, and wait for the form to come back with a message next to the field."""
        self.submit()
        error = self.error_of(name)
        expect(error).to_be_visible()
        return error

    def submit_and_leave(self, url: str | re.Pattern) -> None:
        self.submit()
        self.page.wait_for_url(url)
