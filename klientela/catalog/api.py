"""The catalog through the API: products, price lists, prices, special prices, exchange rates."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from klientela.core.access import require_admin
from klientela.core.api import LimitOffset
from klientela.core.models import ReferenceItem
from klientela.customers.models import Organization

from . import services
from .models import Category, ExchangeRate, PriceList, Product, SpecialPrice

router = Router(tags=["products"])


class ProductOut(Schema):
    id: int
    name: str
    sku: str
    category: str | None = None
    unit: str
    description: str
    tax_rate: Decimal
    is_active: bool

    @staticmethod
    def resolve_category(product):
        return product.category.name if product.category_id else None


class ProductIn(Schema):
    name: str
    sku: str
    category: str | None = Field(None, description="A category name; created when new.")
    unit: str = "pcs"
    description: str = ""
    tax_rate: Decimal = Field(Decimal(0), ge=0, le=100)
    is_active: bool = True


class PriceListOut(Schema):
    id: int
    name: str
    currency: str
    is_default: bool
    is_active: bool


class PriceIn(Schema):
    price: Decimal = Field(ge=0)


class SpecialPriceIn(Schema):
    product_id: int
    currency: str = Field(min_length=3, max_length=3)
    price: Decimal = Field(ge=0)
    organization_id: int | None = None
    client_group: str | None = Field(None, description="Item key of the `client_groups` list.")


class ResolvedPriceOut(Schema):
    price: Decimal | None
    source: str | None = Field(None, description="client, group or price_list")


def _fields(payload: ProductIn) -> dict:
    data = payload.dict()
    category = data.pop("category")
    data["category"] = Category.objects.get_or_create(name=category)[0] if category else None
    return data


@router.get("/products", response=list[ProductOut], summary="Products")
@paginate(LimitOffset)
def list_products(request, active: bool | None = None, q: str | None = None):
    products = Product.objects.select_related("category")
    if active is not None:
        products = products.filter(is_active=active)
    if q:
        products = products.filter(name__icontains=q) | products.filter(sku__iexact=q)
    return products


@router.post("/products", response={201: ProductOut}, summary="Create a product (administrators)")
def create_product(request, payload: ProductIn):
    return Status(201, services.save_product(actor=request.auth, **_fields(payload)))


@router.put("/products/{product_id}", response=ProductOut, summary="Change a product")
def update_product(request, product_id: int, payload: ProductIn):
    product = get_object_or_404(Product, pk=product_id)
    return services.save_product(actor=request.auth, product=product, **_fields(payload))


@router.get("/price-lists", response=list[PriceListOut], summary="Price lists")
def list_price_lists(request):
    return PriceList.objects.all()


class PriceListIn(Schema):
    name: str
    currency: str = Field(min_length=3, max_length=3)
    is_default: bool = Field(False, description="The list deals in its currency take prices from.")
    is_active: bool = True


@router.post(
    "/price-lists", response={201: PriceListOut}, summary="Create a price list (administrators)"
)
def create_price_list(request, payload: PriceListIn):
    return Status(201, services.save_price_list(actor=request.auth, **payload.dict()))


@router.put("/price-lists/{price_list_id}", response=PriceListOut, summary="Change a price list")
def update_price_list(request, price_list_id: int, payload: PriceListIn):
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    return services.save_price_list(actor=request.auth, price_list=price_list, **payload.dict())


@router.get("/products/{product_id}", response=ProductOut, summary="A product")
def get_product(request, product_id: int):
    return get_object_or_404(Product.objects.select_related("category"), pk=product_id)


@router.put(
    "/price-lists/{price_list_id}/prices/{product_id}",
    response=PriceIn,
    summary="Set a product's price in a price list (administrators)",
)
def set_price(request, price_list_id: int, product_id: int, payload: PriceIn):
    price_list = get_object_or_404(PriceList, pk=price_list_id)
    product = get_object_or_404(Product, pk=product_id)
    return services.set_price(
        actor=request.auth, price_list=price_list, product=product, price=payload.price
    )


class SpecialPriceOut(Schema):
    id: int
    product_id: int
    currency: str
    price: Decimal
    organization_id: int | None
    client_group: str | None = Field(None, description="Item key of the `client_groups` list.")

    @staticmethod
    def resolve_client_group(special):
        return special.client_group.key if special.client_group_id else None


def _special_fields(request, payload: SpecialPriceIn) -> dict:
    organization = None
    if payload.organization_id is not None:
        organization = get_object_or_404(
            Organization.objects.visible_to(request.auth), pk=payload.organization_id
        )
    group = None
    if payload.client_group:
        group = get_object_or_404(
            ReferenceItem, reference_list__key="client_groups", key=payload.client_group
        )
    return {
        "product": get_object_or_404(Product, pk=payload.product_id),
        "currency": payload.currency,
        "price": payload.price,
        "organization": organization,
        "client_group": group,
    }


@router.get(
    "/special-prices",
    response=list[SpecialPriceOut],
    summary="Special prices (administrators)",
)
@paginate(LimitOffset)
def list_special_prices(request, product_id: int | None = None, organization_id: int | None = None):
    require_admin(request.auth)
    prices = SpecialPrice.objects.select_related("client_group").order_by("id")
    if product_id is not None:
        prices = prices.filter(product_id=product_id)
    if organization_id is not None:
        prices = prices.filter(organization_id=organization_id)
    return prices


@router.post("/special-prices", response={201: PriceIn}, summary="A client's or group's price")
def set_special_price(request, payload: SpecialPriceIn):
    row = services.set_special_price(actor=request.auth, **_special_fields(request, payload))
    return Status(201, row)


@router.put(
    "/special-prices/{special_id}",
    response=SpecialPriceOut,
    summary="Change a special price (administrators)",
)
def update_special_price(request, special_id: int, payload: SpecialPriceIn):
    require_admin(request.auth)
    special = get_object_or_404(SpecialPrice, pk=special_id)
    return services.save_special_price(
        actor=request.auth, special=special, **_special_fields(request, payload)
    )


@router.delete(
    "/special-prices/{special_id}",
    response={204: None},
    summary="Delete a special price (administrators)",
)
def delete_special_price(request, special_id: int):
    require_admin(request.auth)
    special = get_object_or_404(SpecialPrice, pk=special_id)
    services.delete_special_price(actor=request.auth, special=special)
    return Status(204, None)


@router.get(
    "/products/{product_id}/price",
    response=ResolvedPriceOut,
    summary="The price a client pays",
    description="The client's own price, else their client group's, else the price list's.",
)
def product_price(request, product_id: int, currency: str, organization_id: int | None = None):
    product = get_object_or_404(Product, pk=product_id)
    organization = None
    if organization_id is not None:
        organization = get_object_or_404(
            Organization.objects.visible_to(request.auth), pk=organization_id
        )
    resolved = services.resolve_price(product, currency=currency.upper(), organization=organization)
    return {"price": resolved.price, "source": resolved.source} if resolved else {"price": None}


class RateOut(Schema):
    id: int
    currency: str
    base: str = Field(description="The reporting currency the rate converts to.")
    date: date
    rate: Decimal = Field(description="What one unit of `currency` is worth in `base`.")


class RateIn(Schema):
    currency: str = Field(min_length=3, max_length=3)
    date: date
    rate: Decimal = Field(gt=0)


class ConvertedOut(Schema):
    amount: Decimal
    currency: str


@router.get(
    "/exchange-rates",
    response=list[RateOut],
    summary="Exchange rates to the reporting currency",
    tags=["exchange rates"],
)
@paginate(LimitOffset)
def list_rates(request, currency: str | None = None):
    rates = ExchangeRate.objects.filter(base=services.reporting_currency())
    return rates.filter(currency=currency.upper()) if currency else rates


@router.get(
    "/exchange-rates/convert",
    response=ConvertedOut,
    summary="An amount in the reporting currency",
    description="At the latest rate of the currency on or before the day; a 422 when there is "
    "none.",
    tags=["exchange rates"],
)
def convert_amount(request, amount: Decimal, currency: str, on: date):
    converted = services.convert(amount, currency, on)
    return {"amount": converted, "currency": services.reporting_currency()}


@router.get(
    "/exchange-rates/{rate_id}", response=RateOut, summary="A rate", tags=["exchange rates"]
)
def get_rate(request, rate_id: int):
    return get_object_or_404(ExchangeRate, pk=rate_id)


@router.post(
    "/exchange-rates",
    response={201: RateOut},
    summary="Enter a rate (administrators)",
    tags=["exchange rates"],
)
def create_rate(request, payload: RateIn):
    rate = services.save_rate(
        actor=request.auth, currency=payload.currency, date=payload.date, value=payload.rate
    )
    return Status(201, rate)


@router.put(
    "/exchange-rates/{rate_id}",
    response=RateOut,
    summary="Correct a rate (administrators)",
    tags=["exchange rates"],
)
def update_rate(request, rate_id: int, payload: RateIn):
    rate = get_object_or_404(ExchangeRate, pk=rate_id)
    return services.save_rate(
        actor=request.auth,
        rate=rate,
        currency=payload.currency,
        date=payload.date,
        value=payload.rate,
    )


@router.delete(
    "/exchange-rates/{rate_id}",
    response={204: None},
    summary="Delete a rate (administrators)",
    tags=["exchange rates"],
)
def delete_rate(request, rate_id: int):
    rate = get_object_or_404(ExchangeRate, pk=rate_id)
    services.delete_rate(actor=request.auth, rate=rate)
    return Status(204, None)
