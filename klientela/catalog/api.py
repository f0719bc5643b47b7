"""The catalog through the API: products, price lists, prices and special prices."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset
from klientela.core.models import ReferenceItem
from klientela.customers.models import Organization

from . import services
from .models import Category, PriceList, Product

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


@router.post("/special-prices", response={201: PriceIn}, summary="A client's or group's price")
def set_special_price(request, payload: SpecialPriceIn):
    product = get_object_or_404(Product, pk=payload.product_id)
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
    row = services.set_special_price(
        actor=request.auth,
        product=product,
        currency=payload.currency,
        price=payload.price,
        organization=organization,
        client_group=group,
    )
    return Status(201, row)


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
