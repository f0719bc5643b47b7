"""The product catalog, price lists in several currencies, and special prices for clients."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klientela.core.models import ReferenceItem


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    description = models.TextField(_("description"), blank=True)
    tax_rate = models.DecimalField(_("tax rate, %"), max_digits=5, decimal_places=2, default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # An import's undo checks that nobody changed the product since.
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_edit", args=[self.pk])


class PriceList(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    # The price list a deal in this currency uses unless a special price applies.
    is_default = models.BooleanField(_("default for its currency"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["currency", "name"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class Price(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="price_unique"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.price} {self.price_list.currency}"


class SpecialPrice(models.Model):
    """A price agreed with one client, or with a client group, in one currency."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="special_prices",
    )
    currency = models.CharField(_("currency"), max_length=3)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="special_prices",
    )
    client_group = models.ForeignKey(
        ReferenceItem,
        verbose_name=_("client group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"reference_list__key": "client_groups"},
    )

    class Meta:
        constraints = [
            # Exactly one of client and group.
            models.CheckConstraint(
                condition=(
                    models.Q(organization__isnull=False, client_group__isnull=True)
                    | models.Q(organization__isnull=True, client_group__isnull=False)
                ),
                name="special_price_for_client_or_group",
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="special_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.price} {self.currency}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:special_price_edit", args=[self.pk])

    @property
    def client(self):
        """The client or the client group the price is for."""
        return self.organization or self.client_group


class ExchangeRate(models.Model):
    """What one unit of a currency was worth in the reporting currency from a day on.

    A rate holds until the next one of its currency: reports convert an amount at the latest rate
    on or before its day. ``base`` keeps the reporting currency the rate was entered against, so
    rates entered before the setting changed are not read as rates to the new one.
    """

    currency = models.CharField(_("currency"), max_length=3)
    base = models.CharField(_("reporting currency"), max_length=3)
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["base", "currency", "date"], name="rate_unique_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.base} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:rate_edit", args=[self.pk])
