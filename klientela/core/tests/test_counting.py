"""Counting list rows: exact up to a limit, the planner's estimate past it (PostgreSQL only)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klientela.core import counting
from klientela.core.counting import CountingPaginator, count_rows
from tests.accessapp.models import Widget

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def widgets(db):
    Widget.objects.bulk_create(Widget(name=f"Widget {number}") for number in range(12))
    return Widget.objects.order_by("name")


def test_few_rows_are_counted_exactly(widgets):
    # when the rows are within the exact limit
    counted = count_rows(widgets, exact_up_to=12)

    # then the count is exact
    assert (counted.value, counted.is_exact) == (12, True)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite counts are always exact")
def test_many_rows_are_estimated_never_below_what_was_counted(widgets):
    # when there are more rows than the exact limit
    with CaptureQueriesContext(connection) as queries:
        counted = count_rows(widgets, exact_up_to=5)

    # then the count is an estimate, at least the rows counted, from a bounded count and a plan
    assert not counted.is_exact
    assert counted.value >= 6
    assert "LIMIT 6" in queries[0]["sql"]
    assert queries[1]["sql"].startswith("EXPLAIN")


@pytest.mark.skipif(ON_POSTGRESQL, reason="PostgreSQL estimates past the limit")
def test_sqlite_counts_exactly_whatever_the_size(widgets):
    assert count_rows(widgets, exact_up_to=5) == counting.RowCount(12, True)


def test_a_sequence_is_counted_by_its_length():
    assert count_rows([1, 2, 3], exact_up_to=1) == counting.RowCount(3, True)


def test_the_paginator_says_whether_its_count_is_exact(widgets, monkeypatch):
    # given a limit below the number of rows
    monkeypatch.setattr(counting, "EXACT_UP_TO", 5)

    # when the rows are paginated
    paginator = CountingPaginator(widgets, 4)

    # then the pages follow the count, exact on SQLite only
    assert paginator.count_is_exact is not ON_POSTGRESQL
    assert paginator.count >= 6
    assert [widget.name for widget in paginator.page(1)] == [widget.name for widget in widgets[:4]]


@pytest.mark.urls("klientela.core.tests.list_urls")
def test_a_list_page_says_when_its_total_is_an_estimate(client, company, monkeypatch):
    # given 12 widgets and an exact limit of 5
    Widget.objects.bulk_create(
        Widget(name=f"Widget {number}", responsible=company["admin"]) for number in range(12)
    )
    monkeypatch.setattr(counting, "EXACT_UP_TO", 5)
    client.force_login(company["admin"])

    # when the list is shown
    response = client.get("/component/widgets/")

    # then the total is called an estimate on PostgreSQL, and exact on SQLite
    assert ("of about" in response.text) is ON_POSTGRESQL
    if not ON_POSTGRESQL:
        assert "1\u201312 of 12" in response.text


def test_api_lists_say_whether_the_count_is_exact(client, company, monkeypatch):
    # given more reference lists than the exact limit
    monkeypatch.setattr(counting, "EXACT_UP_TO", 1)
    client.force_login(company["admin"])

    # when a page of them is asked for
    page = client.get("/api/v1/reference-lists", {"limit": 1}).json()

    # then the count says whether it is exact
    assert page["count_is_exact"] is not ON_POSTGRESQL
    assert page["count"] >= 2
    assert len(page["items"]) == 1
