"""The catalog and deal lines through the API."""

from decimal import Decimal

from klientela.catalog.models import PriceList
from klientela.customers.services import sync_reference_lists
from klientela.sales import services as sales
from klientela.sales.models import Pipeline
from tests.apiclient import ApiClient, assert_documented


def test_an_administrator_builds_the_catalog_and_a_manager_prices_a_deal(client, company):
    sync_reference_lists()
    sales.ensure_sales_defaults()
    retail = PriceList.objects.create(name="Retail", currency="EUR", is_default=True)
    admin = ApiClient(client, company["admin"])

    created = admin.post(
        "/products", {"name": "Licence", "sku": "L-1", "category": "Software", "tax_rate": "20"}
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/products", "post")
    product_id = created.json()["id"]
    priced = admin.put(f"/price-lists/{retail.pk}/prices/{product_id}", {"price": "100"})
    assert priced.status_code == 200

    manager = ApiClient(client, company["n_manager1"])
    assert manager.post("/products", {"name": "Mine", "sku": "M"}).status_code == 403
    deal = sales.create_deal(actor=company["n_manager1"], title="Licences")
    added = manager.post(f"/deals/{deal.pk}/lines", {"product_id": product_id, "quantity": "3"})

    assert added.status_code == 201, added.json()
    assert Decimal(added.json()["total"]) == Decimal("360.00")
    price = manager.get(f"/products/{product_id}/price", currency="EUR")
    assert price.json() == {"price": "100.00", "source": "price_list"}
    assert Pipeline.objects.exists()
