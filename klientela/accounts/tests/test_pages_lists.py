"""The users list on the settings pages: its filters, sorting and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klientela.accounts import services
from klientela.accounts.models import Team, User

HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin_client(client, company):
    client.force_login(company["admin"])
    return client


def usernames(response) -> list[str]:
    return re.findall(r'data-label="User name">([^<]+)<', response.text)


def users_page(client, **params):
    return client.get(reverse("accounts:users"), params)


def test_users_sort_by_user_name_both_ways(admin_client, company):
    ascending = usernames(users_page(admin_client, sort="username"))
    descending = usernames(users_page(admin_client, sort="-username"))

    assert ascending == sorted(company)
    assert descending == list(reversed(ascending))


def test_users_filter_by_team_text_and_missing_team(admin_client, company):
    north = Team.objects.get(name="North")

    assert set(usernames(users_page(admin_client, team=north.pk))) == {
        "n_head",
        "n_manager1",
        "n_manager2",
    }
    assert set(usernames(users_page(admin_client, q="head"))) == {"n_head", "s_head"}
    assert set(usernames(users_page(admin_client, team="null"))) == {"admin", "nobody"}


def test_users_filter_by_role_and_status(admin_client, company, roles):
    services.update_user(actor=company["admin"], user=company["s_manager2"], is_active=False)

    assert set(usernames(users_page(admin_client, role=roles["head"].pk))) == {"n_head", "s_head"}
    assert usernames(users_page(admin_client, is_active="false")) == ["s_manager2"]


def test_the_filter_bar_is_left_out_of_htmx_answers(admin_client, company):
    partial = admin_client.get(reverse("accounts:users"), {"q": "north"}, headers=HTMX)

    assert "<html" not in partial.text
    assert 'name="q"' not in partial.text


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert users_page(client, page_size=50).status_code == 200
    return len(queries)


def test_the_users_list_runs_the_same_queries_for_3_and_30_users(
    admin_client, company, django_assert_num_queries
):
    User.objects.exclude(username__in=["admin", "n_head", "s_head"]).delete()
    count_queries(admin_client)  # the page size preference is saved on the first visit
    few = count_queries(admin_client)

    team = Team.objects.get(name="North")
    for number in range(27):
        services.create_user(actor=company["admin"], username=f"extra{number:02}", team=team)

    assert User.objects.count() == 30
    with django_assert_num_queries(few):
        response = users_page(admin_client, page_size=50)
    assert len(usernames(response)) == 30
