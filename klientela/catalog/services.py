"""Catalog rules: which price a client pays for a product, and keeping products and prices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klientela.core.audit import record_create, record_update, snapshot

from .models import Price, PriceList, Product, SpecialPrice

# Where a resolved price came from, most specific first.
SOURCE_LABELS = {
    "client": gettext_lazy("client's price"),
    "group": gettext_lazy("client group's price"),
    "price_list": gettext_lazy("price list"),
}


@dataclass(frozen=True)
class ResolvedPrice:
    price: Decimal
    source: str  # a key of SOURCE_LABELS


def resolve_price(product: Product, *, currency: str, organization=None) -> ResolvedPrice | None:
    """The client's own price, else their group's, else the default price list's of the currency."""
    specials = SpecialPrice.objects.filter(product=product, currency=currency)
    if organization is not None:
        own = specials.filter(organization=organization).first()
        if own is not None:
            return ResolvedPrice(own.price, "client")
        if organization.client_group_id is not None:
            group = specials.filter(client_group_id=organization.client_group_id).first()
            if group is not None:
                return ResolvedPrice(group.price, "group")
    listed = (
        Price.objects.filter(
            product=product,
            price_list__currency=currency,
            price_list__is_active=True,
        )
        .order_by("-price_list__is_default", "price_list__name")
        .first()
    )
    return ResolvedPrice(listed.price, "price_list") if listed is not None else None


def _require_admin(actor) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only an administrator can do this."))


@transaction.atomic
def save_product(*, actor, product: Product | None = None, **fields) -> Product:
    _require_admin(actor)
    sku = (fields.get("sku") or getattr(product, "sku", "")).strip()
    if Product.objects.filter(sku__iexact=sku).exclude(pk=getattr(product, "pk", None)).exists():
        raise ValidationError({"sku": _("A product with this SKU already exists.")})
    created = product is None
    before = {} if created else snapshot(product)
    product = product or Product()
    for name, value in fields.items():
        setattr(product, name, value)
    product.sku = sku
    product.full_clean()
    product.save()
    if created:
        record_create(product, actor=actor)
    else:
        record_update(product, before, actor=actor)
    return product


@transaction.atomic
def set_price(*, actor, price_list: PriceList, product: Product, price: Decimal) -> Price:
    _require_admin(actor)
    if price < 0:
        raise ValidationError({"price": _("A price cannot be negative.")})
    row, _created = Price.objects.update_or_create(
        price_list=price_list, product=product, defaults={"price": price}
    )
    return row


@transaction.atomic
def set_special_price(
    *, actor, product: Product, currency: str, price: Decimal, organization=None, client_group=None
) -> SpecialPrice:
    _require_admin(actor)
    if (organization is None) == (client_group is None):
        raise ValidationError(_("A special price is for one client or one client group."))
    row, _created = SpecialPrice.objects.update_or_create(
        product=product,
        currency=currency.upper(),
        organization=organization,
        client_group=client_group,
        defaults={"price": price},
    )
    return row
