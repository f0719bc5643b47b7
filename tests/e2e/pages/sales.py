"""Page objects of the sales screens: the funnel and a deal's card."""

from playwright.sync_api import expect


class Funnel:
    def __init__(self, page):
        self.page = page
        self.board = page.get_by_test_id("board")

    def open(self) -> "Funnel":
        self.page.goto("/deals/")
        expect(self.board).to_be_visible()
        return self

    def column(self, stage: str):
        return self.page.get_by_test_id(f"stage-{stage}")

    def card(self, title: str):
        return self.board.locator(".deal-card", has_text=title)

    def drag(self, title: str, stage: str) -> None:
        self.card(title).drag_to(self.column(stage).locator("[data-stage-cards]"))

    def expect_in(self, title: str, stage: str) -> None:
        expect(self.column(stage).locator(".deal-card", has_text=title)).to_be_visible()

    def toast(self, text: str):
        return self.page.locator("#toasts").get_by_text(text)


class PlansPage:
    """Plans and forecast: tabs per kind of plan, the table, and the form to set a plan."""

    def __init__(self, page):
        self.page = page
        self.table = page.get_by_test_id("plans")

    def open(self, query: str = "") -> "PlansPage":
        self.page.goto(f"/deals/plans/{query}")
        expect(self.table).to_be_visible()
        return self

    def show(self, tab: str) -> "PlansPage":
        self.page.get_by_role("navigation", name="Plans for").get_by_role("link", name=tab).click()
        expect(self.page.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
        return self

    def choose_period(self, period: str) -> "PlansPage":
        filters = self.page.get_by_role("form", name="Filters")
        filters.get_by_label("Period").select_option(label=period)
        filters.get_by_role("button", name="Apply").click()
        return self

    def set_plan(self, **fields: str) -> None:
        form = self.page.get_by_role("region", name="Set a plan")
        for label, value in fields.items():
            field = form.get_by_label(label)
            if field.evaluate("element => element.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        form.get_by_role("button", name="Save").click()

    def row(self, text: str):
        return self.table.locator("tbody tr", has_text=text)


class PerformancePage:
    def __init__(self, page):
        self.page = page
        self.table = page.get_by_test_id("performance")

    def open(self) -> "PerformancePage":
        self.page.goto("/deals/performance/")
        expect(self.table).to_be_visible()
        return self

    def filter(self, label: str, option: str) -> None:
        self.page.get_by_label(label).select_option(label=option)
        self.page.get_by_role("button", name="Apply").click()

    def row(self, manager: str):
        return self.table.locator("tr", has_text=manager)
