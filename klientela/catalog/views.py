"""Catalog pages for administrators: products with their prices, special prices, exchange rates."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from klientela.core.access import require_admin
from klientela.core.cards import CardAction
from klientela.core.formatting import format_money
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.lists import Column, ListDefinition, render_list

from . import services
from .forms import ProductForm, RateForm, SpecialPriceForm
from .models import ExchangeRate, Product, SpecialPrice

# The catalog pages' tabs: (label, url name).
TABS = [
    (gettext_lazy("Products"), "catalog:products"),
    (gettext_lazy("Special prices"), "catalog:special_prices"),
    (gettext_lazy("Exchange rates"), "catalog:rates"),
]


def catalog_tabs(request) -> dict:
    urls = [(label, reverse(url_name)) for label, url_name in TABS]
    # The products' address is the prefix of the others: the longest matching one is active.
    active = max((url for _label, url in urls if request.path.startswith(url)), key=len, default="")
    tabs = [{"label": label, "url": url, "active": url == active} for label, url in urls]
    return {"tabs": tabs, "tabs_label": _("Catalog")}


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


@login_required
def product_list(request):
    require_admin(request.user)
    return render_list(
        request,
        PRODUCTS,
        Product.objects.all(),
        title=_("Products"),
        create_url=reverse("catalog:product_create"),
        create_label=_("New product"),
        extra_context=catalog_tabs(request),
    )


@login_required
def product_edit(request, pk: int | None = None):
    require_admin(request.user)
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
        **catalog_tabs(request),
    )


RATES = ListDefinition(
    key="catalog.rates",
    columns=[
        Column("currency", gettext_lazy("Currency"), sort="currency", link=True),
        Column("date", gettext_lazy("From"), sort="date"),
        Column("rate", gettext_lazy("Rate"), sort="rate", numeric=True),
        Column("base", gettext_lazy("Reporting currency")),
    ],
    search_fields=("currency",),
    default_sort="-date",
    empty_icon="arrow-right-left",
    empty_title=gettext_lazy("No exchange rates yet"),
    empty_text=gettext_lazy(
        "Reports in the reporting currency need a rate for every other currency."
    ),
)


@login_required
def rate_list(request):
    require_admin(request.user)
    base = services.reporting_currency()
    return render_list(
        request,
        RATES,
        ExchangeRate.objects.filter(base=base),
        title=_("Exchange rates"),
        create_url=reverse("catalog:rate_create"),
        create_label=_("New rate"),
        extra_context={
            "subtitle": _(
                "Reporting currency: %(base)s. An amount converts at the latest rate of its "
                "currency on or before its day."
            )
            % {"base": base},
            **catalog_tabs(request),
        },
    )


@login_required
def rate_edit(request, pk: int | None = None):
    require_admin(request.user)
    base = services.reporting_currency()
    rate = get_object_or_404(ExchangeRate, pk=pk) if pk is not None else None
    initial = {"currency": rate.currency, "date": rate.date, "rate": rate.rate} if rate else None
    form = RateForm(request.POST or None, base=base, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_rate(
                actor=request.user,
                rate=rate,
                currency=data["currency"],
                date=data["date"],
                value=data["rate"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return success_redirect(request, reverse("catalog:rates"), _("Rate saved."))
    actions = []
    if rate is not None:
        actions.append(
            CardAction(
                _("Delete"),
                reverse("catalog:rate_delete", args=[rate.pk]),
                "trash-2",
                is_dangerous=True,
            )
        )
    return render_form_page(
        request,
        form,
        title=_("Rate of %(currency)s") % {"currency": rate.currency} if rate else _("New rate"),
        history_of=rate,
        cancel_url=reverse("catalog:rates"),
        header_actions=actions,
        **catalog_tabs(request),
    )


@login_required
def rate_delete(request, pk: int):
    require_admin(request.user)
    rate = get_object_or_404(ExchangeRate, pk=pk)
    if request.method == "POST":
        services.delete_rate(actor=request.user, rate=rate)
        return success_redirect(request, reverse("catalog:rates"), _("Rate deleted."))
    return render(
        request,
        "core/components/confirm_delete.html",
        {
            "title": _("Delete a rate"),
            "question": _("Delete the rate of %(currency)s from %(date)s?")
            % {"currency": rate.currency, "date": rate.date.isoformat()},
            "consequences": _("Amounts of that period convert at the rate before it."),
            "cancel_url": reverse("catalog:rate_edit", args=[pk]),
            **catalog_tabs(request),
        },
    )


def _client_label(special: SpecialPrice) -> str:
    if special.organization_id:
        return str(special.organization)
    return _("Group: %(group)s") % {"group": special.client_group.label_in(get_language())}


SPECIAL_PRICES = ListDefinition(
    key="catalog.special_prices",
    columns=[
        Column("product", gettext_lazy("Product"), sort="product__name", link=True),
        Column("client", gettext_lazy("Client or group"), value=_client_label),
        Column("currency", gettext_lazy("Currency"), sort="currency"),
        Column(
            "price",
            gettext_lazy("Price"),
            sort="price",
            numeric=True,
            value=lambda special: format_money(special.price, special.currency),
        ),
    ],
    search_fields=("product__name", "product__sku", "organization__name", "client_group__label"),
    default_sort="product",
    select_related=("product", "organization", "client_group"),
    empty_icon="tag",
    empty_title=gettext_lazy("No special prices yet"),
    empty_text=gettext_lazy(
        "A special price beats the price list for one client or a client group."
    ),
)


@login_required
def special_price_list(request):
    require_admin(request.user)
    return render_list(
        request,
        SPECIAL_PRICES,
        SpecialPrice.objects.all(),
        title=_("Special prices"),
        create_url=reverse("catalog:special_price_create"),
        create_label=_("New special price"),
        extra_context={
            "subtitle": _(
                "A deal line takes the client's own price, else their group's, else the price "
                "list's."
            ),
            **catalog_tabs(request),
        },
    )


@login_required
def special_price_edit(request, pk: int | None = None):
    require_admin(request.user)
    special = None
    initial = None
    if pk is not None:
        special = get_object_or_404(
            SpecialPrice.objects.select_related("product", "organization", "client_group"), pk=pk
        )
        initial = {
            "product": special.product_id,
            "organization": special.organization_id,
            "client_group": special.client_group_id,
            "currency": special.currency,
            "price": special.price,
        }
    elif request.GET.get("organization", "").isdigit():
        initial = {"organization": request.GET["organization"]}
    form = SpecialPriceForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        language=get_language(),
        selected=special.organization if special else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_special_price(actor=request.user, special=special, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return success_redirect(
                request, reverse("catalog:special_prices"), _("Special price saved.")
            )
    actions = []
    if special is not None:
        actions.append(
            CardAction(
                _("Delete"),
                reverse("catalog:special_price_delete", args=[special.pk]),
                "trash-2",
                is_dangerous=True,
            )
        )
    return render_form_page(
        request,
        form,
        title=str(special) if special else _("New special price"),
        history_of=special,
        cancel_url=reverse("catalog:special_prices"),
        header_actions=actions,
        **catalog_tabs(request),
    )


@login_required
def special_price_delete(request, pk: int):
    require_admin(request.user)
    special = get_object_or_404(SpecialPrice.objects.select_related("product"), pk=pk)
    if request.method == "POST":
        services.delete_special_price(actor=request.user, special=special)
        return success_redirect(
            request, reverse("catalog:special_prices"), _("Special price deleted.")
        )
    return render(
        request,
        "core/components/confirm_delete.html",
        {
            "title": _("Delete a special price"),
            "question": _("Delete the special price %(price)s for %(client)s?")
            % {"price": str(special), "client": _client_label(special)},
            "consequences": _("New deal lines will take the group's or the price list's price."),
            "cancel_url": reverse("catalog:special_price_edit", args=[pk]),
            **catalog_tabs(request),
        },
    )
