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
