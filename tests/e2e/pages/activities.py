"""Activities: the plan panel on a client's card, its timeline items, the completion form, Today."""

from playwright.sync_api import Locator, Page, expect

from .forms import FormPage


class ActivityPanel:
    """The panel of a card that plans an activity about the card in one line."""

    def __init__(self, page: Page):
        self.page = page
        self.panel = page.get_by_test_id("activity-panel")
        self.form = self.panel.locator("form.plan-form")

    def plan(self, kind: str, subject: str, when: str) -> None:
        """``kind`` by its value (call, meeting, task, email); ``when`` as "2026-03-12T10:00"."""
        self.form.locator(f"input[name=kind][value={kind}]").check()
        self.form.locator("input[name=subject]").fill(subject)
        self.form.locator("input[name=when]").fill(when)
        self.form.locator("button[type=submit]").click()


class Timeline:
    """A card's timeline (notes, activities, deals), newest first."""

    def __init__(self, page: Page):
        self.page = page
        self.items = page.locator("#timeline .timeline-item")
        self.activities = page.get_by_test_id("timeline-activity")

    def activity(self, subject: str) -> Locator:
        return self.activities.filter(has=self.page.locator(".activity-subject", has_text=subject))

    def complete(self, subject: str) -> "CompleteForm":
        self.activity(subject).locator("a[href*='/complete/']").click()
        form = CompleteForm(self.page)
        expect(form.field("result")).to_be_visible()
        return form


class CompleteForm(FormPage):
    def plan_follow_up(self, kind: str, subject: str, when: str) -> None:
        self.field("follow_up").check()
        expect(self.field("follow_up_subject")).to_be_visible()
        self.field("follow_up_kind").select_option(kind)
        self.fill(follow_up_subject=subject, follow_up_at=when)


class Today:
    def __init__(self, page: Page):
        self.page = page
        self.agenda = page.get_by_test_id("agenda")
        self.overdue = page.get_by_test_id("agenda-overdue")
        self.today = page.get_by_test_id("agenda-today")

    def open(self) -> "Today":
        self.page.goto("/")
        expect(self.agenda).to_be_visible()
        return self
