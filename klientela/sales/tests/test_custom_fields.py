"""Deal custom fields on the deal form and card, in the deal list (columns and filters), on the
funnel's filters and in the API's deal filters: the customer base's framework, for deals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from klientela.core.customfields.services import create_field_definition
from klientela.core.models import ReferenceList
from klientela.sales import services
from klientela.sales.models import Deal
from tests.apiclient import ApiClient


@pytest.fixture
def fields(db):
    kinds = ReferenceList.objects.create(key="deal_kinds", name="Deal kinds")
    for order, key in enumerate(("new", "renewal")):
        kinds.items.create(key=key, label=key.title(), order=order)
    return {
        "kind": create_field_definition(
            actor=None,
            entity="deal",
            key="kind",
            label="Deal kind",
            type="choice",
            reference_list=kinds,
            section="Contract",
        ),
        "seats": create_field_definition(
            actor=None, entity="deal", key="seats", label="Seats", type="number"
        ),
        "po": create_field_definition(
            actor=None, entity="deal", key="po", label="Purchase order", type="text", required=True
        ),
    }


@pytest.fixture
def deals(company, stages, fields):
    manager = company["n_manager1"]
    made = {}
    for title, custom in (
        ("Renewal 40", {"kind": "renewal", "seats": 40, "po": "PO-1"}),
        ("New 5", {"kind": "new", "seats": 5, "po": "PO-2"}),
        ("New 120", {"kind": "new", "seats": 120, "po": "PO-3"}),
    ):
        made[title] = services.create_deal(
            actor=manager, title=title, amount=Decimal(10), custom=custom
        )
    return made


def test_the_deal_form_takes_custom_fields_and_the_card_shows_them(client, company, stages, fields):
    client.force_login(company["n_manager1"])
    form = client.get(reverse("sales:deal_create"))
    assert 'name="custom.kind"' in form.text and "Purchase order" in form.text

    refused = client.post(
        reverse("sales:deal_create"),
        {"title": "Licences", "stage": stages["New"].pk, "currency": "EUR", "custom.seats": "x"},
    )
    assert refused.status_code == 200 and not Deal.objects.exists()
    created = client.post(
        reverse("sales:deal_create"),
        {
            "title": "Licences",
            "stage": stages["New"].pk,
            "currency": "EUR",
            "custom.kind": "renewal",
            "custom.seats": "25",
            "custom.po": "PO-77",
        },
    )

    assert created.status_code == 302
    deal = Deal.objects.get()
    assert deal.custom == {"kind": "renewal", "seats": 25, "po": "PO-77"}
    card = client.get(deal.get_absolute_url())
    assert 'data-testid="deal-custom"' in card.text
    assert "Contract" in card.text and "Renewal" in card.text and "PO-77" in card.text
    edit = client.get(reverse("sales:deal_edit", args=[deal.pk]))
    assert 'value="PO-77"' in edit.text
    changed = client.post(
        reverse("sales:deal_edit", args=[deal.pk]),
        {"title": "Licences", "currency": "EUR", "custom.kind": "new", "custom.po": "PO-78"},
    )
    assert changed.status_code == 302
    deal.refresh_from_db()
    assert deal.custom == {"kind": "new", "po": "PO-78"}


def test_a_required_custom_field_is_asked_for_on_the_form(client, company, stages, fields):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("sales:deal_create"),
        {"title": "Licences", "stage": stages["New"].pk, "currency": "EUR"},
    )

    assert response.status_code == 200 and "This field is required" in response.text
    assert not Deal.objects.exists()


def test_the_deal_list_filters_by_custom_fields_and_shows_them_as_columns(client, company, deals):
    client.force_login(company["n_manager1"])
    url = reverse("sales:deal_list")

    renewals = client.get(url, {"custom.kind": "renewal"})
    big = client.get(url, {"custom.seats__gte": "10", "status": "open"})
    shown = client.get(url, {"columns": "title,custom.seats"})

    assert "Renewal 40" in renewals.text and "New 5" not in renewals.text
    assert "New 120" in big.text and "Renewal 40" in big.text and "New 5" not in big.text
    assert 'name="custom.seats__gte"' in big.text
    assert shown.status_code == 200


def test_the_funnel_filters_by_custom_fields_and_so_do_its_next_cards(client, company, deals):
    client.force_login(company["n_manager1"])

    board = client.get(reverse("sales:kanban_default"), {"custom.kind": "new"})
    stage = deals["New 5"].stage
    more = client.get(
        reverse("sales:stage_more", args=[stage.pk]), {"offset": "0", "custom.kind": "new"}
    )

    assert "New 5" in board.text and "New 120" in board.text and "Renewal 40" not in board.text
    assert 'name="custom.kind"' in board.text
    assert "New 5" in more.text and "Renewal 40" not in more.text


def test_custom_filters_stay_within_the_deals_the_user_may_see(client, company, deals):
    client.force_login(company["n_manager2"])

    listed = client.get(reverse("sales:deal_list"), {"custom.kind": "new"})
    api = ApiClient(client, company["n_manager2"]).get("/deals", **{"custom.kind": "new"})

    assert "New 5" not in listed.text
    assert api.json()["count"] == 0


def test_the_api_filters_deals_by_custom_fields(client, company, deals):
    api = ApiClient(client, company["n_head"])

    found = api.get("/deals", **{"custom.seats__lte": "40"})
    wrong = api.get("/deals", **{"custom.seats__gte": "many"})

    assert sorted(item["title"] for item in found.json()["items"]) == ["New 5", "Renewal 40"]
    assert wrong.status_code == 422
