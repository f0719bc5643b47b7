"""The list component on a widget list: sorting, search, pages, columns, bulk actions, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klientela.core.models import ListPreference
from tests.accessapp.models import Widget

pytestmark = pytest.mark.urls("klientela.core.tests.list_urls")

URL = "/component/widgets/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def widgets(company):
    return {
        name: Widget.objects.create(name=f"{name}'s widget", responsible=user)
        for name, user in company.items()
    }


@pytest.fixture
def admin_client(client, company):
    client.force_login(company["admin"])
    return client


def names(response) -> list[str]:
    return [
        name.replace("&#x27;", "'")
        for name in re.findall(r'data-label="Name">([^<]+)<', response.text)
    ]


def header_labels(response) -> list[str]:
    return re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([^<]+?)\s*<', response.text)


def add_widgets(owner, count: int) -> None:
    Widget.objects.bulk_create(
        Widget(name=f"extra {number:02}", responsible=owner) for number in range(count)
    )


# --- What the list shows ------------------------------------------------------------------------


def test_the_list_shows_only_the_rows_of_the_scoped_queryset(client, company, widgets):
    # A manager may edit only their own widgets: the view gives the list just those.
    client.force_login(company["n_manager1"])

    assert names(client.get(URL)) == ["n_manager1's widget"]


def test_sorting_by_a_column_both_ways(admin_client, widgets):
    ascending = names(admin_client.get(URL, {"sort": "name"}))
    descending = names(admin_client.get(URL, {"sort": "-name"}))

    assert ascending == sorted(widget.name for widget in widgets.values())
    assert descending == list(reversed(ascending))


def test_the_sorted_header_says_so_and_links_to_the_other_direction(admin_client, widgets):
    response = admin_client.get(URL, {"sort": "name"})

    assert 'aria-sort="ascending"' in response.text
    assert 'href="?sort=-name"' in response.text


def test_an_unknown_sort_falls_back_to_the_default(admin_client, widgets):
    response = admin_client.get(URL, {"sort": "responsible__password"})

    assert names(response) == sorted(widget.name for widget in widgets.values())


def test_the_quick_search_narrows_the_list(admin_client, widgets):
    assert names(admin_client.get(URL, {"q": "head"})) == ["n_head's widget", "s_head's widget"]


def test_searching_everything_away_shows_the_filtered_empty_state(admin_client, widgets):
    response = admin_client.get(URL, {"q": "no such thing"}, headers=HTMX)

    assert "Nothing matches these filters" in response.text
    assert "Clear filters" in response.text


def test_an_empty_list_shows_its_empty_state(admin_client, company):
    response = admin_client.get(URL)

    assert "Nothing here yet" in response.text
    assert "<table" not in response.text


def test_pages_show_the_total_and_respect_the_page_size(admin_client, company, widgets):
    add_widgets(company["admin"], 30)  # 38 widgets in all

    first = admin_client.get(URL)
    second = admin_client.get(URL, {"page": 2})
    past_the_end = admin_client.get(URL, {"page": 99})
    bigger = admin_client.get(URL, {"page_size": 50})

    assert "1\u201325 of 38" in first.text
    assert len(names(first)) == 25
    assert "26\u201338 of 38" in second.text
    assert len(names(bigger)) == 38
    assert "26\u201338 of 38" in past_the_end.text


def test_the_chosen_page_size_is_remembered(admin_client, company, widgets):
    add_widgets(company["admin"], 30)
    admin_client.get(URL, {"page_size": 50})

    later = admin_client.get(URL)

    assert len(names(later)) == 38
    assert ListPreference.objects.get(list_key="tests.widgets").page_size == 50


def test_a_page_size_not_offered_is_ignored(admin_client, company, widgets):
    add_widgets(company["admin"], 30)

    assert len(names(admin_client.get(URL, {"page_size": 1000}))) == 25


def test_htmx_requests_get_only_the_results(admin_client, widgets):
    full = admin_client.get(URL)
    partial = admin_client.get(URL, {"sort": "-name"}, headers=HTMX)

    assert "<html" in full.text
    assert "<html" not in partial.text
    assert 'id="results-tests-widgets"' in partial.text
    assert 'id="filters-tests-widgets"' not in partial.text


def test_a_history_restore_gets_the_full_page(admin_client, widgets):
    response = admin_client.get(URL, headers={**HTMX, "HX-History-Restore-Request": "true"})

    assert "<html" in response.text


# --- Columns ------------------------------------------------------------------------------------


def save_columns(client, columns, **extra):
    return client.post(
        reverse("core:list_columns"),
        {"list_key": "tests.widgets", "columns": columns, "next": URL, **extra},
    )


def test_a_user_chooses_and_orders_columns(admin_client, company, widgets):
    response = save_columns(admin_client, ["owner", "name"])

    assert response.status_code == 302
    assert response["Location"] == URL
    assert header_labels(admin_client.get(URL)) == ["Owner", "Name"]
    assert ListPreference.objects.get(user=company["admin"]).columns == ["owner", "name"]


def test_columns_are_per_user(admin_client, client, company, widgets):
    save_columns(admin_client, ["owner"])
    client.force_login(company["s_head"])

    assert header_labels(client.get(URL)) == ["Name", "Owner"]


def test_unknown_columns_are_rejected(admin_client, company):
    save_columns(admin_client, ["name"])

    response = save_columns(admin_client, ["name", "secret"])

    assert response.status_code == 400
    assert ListPreference.objects.get(user=company["admin"]).columns == ["name"]


def test_a_column_twice_is_rejected(admin_client, company):
    response = save_columns(admin_client, ["name", "name"])

    assert response.status_code == 400
    assert not ListPreference.objects.exists()


def test_an_empty_choice_keeps_the_columns(admin_client, company):
    save_columns(admin_client, ["owner"])

    response = save_columns(admin_client, [])

    assert response.status_code == 302
    assert ListPreference.objects.get(user=company["admin"]).columns == ["owner"]


def test_reset_brings_back_the_default_columns(admin_client, company, widgets):
    save_columns(admin_client, ["owner"])

    save_columns(admin_client, [], reset="1")

    assert header_labels(admin_client.get(URL)) == ["Name", "Owner"]


def test_columns_of_an_unknown_list_are_refused(admin_client, company):
    response = admin_client.post(
        reverse("core:list_columns"), {"list_key": "nothing", "columns": ["name"]}
    )

    assert response.status_code == 400
    assert not ListPreference.objects.exists()


def test_the_next_address_must_be_on_this_site(admin_client, company):
    response = save_columns(admin_client, ["name"], next="https://evil.example/")

    assert response["Location"] == "/"


def test_saving_columns_needs_a_signed_in_post(client, company):
    assert client.post(reverse("core:list_columns")).status_code == 302
    client.force_login(company["admin"])
    assert client.get(reverse("core:list_columns")).status_code == 405


# --- Bulk actions within the scoped queryset ----------------------------------------------------


def marked() -> set:
    return set(Widget.objects.filter(name__endswith="(marked)"))


def test_a_bulk_action_ignores_ids_outside_the_scoped_list(client, company, widgets):
    client.force_login(company["n_manager1"])
    own, colleague, stranger = widgets["n_manager1"], widgets["n_manager2"], widgets["s_head"]

    response = client.post(
        URL,
        {"action": "mark", "selected": [own.pk, colleague.pk, stranger.pk, "not-a-number"]},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "1 marked" in response["HX-Trigger"]
    assert marked() == {own}


def test_a_bulk_action_touches_only_the_selected_rows(admin_client, widgets):
    chosen = {widgets["n_head"], widgets["s_manager1"]}

    admin_client.post(
        URL, {"action": "mark", "selected": [widget.pk for widget in chosen]}, headers=HTMX
    )

    assert marked() == chosen


def test_a_bulk_action_without_a_selection_warns_and_changes_nothing(client, company, widgets):
    client.force_login(company["n_manager1"])

    response = client.post(URL, {"action": "mark"}, headers=HTMX)

    assert "Select at least one row first." in response["HX-Trigger"]
    assert marked() == set()


def test_an_unknown_bulk_action_is_an_error_toast(admin_client, widgets):
    response = admin_client.post(
        URL, {"action": "explode", "selected": [widgets["nobody"].pk]}, headers=HTMX
    )

    assert '"level": "error"' in response["HX-Trigger"]
    assert marked() == set()


def test_a_bulk_action_without_htmx_redirects_back_with_a_message(client, company, widgets):
    client.force_login(company["n_manager1"])

    response = client.post(
        f"{URL}?sort=-name", {"action": "mark", "selected": [widgets["n_manager1"].pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?sort=-name"
    assert "1 marked" in client.get(response["Location"]).text


# --- Query count --------------------------------------------------------------------------------


def test_the_list_runs_the_same_queries_for_3_and_30_rows(
    admin_client, company, django_assert_num_queries
):
    add_widgets(company["admin"], 3)
    admin_client.get(URL, {"page_size": 50})  # the page size preference is saved once
    with CaptureQueriesContext(connection) as few:
        admin_client.get(URL, {"page_size": 50})

    add_widgets(company["s_head"], 27)

    with django_assert_num_queries(len(few)):
        response = admin_client.get(URL, {"page_size": 50})
    assert len(names(response)) == 30
