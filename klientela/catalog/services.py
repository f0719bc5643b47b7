"""Catalog rules: the price a client pays, products and prices, rates to the reporting currency."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klientela.core.access import require_admin
from klientela.core.audit import record_delete, record_saved, snapshot

from .models import ExchangeRate, Price, PriceList, Product, SpecialPrice

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


@transaction.atomic
def save_product(*, actor, product: Product | None = None, **fields) -> Product:
    require_admin(actor)
    sku = (fields.get("sku") or getattr(product, "sku", "")).strip()
    if Product.objects.filter(sku__iexact=sku).exclude(pk=getattr(product, "pk", None)).exists():
        raise ValidationError({"sku": _("A product with this SKU already exists.")})
    created = product is None
    before = None if created else snapshot(product)
    product = product or Product()
    for name, value in fields.items():
        setattr(product, name, value)
    product.sku = sku
    product.full_clean()
    product.save()
    record_saved(product, before, actor=actor)
    return product


@transaction.atomic
def save_price_list(*, actor, price_list: PriceList | None = None, **fields) -> PriceList:
    """Create or change a price list; one default per currency (making one the default takes it
    from the list that was)."""
    require_admin(actor)
    created = price_list is None
    before = None if created else snapshot(price_list)
    price_list = price_list or PriceList()
    for name, value in fields.items():
        setattr(price_list, name, value)
    price_list.currency = (price_list.currency or "").strip().upper()
    price_list.full_clean()
    if price_list.is_default:
        PriceList.objects.filter(currency=price_list.currency, is_default=True).exclude(
            pk=price_list.pk
        ).update(is_default=False)
    price_list.save()
    record_saved(price_list, before, actor=actor)
    return price_list


@transaction.atomic
def set_price(*, actor, price_list: PriceList, product: Product, price: Decimal) -> Price:
    require_admin(actor)
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
    """The price of a product for one client or one client group in a currency (set or changed)."""
    require_admin(actor)
    existing = SpecialPrice.objects.filter(
        product=product,
        currency=(currency or "").strip().upper(),
        organization=organization,
        client_group=client_group,
    ).first()
    return save_special_price(
        actor=actor,
        special=existing,
        product=product,
        currency=currency,
        price=price,
        organization=organization,
        client_group=client_group,
    )


@transaction.atomic
def save_special_price(
    *,
    actor,
    special: SpecialPrice | None = None,
    product: Product,
    currency: str,
    price: Decimal,
    organization=None,
    client_group=None,
) -> SpecialPrice:
    """Create a special price, or change one (its product, currency, client or price)."""
    require_admin(actor)
    if (organization is None) == (client_group is None):
        raise ValidationError(_("A special price is for one client or one client group."))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": _("A currency is a three-letter code, like EUR.")})
    if price is None or price < 0:
        raise ValidationError({"price": _("A price cannot be negative.")})
    if client_group is not None and client_group.reference_list.key != "client_groups":
        raise ValidationError({"client_group": _("Choose a client group from the list.")})
    clash = SpecialPrice.objects.filter(
        product=product, currency=currency, organization=organization, client_group=client_group
    ).exclude(pk=getattr(special, "pk", None))
    if clash.exists():
        raise ValidationError(
            _("This client already has a special price for the product in %(currency)s.")
            % {"currency": currency}
        )
    created = special is None
    before = None if created else snapshot(special)
    special = special or SpecialPrice()
    special.product, special.currency, special.price = product, currency, price
    special.organization, special.client_group = organization, client_group
    special.full_clean()
    special.save()
    record_saved(special, before, actor=actor)
    return special


@transaction.atomic
def delete_special_price(*, actor, special: SpecialPrice) -> None:
    require_admin(actor)
    record_delete(special, actor=actor)
    special.delete()


# --- Exchange rates -------------------------------------------------------------------------

CENT = Decimal("0.01")


def reporting_currency() -> str:
    """The currency reports sum amounts in (settings.KLIENTELA_REPORTING_CURRENCY)."""
    return getattr(settings, "KLIENTELA_REPORTING_CURRENCY", "EUR").upper()


class NoRate(ValidationError):
    """No exchange rate of a currency on or before a day: the amount cannot be converted."""

    def __init__(self, currency: str, on_date: datetime.date):
        self.currency, self.on_date = currency, on_date
        super().__init__(
            _("No exchange rate from %(currency)s to %(base)s on or before %(date)s.")
            % {"currency": currency, "base": reporting_currency(), "date": on_date.isoformat()},
            code="no_rate",
        )


def convert(amount: Decimal, currency: str, on_date: datetime.date) -> Decimal:
    """``amount`` of ``currency`` in the reporting currency at the latest rate on or before the
    day, rounded to cents; raises NoRate when the currency has no rate that early."""
    currency = currency.upper()
    if currency == reporting_currency():
        return amount
    rate = (
        ExchangeRate.objects.filter(base=reporting_currency(), currency=currency, date__lte=on_date)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise NoRate(currency, on_date)
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Rates:
    """The rates of some currencies read once, for reports that convert many grouped amounts.

    ``convert`` answers like the service but returns None (and remembers the currency in
    ``missing``) where there is no rate, so a report can mark the figure instead of failing.
    """

    base: str
    # currency -> ([days ascending], [rates])
    table: dict[str, tuple[list[datetime.date], list[Decimal]]]
    missing: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, currencies=None, until: datetime.date | None = None) -> Rates:
        base = reporting_currency()
        rows = ExchangeRate.objects.filter(base=base).order_by("currency", "date")
        if currencies is not None:
            rows = rows.filter(currency__in=[code.upper() for code in currencies])
        if until is not None:
            rows = rows.filter(date__lte=until)
        table: dict[str, tuple[list, list]] = {}
        for currency, day, rate in rows.values_list("currency", "date", "rate"):
            days, rates = table.setdefault(currency, ([], []))
            days.append(day)
            rates.append(rate)
        return cls(base, table)

    def rate(self, currency: str, on_date: datetime.date) -> Decimal | None:
        currency = currency.upper()
        if currency == self.base:
            return Decimal(1)
        days, rates = self.table.get(currency, ((), ()))
        index = bisect.bisect_right(days, on_date)
        return rates[index - 1] if index else None

    def convert(self, amount: Decimal, currency: str, on_date: datetime.date) -> Decimal | None:
        rate = self.rate(currency, on_date)
        if rate is None:
            self.missing.add(currency.upper())
            return None
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def add_amounts(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    """A converted total that stays "no rate" (None) once any part of it could not convert."""
    if total is None or amount is None:
        return None
    return total + amount


def _clean_rate(currency: str, rate: Decimal) -> str:
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": _("A currency is a three-letter code, like EUR.")})
    if currency == reporting_currency():
        raise ValidationError({"currency": _("The reporting currency needs no rate to itself.")})
    if rate is None or rate <= 0:
        raise ValidationError({"rate": _("A rate is more than zero.")})
    return currency


@transaction.atomic
def save_rate(
    *,
    actor,
    rate: ExchangeRate | None = None,
    currency: str,
    date: datetime.date,
    value: Decimal,
) -> ExchangeRate:
    """Enter or correct the rate of a currency on a day (administrators)."""
    require_admin(actor)
    currency = _clean_rate(currency, value)
    base = reporting_currency()
    clash = ExchangeRate.objects.filter(base=base, currency=currency, date=date)
    if clash.exclude(pk=getattr(rate, "pk", None)).exists():
        raise ValidationError(
            {"date": _("%(currency)s already has a rate on this day.") % {"currency": currency}}
        )
    created = rate is None
    before = None if created else snapshot(rate)
    rate = rate or ExchangeRate()
    rate.currency, rate.base, rate.date, rate.rate = currency, base, date, value
    rate.full_clean()
    rate.save()
    record_saved(rate, before, actor=actor)
    return rate


@transaction.atomic
def delete_rate(*, actor, rate: ExchangeRate) -> None:
    require_admin(actor)
    record_delete(rate, actor=actor)
    rate.delete()
