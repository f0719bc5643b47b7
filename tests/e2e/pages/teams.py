"""Settings > Teams: the list and the form of a team."""

from playwright.sync_api import expect

from .forms import FormPage
from .lists import ListPage


class TeamsPage(ListPage):
    path = "/settings/teams/"

    def new_team(self) -> "TeamForm":
        self.create()
        form = TeamForm(self.page)
        expect(form.heading).to_have_text("New team")
        return form


class TeamForm(FormPage):
    pass
