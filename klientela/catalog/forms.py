"""The product form, with a price per active price list beside the product's fields."""

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
