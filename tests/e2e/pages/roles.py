"""Settings > Roles: the list and a role's form with its permission table."""

from playwright.sync_api import Locator, expect

from .forms import FormPage
from .lists import ListPage


class RolesPage(ListPage):
    path = "/settings/roles/"

    def open_role(self, name: str) -> "RoleForm":
        self.open_row(name)
        form = RoleForm(self.page)
        expect(form.heading).to_have_text(f"Role {name}")
        return form


class RoleForm(FormPage):
    def __init__(self, page):
        super().__init__(page)
        self.matrix = self.form.locator(".permission-matrix")
        self.matrix_rows = self.matrix.locator("tbody tr")
        self.empty_state = self.matrix.locator(".empty-state")

    def entities(self) -> list[str]:
        return [text.strip() for text in self.matrix_rows.locator("th").all_text_contents()]

    def scope(self, entity: str, action: str) -> Locator:
        """The scope chosen for one cell of the table, e.g. scope("Widget", "View")."""
        return self.matrix.get_by_label(f"{entity}: {action}", exact=True)

    def set_scope(self, entity: str, action: str, scope: str) -> None:
        self.scope(entity, action).select_option(label=scope)
