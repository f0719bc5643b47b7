"""Catalog forms: products with a price per price list, special prices, exchange rates."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from klientela.core.models import ReferenceItem
from klientela.customers.forms.widgets import RecordPicker
from klientela.customers.models import Organization

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


class SpecialPriceForm(forms.Form):
    """A client's or a client group's price of a product in a currency."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all())
    organization = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Either a client or a client group."),
    )
    client_group = forms.ModelChoiceField(
        label=_("Client group"),
        queryset=ReferenceItem.objects.filter(reference_list__key="client_groups"),
        required=False,
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, widget=forms.TextInput(attrs={"size": 4})
    )
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, user, language: str | None, selected=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
        chosen = selected
        value = self.data.get("organization") if self.is_bound else self.initial.get("organization")
        if chosen is None and str(value or "").isdigit():
            chosen = self.fields["organization"].queryset.filter(pk=value).first()
        self.fields["organization"].widget = RecordPicker(kind="organization", selected=chosen)
        self.fields["client_group"].label_from_instance = lambda item: item.label_in(language)

    def clean(self):
        data = super().clean()
        if bool(data.get("organization")) == bool(data.get("client_group")):
            raise forms.ValidationError(_("A special price is for one client or one client group."))
        return data
