"""The funnel page, moving from it, the deal card and form, seen by each role."""

import datetime
from decimal import Decimal

from django.urls import reverse

from klientela.customers.tests.factories import OrganizationFactory
from klientela.sales import services
from klientela.sales.models import Deal


def make_deals(manager, count: int, stages):
    organization = OrganizationFactory(responsible=manager)
    for number in range(count):
        services.create_deal(
            actor=manager,
            title=f"Deal {number}",
            organization=organization,
            stage=list(stages.values())[number % 4],
            amount=Decimal(100 + number),
            expected_close=datetime.date(2027, 1, 1),
        )


def test_the_funnel_makes_the_same_queries_for_few_and_many_deals(
    client, company, stages, django_assert_max_num_queries
):
    manager = company["n_manager1"]
    client.force_login(manager)
    make_deals(manager, 4, stages)  # one deal in each of the first four stages
    # The totals, then one query per column with deals: bounded by the stages, not the deals
    # (and the filter bar's owners and custom field definitions).
    with django_assert_max_num_queries(18) as few:
        client.get(reverse("sales:kanban_default"))
    make_deals(manager, 90, stages)

    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("sales:kanban_default"))

    # Each open column holds 23-24 deals: it shows its first 20 and loads the rest when scrolled to.
    assert response.status_code == 200
    assert response.text.count("data-deal=") == 4 * 20
    assert response.text.count('class="board-more"') == 4


def test_a_move_refused_by_a_stage_rule_says_why_and_changes_nothing(client, deal, stages, company):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("sales:deal_move", args=[deal.pk]),
        {"stage": stages["Negotiation"].pk, "board": "1"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "fill in: amount, expected close date" in response["HX-Trigger"]
    assert Deal.objects.get(pk=deal.pk).stage == stages["New"]


def test_a_move_to_lost_asks_why_then_closes_the_deal(client, deal, stages, company):
    client.force_login(company["n_manager1"])
    url = reverse("sales:deal_move", args=[deal.pk])

    asked = client.post(url, {"stage": stages["Lost"].pk, "board": "1"})
    assert "data-show-modal" in asked.text
    assert Deal.objects.get(pk=deal.pk).stage == stages["New"]

    reason = asked.context["lost_form"].fields["lost_reason"].queryset.get(key="price")
    client.post(url, {"stage": stages["Lost"].pk, "board": "1", "lost_reason": reason.pk})

    assert Deal.objects.get(pk=deal.pk).lost_reason == reason


def test_a_colleague_cannot_open_or_move_a_managers_deal(client, deal, stages, company):
    client.force_login(company["n_manager2"])

    assert client.get(reverse("sales:deal_detail", args=[deal.pk])).status_code == 404
    moved = client.post(reverse("sales:deal_move", args=[deal.pk]), {"stage": stages["Won"].pk})
    assert moved.status_code == 404
    assert "Acme licences" not in client.get(reverse("sales:kanban_default")).text
    assert "Acme licences" not in client.get(reverse("sales:deal_list")).text
    assert Deal.objects.get(pk=deal.pk).stage == stages["New"]


def test_the_head_sees_the_teams_deal_on_the_funnel_and_its_card(client, deal, company):
    client.force_login(company["n_head"])

    assert "Acme licences" in client.get(reverse("sales:kanban_default")).text
    card = client.get(reverse("sales:deal_detail", args=[deal.pk]))
    assert card.status_code == 200 and "Acme" in card.text


def test_a_manager_creates_a_deal_through_the_form(client, company, stages, client_org):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Support",
            "stage": stages["Proposal"].pk,
            "organization": client_org.pk,
            "amount": "500",
            "currency": "EUR",
            "responsible": company["n_manager1"].pk,
        },
    )

    deal = Deal.objects.get(title="Support")
    assert response.status_code == 302 and response["Location"] == deal.get_absolute_url()
    assert deal.stage == stages["Proposal"] and deal.organization == client_org


def test_the_form_shows_a_stage_rule_as_an_error(client, company, stages):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Support",
            "stage": stages["Proposal"].pk,
            "currency": "EUR",
            "responsible": company["n_manager1"].pk,
        },
    )

    assert response.status_code == 200 and "fill in: amount" in response.text
    assert not Deal.objects.filter(title="Support").exists()


def test_deals_show_on_the_organizations_timeline(client, deal, company, client_org):
    client.force_login(company["n_manager1"])

    card = client.get(client_org.get_absolute_url())

    assert "Acme licences" in card.text


def test_a_column_loads_its_next_cards_and_only_visible_ones(client, company, stages):
    manager = company["n_manager1"]
    make_deals(manager, 100, stages)
    make_deals(company["n_manager2"], 8, stages)
    client.force_login(manager)
    new = stages["New"]

    more = client.get(reverse("sales:stage_more", args=[new.pk]), {"offset": 20})

    # 25 of the manager's deals are New: 5 after the first 20, none of the colleague's
    assert more.status_code == 200
    assert more.text.count("data-deal=") == 5
    assert "board-more" not in more.text
