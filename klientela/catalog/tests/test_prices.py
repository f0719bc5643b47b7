"""Which price a client pays: their own, else their group's, else the price list's."""

from decimal import Decimal

import pytest

from klientela.catalog import services
from klientela.catalog.models import PriceList, Product
from klientela.core.models import ReferenceItem
from klientela.customers.services import sync_reference_lists
from klientela.customers.tests.factories import OrganizationFactory


@pytest.fixture
def catalog(db):
    sync_reference_lists()
    product = services.save_product(
        actor=None, name="CRM licence", sku="CRM-1", unit="seat", tax_rate=Decimal(20)
    )
    retail = PriceList.objects.create(name="Retail", currency="EUR", is_default=True)
    partner = PriceList.objects.create(name="Partners", currency="EUR")
    services.set_price(actor=None, price_list=retail, product=product, price=Decimal("100"))
    services.set_price(actor=None, price_list=partner, product=product, price=Decimal("70"))
    return product


def test_the_client_price_beats_the_group_price_which_beats_the_price_list(catalog):
    group = ReferenceItem.objects.filter(reference_list__key="client_groups").first()
    vip = OrganizationFactory(legal_name="VIP", client_group=group)
    member = OrganizationFactory(legal_name="Member", client_group=group)
    stranger = OrganizationFactory(legal_name="Stranger")
    services.set_special_price(
        actor=None, product=catalog, currency="EUR", price=Decimal("80"), client_group=group
    )
    services.set_special_price(
        actor=None, product=catalog, currency="EUR", price=Decimal("75"), organization=vip
    )

    def price(organization):
        resolved = services.resolve_price(catalog, currency="EUR", organization=organization)
        return resolved.price, resolved.source

    assert price(vip) == (Decimal("75"), "client")
    assert price(member) == (Decimal("80"), "group")
    assert price(stranger) == (Decimal("100"), "price_list")  # the default list, not Partners
    assert services.resolve_price(catalog, currency="PLN") is None


def test_a_special_price_is_for_a_client_or_a_group_not_both(catalog):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_special_price(actor=None, product=catalog, currency="EUR", price=Decimal(1))


def test_only_administrators_keep_the_catalog(catalog, company):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_product(actor=company["n_head"], product=catalog, name="Cheap")
    assert Product.objects.get(pk=catalog.pk).name == "CRM licence"
