"""Deal lines take the client's price; totals with line and deal discounts and taxes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.catalog import services as catalog
from klientela.catalog.models import PriceList
from klientela.sales import services
from klientela.sales.models import Deal


@pytest.fixture
def products(db):
    retail = PriceList.objects.create(name="Retail", currency="EUR", is_default=True)
    licence = catalog.save_product(actor=None, name="Licence", sku="L", tax_rate=Decimal(20))
    training = catalog.save_product(actor=None, name="Training", sku="T", tax_rate=Decimal(0))
    catalog.set_price(actor=None, price_list=retail, product=licence, price=Decimal("100.00"))
    catalog.set_price(actor=None, price_list=retail, product=training, price=Decimal("250.00"))
    return {"licence": licence, "training": training}


def test_totals_against_a_hand_count(deal, products, company):
    manager = company["n_manager1"]
    catalog.set_special_price(
        actor=None,
        product=products["licence"],
        currency="EUR",
        price=Decimal("90.00"),
        organization=deal.organization,
    )

    services.add_line(
        actor=manager,
        deal=deal,
        product=products["licence"],
        quantity=Decimal(10),
        discount_percent=Decimal(5),
    )
    services.add_line(actor=manager, deal=deal, product=products["training"])
    services.set_deal_discount(actor=manager, deal=deal, discount_percent=Decimal(10))

    # licence: 10 x 90 (the client's price) = 900, -5% = 855.00; training: 250.00
    # subtotal 1105.00; deal discount 10% = 110.50; tax 20% on 855 x 0.9 = 153.90
    totals = services.deal_totals(Deal.objects.get(pk=deal.pk))
    assert totals.subtotal == Decimal("1105.00")
    assert totals.discount == Decimal("110.50")
    assert totals.tax == Decimal("153.90")
    assert totals.total == Decimal("1148.40")
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("1148.40")


def test_removing_the_last_line_keeps_the_amount_typed_before(deal, products, company):
    manager = company["n_manager1"]
    line = services.add_line(actor=manager, deal=deal, product=products["training"])
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("250.00")

    services.remove_line(actor=manager, line=line)

    assert not Deal.objects.get(pk=deal.pk).lines.exists()


def test_a_product_without_a_price_in_the_deals_currency_asks_for_one(deal, products, company):
    deal.currency = "PLN"
    deal.save()

    with pytest.raises(ValidationError):
        services.add_line(actor=company["n_manager1"], deal=deal, product=products["licence"])
    line = services.add_line(
        actor=company["n_manager1"],
        deal=deal,
        product=products["licence"],
        unit_price=Decimal("400"),
    )
    assert line.unit_price == Decimal("400")


def test_a_colleague_cannot_add_lines(deal, products, company):
    with pytest.raises(PermissionDenied):
        services.add_line(actor=company["n_manager2"], deal=deal, product=products["licence"])
    assert not deal.lines.exists()


def test_a_manager_adds_a_product_on_the_deal_card_and_sees_the_total(
    client, deal, products, company
):
    from django.urls import reverse

    client.force_login(company["n_manager1"])
    url = reverse("sales:deal_line_add", args=[deal.pk])

    answer = client.post(
        url, {"product": products["licence"].pk, "quantity": "2"}, headers={"HX-Request": "true"}
    )

    assert answer.status_code == 200 and 'data-testid="deal-totals"' in answer.text
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("240.00")  # 2 x 100 + 20% tax
    card = client.get(reverse("sales:deal_detail", args=[deal.pk]))
    assert "Licence" in card.text
    refused = client.post(url, {"product": products["licence"].pk, "quantity": "0"})
    assert refused.status_code == 302 and deal.lines.count() == 1


def test_a_colleague_cannot_add_or_remove_lines_through_the_pages(client, deal, products, company):
    from django.urls import reverse

    line = services.add_line(actor=company["n_manager1"], deal=deal, product=products["training"])
    client.force_login(company["n_manager2"])

    added = client.post(
        reverse("sales:deal_line_add", args=[deal.pk]), {"product": products["licence"].pk}
    )
    removed = client.post(reverse("sales:deal_line_remove", args=[line.pk]))

    assert (added.status_code, removed.status_code) == (404, 404)
    assert list(deal.lines.all()) == [line]
