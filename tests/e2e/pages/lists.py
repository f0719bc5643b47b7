"""The list component every list page shares: sorting, filters, columns, selection, bulk actions."""

import re

from playwright.sync_api import Locator, Page, expect

from .text import exactly


class ColumnsDialog:
    def __init__(self, page: Page):
        self.page = page
        self.root = page.locator("dialog.dialog[open]")

    def hide(self, label: str) -> None:
        self.root.get_by_label(label, exact=True).uncheck()

    def move_up(self, label: str) -> None:
        self.root.get_by_role("button", name=f"Move {label} up", exact=True).click()

    def save(self) -> None:
        self.root.get_by_role("button", name="Save columns").click()
        expect(self.root).to_have_count(0)


class ListPage:
    path = ""

    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.results = page.get_by_test_id("list-results")
        self.rows = self.results.locator("tbody tr")
        self.filters = page.locator("form.filter-bar")
        self.bulk_bar = self.results.locator(".bulk-bar")

    def open(self):
        self.page.goto(self.path)
        expect(self.results).to_be_visible()
        return self

    def row(self, text: str) -> Locator:
        return self.rows.filter(has_text=text)

    def open_row(self, title: str) -> None:
        """Open the record whose link in the list reads exactly ``title``."""
        self.rows.locator("a.row-link").filter(has_text=exactly(title)).click()

    def cell(self, row: str, column: str) -> Locator:
        return self.row(row).locator(f"td[data-label='{column}']")

    def column_labels(self) -> list[str]:
        headers = self.results.locator("thead th:not(.select-cell)")
        return [text.strip() for text in headers.all_text_contents()]

    def column_values(self, label: str) -> list[str]:
        cells = self.rows.locator(f"td[data-label='{label}']")
        return [text.strip() for text in cells.all_text_contents()]

    def header(self, label: str) -> Locator:
        return self.results.locator("thead th").filter(has_text=exactly(label))

    def sort_by(self, label: str, direction: str = "ascending") -> None:
        """Click a column's header until the list is sorted that way."""
        header = self.header(label)
        for _click in range(2):
            current = header.get_attribute("aria-sort")
            if current == direction:
                return
            header.get_by_role("link").click()
            expect(header).not_to_have_attribute("aria-sort", current)
        expect(header).to_have_attribute("aria-sort", direction)

    def filter_by(self, name: str, option: str) -> None:
        """Choose an option of one filter; the list and the address follow."""
        self.filters.locator(f"select[name={name}]").select_option(label=option)
        self.page.wait_for_url(re.compile(rf"[?&]{name}="))

    def open_columns(self) -> ColumnsDialog:
        self.page.get_by_role("button", name="Columns").click()
        dialog = ColumnsDialog(self.page)
        expect(dialog.root).to_be_visible()
        return dialog

    def select(self, *names: str) -> None:
        for name in names:
            self.results.get_by_label(f"Select {name}", exact=True).check()
        expect(self.bulk_bar).to_contain_text(f"Selected: {len(names)}")

    def apply_bulk_action(self, label: str, *, confirm: bool = False) -> None:
        if confirm:
            self.page.once("dialog", lambda dialog: dialog.accept())
        self.bulk_bar.get_by_role("button", name=label, exact=True).click()

    def create(self) -> None:
        self.page.locator(".page-actions a.button-primary").click()
