"""Administrators keep products and their prices in the app; nobody else may."""

from decimal import Decimal

from django.urls import reverse

from klientela.catalog.models import Price, PriceList, Product


def test_an_administrator_creates_a_product_with_its_prices(client, company):
    retail = PriceList.objects.create(name="Retail", currency="EUR", is_default=True)
    client.force_login(company["admin"])
    form = client.get(reverse("catalog:product_create"))
    assert "Retail" in form.text

    response = client.post(
        reverse("catalog:product_create"),
        {
            "name": "Licence",
            "sku": "L-1",
            "unit": "seat",
            "tax_rate": "20",
            "is_active": "on",
            "category_name": "Software",
            f"price_{retail.pk}": "99.50",
        },
    )

    assert response.status_code == 302
    product = Product.objects.get(sku="L-1")
    assert product.category.name == "Software"
    assert Price.objects.get(product=product, price_list=retail).price == Decimal("99.50")
    listed = client.get(reverse("catalog:products"))
    assert "Licence" in listed.text


def test_a_duplicate_sku_is_refused_on_the_form(client, company):
    Product.objects.create(name="Old", sku="L-1")
    client.force_login(company["admin"])

    response = client.post(
        reverse("catalog:product_create"),
        {"name": "New", "sku": "l-1", "unit": "pcs", "tax_rate": "0"},
    )

    assert response.status_code == 200 and "already exists" in response.text
    assert Product.objects.count() == 1


def test_managers_do_not_reach_the_catalog_pages(client, company):
    client.force_login(company["n_head"])

    assert client.get(reverse("catalog:products")).status_code == 403
    assert client.post(reverse("catalog:product_create"), {"name": "X"}).status_code == 403
