"""The customer base: the organizations list, the card forms, the cards and the merge screen.

Fields are found by their names and buttons by what they do (dialog ids, data attributes), so
the same objects work in any language; only the values a user types or reads are words.
"""

import re

from playwright.sync_api import Locator, Page, expect

from .forms import FormPage
from .lists import ListPage
from .text import exactly

CARD_ADDRESS = re.compile(r"/(organizations|people)/(\d+)/$")


def record_id(page: Page) -> int:
    """The id of the card the page shows, read from its address."""
    match = CARD_ADDRESS.search(page.url)
    assert match, f"not a card: {page.url}"
    return int(match.group(2))


class OrganizationList(ListPage):
    path = "/organizations/"

    def __init__(self, page: Page):
        super().__init__(page)
        self.export_buttons = page.locator(".export-buttons")

    def new_organization(self) -> "OrganizationForm":
        self.create()
        form = OrganizationForm(self.page)
        expect(form.field("legal_name")).to_be_visible()
        return form

    def export(self, file_format: str):
        """Download the filtered list (``csv`` or ``xlsx``) and return Playwright's download."""
        with self.page.expect_download() as download:
            self.export_buttons.locator(f"a[data-format={file_format}]").click()
        return download.value


class CardForm(FormPage):
    """The form of a new or changed card: main fields, repeatable channel rows, duplicates."""

    def __init__(self, page: Page):
        super().__init__(page)
        self.live_duplicates = self.form.get_by_test_id("duplicates")
        self.blocking_duplicates = self.form.locator(".duplicates-panel.is-blocking")

    def channel_rows(self, channel_type: str) -> Locator:
        return self.form.get_by_test_id(f"{channel_type}-rows")

    def add_channel(self, channel_type: str, **values) -> None:
        """Fill the first empty row of a channel type (``phones``, ``addresses``...), adding one
        when every row is taken; ``values`` are the row's fields (``number="8 916..."``)."""
        rows = self.channel_rows(channel_type)
        first_field = next(iter(values))
        for index in range(rows.locator("[data-row]").count()):
            if not self.field(f"{channel_type}-{index}-{first_field}").input_value():
                break
        else:
            index = rows.locator("[data-row]").count()
            rows.locator(".channel-add").click()
            expect(self.field(f"{channel_type}-{index}-{first_field}")).to_be_visible()
        self.fill(**{f"{channel_type}-{index}-{name}": value for name, value in values.items()})

    def add_phone(self, number: str) -> None:
        self.add_channel("phones", number=number)

    def add_email(self, address: str) -> None:
        self.add_channel("emails", address=address)

    def add_address(self, **parts) -> None:
        self.add_channel("addresses", **parts)

    def duplicate(self, title: str) -> Locator:
        """A card named in the duplicate warning, shown as the user types or on saving."""
        return self.form.locator(".duplicate-item").filter(has_text=title)

    def create_anyway(self, url: str | re.Pattern = CARD_ADDRESS) -> None:
        """Save although the form found possible duplicates."""
        self.form.locator("button[name=confirm_duplicates]").click()
        self.page.wait_for_url(url)


class OrganizationForm(CardForm):
    pass


class PersonForm(CardForm):
    pass


class RecordCard:
    """What organization and person cards share: header actions, channels, history, notes."""

    def __init__(self, page: Page):
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.channels = page.locator(".channel-view")
        self.phones = self.channels.locator(".channel-item:has(a[href^='tel:']) .channel-main")
        self.emails = self.channels.locator("a[href^='mailto:']")
        self.history = page.locator(".record-side .history")
        self.timeline = page.locator("#timeline")

    @property
    def id(self) -> int:
        return record_id(self.page)

    def expect_title(self, title: str) -> None:
        expect(self.heading).to_contain_text(title)

    def field(self, label: str) -> Locator:
        row = self.page.locator(".field-row").filter(has=self.page.get_by_text(label, exact=True))
        return row.locator("dd")

    def history_entries(self, kind: str) -> Locator:
        """Entries of one kind (``create``, ``update``, ``merge``...), by their class."""
        return self.history.locator(f".history-entry.history-{kind}")

    def notes(self) -> Locator:
        return self.timeline.locator(".timeline-item.timeline-note")

    def add_note(self, text: str) -> None:
        count = self.notes().count()
        self.timeline.locator("textarea[name=note-body]").fill(text)
        self.timeline.locator(".note-form button[type=submit]").click()
        expect(self.notes()).to_have_count(count + 1)

    def open_dialog(self, dialog_id: str) -> Locator:
        self.page.locator(f"[data-open-dialog={dialog_id}]").first.click()
        dialog = self.page.locator(f"dialog#{dialog_id}")
        expect(dialog).to_be_visible()
        return dialog

    def start_merge(self, duplicate: str) -> "MergePage":
        """Find the duplicate in the card's merge dialog and open the merge screen with it."""
        dialog = self.open_dialog("merge-dialog")
        dialog.locator("input[name=q]").fill(duplicate)
        dialog.locator("a.lookup-hit").filter(has_text=duplicate).click()
        merge = MergePage(self.page)
        expect(merge.form).to_be_visible()
        return merge


class OrganizationCard(RecordCard):
    def __init__(self, page: Page):
        super().__init__(page)
        self.contacts = page.get_by_test_id("contacts").locator(".link-item")

    def contact(self, name: str) -> Locator:
        return self.contacts.filter(has=self.page.get_by_role("link", name=name, exact=True))

    def contact_role(self, name: str) -> Locator:
        return self.contact(name).locator(".link-text .muted")

    def add_contact(self, *, role: str = "", **values) -> None:
        """A new person as this organization's contact: ``role`` is the reference item's key
        (``director``), ``values`` the other fields (``last_name``, ``phone``...)."""
        count = self.contacts.count()
        dialog = self.open_dialog("contact-dialog")
        for name, value in values.items():
            dialog.locator(f"[name=contact-{name}]").fill(value)
        if role:
            dialog.locator("select[name=contact-role]").select_option(value=role)
        dialog.locator(".dialog-actions button[type=submit]").click()
        expect(self.contacts).to_have_count(count + 1)

    def open_contact(self, name: str) -> "PersonCard":
        self.contact(name).get_by_role("link", name=name, exact=True).click()
        card = PersonCard(self.page)
        expect(card.heading).to_have_text(exactly(name))
        return card


class PersonCard(RecordCard):
    def __init__(self, page: Page):
        super().__init__(page)
        self.organizations = page.get_by_test_id("organizations").locator(".link-item")


class MergePage:
    """Two cards side by side: a choice for each field where they differ, then the merge."""

    def __init__(self, page: Page):
        self.page = page
        self.form = page.locator("form.merge-form")
        self.moves = page.locator(".merge-moves")

    def choose(self, field: str, side: str) -> None:
        """Keep a field's value from the card that ``stays`` or the one ``merged in``."""
        value = {"stays": "survivor", "merged in": "duplicate"}[side]
        self.form.locator(f"input[name='{field}'][value={value}]").check()

    def merge(self) -> None:
        self.form.locator(".form-actions button[type=submit]").click()
        self.page.wait_for_url(CARD_ADDRESS)
