"""Demo catalog: a few products with prices in euros, roubles and zloty; a year of rates."""

import datetime
from decimal import Decimal

from django.utils import timezone

from klientela.core.demodata import DemoLoader

from .models import Category, ExchangeRate, Price, PriceList, Product
from .services import reporting_currency

# (name, SKU, category, unit, tax %, price in EUR)
PRODUCTS = [
    ("CRM licence, 1 year", "CRM-Y1", "Software", "seat", 20, "240.00"),
    ("Implementation day", "IMPL-D", "Services", "day", 20, "800.00"),
    ("Support contract, 1 year", "SUP-Y1", "Services", "year", 20, "1200.00"),
    ("Training course", "TRN-1", "Training", "person", 0, "350.00"),
    ("Integration with 1C", "INT-1C", "Services", "project", 20, "3000.00"),
]
# Price list currency -> units of it per euro (rounded list prices, not exchange rates).
LISTS = {"EUR": Decimal(1), "RUB": Decimal(95), "PLN": Decimal("4.3")}


def is_loaded() -> bool:
    return Product.objects.exists()


def load_catalog(context: dict) -> None:
    lists = {
        currency: PriceList.objects.create(
            name=f"Price list {currency}", currency=currency, is_default=True
        )
        for currency in LISTS
    }
    for name, sku, category, unit, tax, price in PRODUCTS:
        product = Product.objects.create(
            name=name,
            sku=sku,
            category=Category.objects.get_or_create(name=category)[0],
            unit=unit,
            tax_rate=Decimal(tax),
        )
        for currency, rate in LISTS.items():
            Price.objects.create(
                price_list=lists[currency],
                product=product,
                price=(Decimal(price) * rate).quantize(Decimal(1)),
            )
    load_rates()


# Euros per unit on the first of each month, drifting a little (demo figures, not real rates).
RATES = {"RUB": Decimal("0.0105"), "PLN": Decimal("0.232"), "EUR": Decimal(1)}


def load_rates() -> None:
    base = reporting_currency()
    if base not in RATES:
        return
    month = timezone.localdate().replace(day=1)
    rows = []
    for step in range(13):
        drift = Decimal(1) + Decimal(step % 4) / 100
        for currency, euros in RATES.items():
            if currency != base:
                rate = euros / RATES[base] * drift
                rows.append(
                    ExchangeRate(
                        base=base,
                        currency=currency,
                        date=month,
                        rate=rate.quantize(Decimal("0.00000001")),
                    )
                )
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    ExchangeRate.objects.bulk_create(rows, ignore_conflicts=True)


DEMO = DemoLoader(key="catalog", order=25, load=load_catalog, is_loaded=is_loaded)
