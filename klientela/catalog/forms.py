"""The product form, with a price per active price list beside the product's fields."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, PriceList, Product


class ProductForm(forms.ModelForm):
    category_name = forms.CharField(label=_("Category"), max_length=100, required=False)

    class Meta:
        model = Product
        fields = ["name", "sku", "unit", "tax_rate", "is_active", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.category_id:
            self.fields["category_name"].initial = self.instance.category.name
        prices = {}
        if self.instance.pk:
            prices = {row.price_list_id: row.price for row in self.instance.prices.all()}
        self.price_lists = list(PriceList.objects.filter(is_active=True))
        for price_list in self.price_lists:
            self.fields[f"price_{price_list.pk}"] = forms.DecimalField(
                label=_("Price in “%(list)s”, %(currency)s")
                % {"list": price_list.name, "currency": price_list.currency},
                min_value=0,
                required=False,
                initial=prices.get(price_list.pk),
            )

    def product_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        name = self.cleaned_data.get("category_name", "").strip()
        data["category"] = Category.objects.get_or_create(name=name)[0] if name else None
        return data

    def prices(self) -> list[tuple[PriceList, object]]:
        return [
            (price_list, self.cleaned_data[f"price_{price_list.pk}"])
            for price_list in self.price_lists
            if self.cleaned_data.get(f"price_{price_list.pk}") is not None
        ]


class RateForm(forms.Form):
    currency = forms.CharField(
        label=_("Currency"), max_length=3, widget=forms.TextInput(attrs={"size": 4})
    )
    date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
    )

    def __init__(self, *args, base: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate"].help_text = _(
            "What one unit of the currency is worth in %(base)s from this day on."
        ) % {"base": base}
