"""Saved filters of list pages: personal and shared, saved and deleted through HTMX."""

import json

import pytest
from django.urls import reverse

from klientela.core.models import SavedFilter
from klientela.core.savedfilters import clean_query
from tests.accessapp.models import Widget

pytestmark = pytest.mark.urls("klientela.core.tests.list_urls")

URL = "/component/widgets/"
LIST_KEY = "tests.widgets"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def widgets(company):
    return {
        name: Widget.objects.create(name=f"{name}'s widget", responsible=user)
        for name, user in company.items()
    }


def save(client, name: str, query: str, *, shared: bool = False, headers=HTMX):
    data = {"list_key": LIST_KEY, "name": name, "query": query, "list_url": URL}
    if shared:
        data["is_shared"] = "1"
    return client.post(reverse("core:saved_filter_save"), data, headers=headers)


def test_the_query_is_kept_without_the_page_and_empty_values():
    assert clean_query("q=head&page=3&sort=-name&team=") == "q=head&sort=-name"


def test_a_user_saves_the_current_filters_and_finds_them_on_the_list(client, company, widgets):
    client.force_login(company["admin"])

    answer = save(client, "Heads", "q=head&page=2")
    page = client.get(URL, {"q": "manager"})

    saved = SavedFilter.objects.get()
    assert (saved.user, saved.name, saved.query, saved.is_shared) == (
        company["admin"],
        "Heads",
        "q=head",
        False,
    )
    assert answer.status_code == 200
    assert f'href="{URL}?q=head"' in answer.text
    assert json.loads(answer["HX-Trigger"])["toast"][0]["message"] == "Filter “Heads” saved."
    assert "Heads" in page.text and "Save these filters" in page.text


def test_shared_filters_are_seen_by_others_and_personal_ones_are_not(client, company, widgets):
    client.force_login(company["n_head"])
    save(client, "Mine only", "q=north")
    save(client, "For the team", "q=manager", shared=True)

    client.force_login(company["n_manager1"])
    page = client.get(URL, {"q": "n_"})

    bar = page.text.split('data-testid="saved-filters"')[1].split("</div>")[0]
    assert "For the team" in bar
    assert "Mine only" not in bar
    assert "Shared by n_head" in bar
    assert "Delete saved filter For the team" not in bar  # not theirs to delete


def test_a_shared_filter_still_shows_only_what_the_user_may_see(client, company, widgets):
    client.force_login(company["admin"])
    save(client, "Everyone's widgets", "q=widget", shared=True)

    client.force_login(company["n_manager1"])
    page = client.get(URL, {"q": "widget"})

    # the widgets list gives a manager only their own widgets, whatever the filter says
    assert "n_manager1&#x27;s widget" in page.text
    assert "s_manager1&#x27;s widget" not in page.text


def test_saving_under_the_same_name_replaces_the_filter(client, company, widgets):
    client.force_login(company["admin"])

    save(client, "Heads", "q=head")
    save(client, "Heads", "q=head&sort=-name", shared=True)

    assert list(SavedFilter.objects.values_list("query", "is_shared")) == [
        ("q=head&sort=-name", True)
    ]


def test_a_filter_without_a_name_or_filters_is_not_saved(client, company, widgets):
    client.force_login(company["admin"])

    nameless = save(client, "  ", "q=head")
    empty = save(client, "Nothing", "page=2")

    assert '"level": "error"' in nameless["HX-Trigger"]
    assert '"level": "error"' in empty["HX-Trigger"]
    assert not SavedFilter.objects.exists()


def test_an_unknown_list_is_refused(client, company):
    client.force_login(company["admin"])

    answer = client.post(
        reverse("core:saved_filter_save"), {"list_key": "nope", "name": "X", "query": "q=1"}
    )

    assert answer.status_code == 400
    assert not SavedFilter.objects.exists()


def test_only_the_owner_or_an_administrator_deletes_a_filter(client, company, widgets):
    client.force_login(company["n_head"])
    save(client, "For the team", "q=manager", shared=True)
    save(client, "Private", "q=north")
    shared, private = SavedFilter.objects.order_by("name")
    delete = [reverse("core:saved_filter_delete", args=[item.pk]) for item in (shared, private)]

    client.force_login(company["n_manager1"])
    refused = client.post(delete[0], {"list_url": URL}, headers=HTMX)
    hidden = client.post(delete[1], {"list_url": URL}, headers=HTMX)
    client.force_login(company["admin"])
    by_admin = client.post(delete[0], {"list_url": URL}, headers=HTMX)
    client.force_login(company["n_head"])
    by_owner = client.post(delete[1], {"list_url": URL})

    assert (refused.status_code, hidden.status_code) == (403, 404)
    assert by_admin.status_code == 200
    assert by_owner.status_code == 302 and by_owner["Location"] == URL
    assert not SavedFilter.objects.exists()


def test_the_current_filter_is_marked(client, company, widgets):
    client.force_login(company["admin"])
    save(client, "Heads", "q=head")

    page = client.get(URL, {"q": "head"})

    assert 'aria-current="true">Heads</a>' in page.text
