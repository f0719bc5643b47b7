"""Catalog pages for administrators: the product list and the product form with its prices."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.lists import Column, ListDefinition, render_list

from . import services
from .forms import ProductForm
from .models import Product

PRODUCTS = ListDefinition(
    key="catalog.products",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("sku", gettext_lazy("SKU"), sort="sku"),
        Column("category", gettext_lazy("Category"), sort="category__name"),
        Column("unit", gettext_lazy("Unit")),
        Column("tax_rate", gettext_lazy("Tax rate, %"), numeric=True),
        Column("is_active", gettext_lazy("Active")),
    ],
    search_fields=("name", "sku"),
    select_related=("category",),
    empty_icon="package",
    empty_title=gettext_lazy("No products yet"),
)


def _require_admin(request) -> None:
    if not request.user.is_admin:
        raise PermissionDenied(_("Only an administrator can do this."))


@login_required
def product_list(request):
    _require_admin(request)
    return render_list(
        request,
        PRODUCTS,
        Product.objects.all(),
        title=_("Products"),
        create_url=reverse("catalog:product_create"),
        create_label=_("New product"),
    )


@login_required
def product_edit(request, pk: int | None = None):
    _require_admin(request)
    product = get_object_or_404(Product, pk=pk) if pk is not None else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.save_product(
                    actor=request.user, product=product, **form.product_fields()
                )
                for price_list, price in form.prices():
                    services.set_price(
                        actor=request.user, price_list=price_list, product=saved, price=price
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return success_redirect(request, reverse("catalog:products"), _("Product saved."))
    return render_form_page(
        request,
        form,
        title=str(product) if product else _("New product"),
        history_of=product,
        cancel_url=reverse("catalog:products"),
    )
