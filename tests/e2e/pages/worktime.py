"""Working-time screens: the activity card's time panel, the timesheet, the activity report."""

from playwright.sync_api import Page, expect


class TimePanel:
    """The "Working time" panel on an activity's card."""

    def __init__(self, page: Page):
        self.page = page
        self.root = page.get_by_test_id("worktime-panel")

    def log(self, time: str, note: str = "") -> None:
        self.root.get_by_role("textbox", name="Time", exact=True).fill(time)
        if note:
            self.root.get_by_role("textbox", name="Note", exact=True).fill(note)
        self.root.get_by_role("button", name="Log time").click()
        expect(self.page.locator("#toasts")).to_contain_text("Time logged.")


class TimesheetPage:
    def __init__(self, page: Page):
        self.page = page
        self.sheet = page.get_by_test_id("timesheet")

    def open(self) -> "TimesheetPage":
        self.page.goto("/worktime/")
        expect(self.sheet).to_be_visible()
        return self

    def row(self, label: str):
        return self.sheet.get_by_test_id("timesheet-row").filter(has_text=label)

    def cell(self, label: str, day_label: str):
        return self.sheet.get_by_role("textbox", name=f"{label}, {day_label}")

    def type_in(self, label: str, day_label: str, time: str) -> None:
        cell = self.cell(label, day_label)
        cell.fill(time)
        cell.press("Tab")
        expect(self.page.locator("#toasts")).to_contain_text("Saved.")

    @property
    def week_total(self):
        return self.page.get_by_test_id("week-total")


class ReportPage:
    def __init__(self, page: Page):
        self.page = page
        self.table = page.get_by_test_id("manager-report")

    def open(self, period: str = "week") -> "ReportPage":
        self.page.goto(f"/worktime/report/?period={period}")
        expect(self.table).to_be_visible()
        return self

    def number(self, username: str, figure: str):
        row = self.table.locator(f'[data-testid="report-row"][data-manager="{username}"]')
        return row.locator(f'[data-figure="{figure}"]')
