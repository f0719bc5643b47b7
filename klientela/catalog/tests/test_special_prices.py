"""Special prices on the catalog pages and through the API: administrators only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from klientela.catalog import services
from klientela.catalog.models import SpecialPrice
from klientela.core.audit import history_for
from klientela.core.models import ReferenceItem
from klientela.customers.services import sync_reference_lists
from klientela.customers.tests.factories import OrganizationFactory
from tests.apiclient import ApiClient, assert_documented


@pytest.fixture
def setup(company):
    sync_reference_lists()
    product = services.save_product(actor=None, name="CRM licence", sku="CRM-1", unit="seat")
    return {
        "product": product,
        "acme": OrganizationFactory(legal_name="Acme", responsible=company["n_manager1"]),
        "group": ReferenceItem.objects.filter(reference_list__key="client_groups").first(),
    }


def test_an_administrator_adds_edits_and_deletes_a_special_price(client, company, setup):
    client.force_login(company["admin"])
    product, acme = setup["product"], setup["acme"]

    form = client.get(reverse("catalog:special_price_create"))
    created = client.post(
        reverse("catalog:special_price_create"),
        {"product": product.pk, "organization": acme.pk, "currency": "eur", "price": "80"},
    )

    assert form.status_code == 200 and "CRM licence" in form.text
    assert created.status_code == 302
    special = SpecialPrice.objects.get()
    assert (special.organization, special.currency, special.price) == (acme, "EUR", Decimal(80))
    listed = client.get(reverse("catalog:special_prices"))
    assert "CRM licence" in listed.text and "Acme" in listed.text and "€80.00" in listed.text
    resolved = services.resolve_price(product, currency="EUR", organization=acme)
    assert (resolved.price, resolved.source) == (Decimal(80), "client")

    edit = client.get(reverse("catalog:special_price_edit", args=[special.pk]))
    assert "Acme" in edit.text
    moved = client.post(
        reverse("catalog:special_price_edit", args=[special.pk]),
        {"product": product.pk, "client_group": setup["group"].pk, "currency": "EUR", "price": 70},
    )
    assert moved.status_code == 302
    special.refresh_from_db()
    assert (special.organization, special.client_group, special.price) == (
        None,
        setup["group"],
        Decimal(70),
    )
    assert [entry.kind for entry in history_for(special)] == ["update", "create"]

    assert client.get(reverse("catalog:special_price_delete", args=[special.pk])).status_code == 200
    deleted = client.post(reverse("catalog:special_price_delete", args=[special.pk]))
    assert deleted.status_code == 302 and not SpecialPrice.objects.exists()


def test_a_price_is_for_a_client_or_a_group_not_both_nor_none(client, company, setup):
    client.force_login(company["admin"])
    product = setup["product"]
    services.set_special_price(
        actor=None, product=product, currency="EUR", price=Decimal(1), organization=setup["acme"]
    )
    base = {"product": product.pk, "currency": "EUR", "price": "5"}

    neither = client.post(reverse("catalog:special_price_create"), base)
    both = client.post(
        reverse("catalog:special_price_create"),
        {**base, "organization": setup["acme"].pk, "client_group": setup["group"].pk},
    )
    twice = client.post(
        reverse("catalog:special_price_create"), {**base, "organization": setup["acme"].pk}
    )

    for response in (neither, both):
        assert response.status_code == 200
        assert "one client or one client group" in response.text
    assert "already has a special price" in twice.text
    assert SpecialPrice.objects.count() == 1


@pytest.mark.parametrize("who", ["n_head", "n_manager1", "nobody"])
def test_only_administrators_reach_the_special_price_pages(client, company, setup, who):
    special = services.set_special_price(
        actor=None,
        product=setup["product"],
        currency="EUR",
        price=Decimal(9),
        organization=setup["acme"],
    )
    client.force_login(company[who])
    urls = [
        reverse("catalog:special_prices"),
        reverse("catalog:special_price_create"),
        reverse("catalog:special_price_edit", args=[special.pk]),
        reverse("catalog:special_price_delete", args=[special.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [403] * 4
    change = {"product": setup["product"].pk, "organization": setup["acme"].pk, "price": "1"}
    assert [client.post(url, {**change, "currency": "EUR"}).status_code for url in urls] == [
        403
    ] * 4
    special.refresh_from_db()
    assert SpecialPrice.objects.count() == 1 and special.price == Decimal(9)


def test_special_prices_through_the_api(client, company, setup):
    admin = ApiClient(client, company["admin"])
    product, acme = setup["product"], setup["acme"]

    created = admin.post(
        "/special-prices",
        {"product_id": product.pk, "currency": "EUR", "price": "80", "organization_id": acme.pk},
    )
    assert created.status_code == 201
    listed = admin.get("/special-prices", product_id=product.pk)
    assert_documented(listed, "/special-prices")
    item = listed.json()["items"][0]
    assert (item["organization_id"], item["price"], item["client_group"]) == (
        acme.pk,
        "80.00",
        None,
    )
    changed = admin.put(
        f"/special-prices/{item['id']}",
        {
            "product_id": product.pk,
            "currency": "PLN",
            "price": "300",
            "client_group": setup["group"].key,
        },
    )
    assert changed.status_code == 200, changed.json()
    assert_documented(changed, "/special-prices/{special_id}", "put")
    assert changed.json()["client_group"] == setup["group"].key
    assert admin.delete(f"/special-prices/{item['id']}").status_code == 204
    assert not SpecialPrice.objects.exists()


def test_only_administrators_use_the_special_price_api(client, company, setup):
    special = services.set_special_price(
        actor=None,
        product=setup["product"],
        currency="EUR",
        price=Decimal(9),
        organization=setup["acme"],
    )
    manager = ApiClient(client, company["n_manager1"])
    body = {
        "product_id": setup["product"].pk,
        "currency": "EUR",
        "price": "1",
        "organization_id": setup["acme"].pk,
    }

    answers = [
        manager.get("/special-prices"),
        manager.post("/special-prices", body),
        manager.put(f"/special-prices/{special.pk}", body),
        manager.delete(f"/special-prices/{special.pk}"),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    special.refresh_from_db()
    assert SpecialPrice.objects.count() == 1 and special.price == Decimal(9)
