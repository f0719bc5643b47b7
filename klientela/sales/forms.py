"""The deal form (with the deal's custom fields) and the lost-deal form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klientela.accounts.models import Team
from klientela.catalog.models import Category, Product
from klientela.core.customfields import (
    custom_form_fields,
    custom_initial,
    custom_values_from_form,
    load_definitions,
)
from klientela.core.models import ReferenceItem
from klientela.customers.forms.widgets import RecordPicker
from klientela.customers.models import Organization, Person

from .models import LOST_REASONS, REQUIRABLE_FIELDS, Deal, Lead, Pipeline, SalesPlan, Stage


class DealForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = [
            "title",
            "stage",
            "organization",
            "person",
            "amount",
            "currency",
            "expected_close",
            "probability",
            "responsible",
        ]
        widgets = {"expected_close": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Pickers search as the user types: a base of 200,000 clients fits no <select>.
        for name, model, kind in (
            ("organization", Organization, "organization"),
            ("person", Person, "person"),
        ):
            self.fields[name].queryset = model.objects.visible_to(user)
            self.fields[name].widget = RecordPicker(
                kind=kind,
                selected=getattr(self.instance, name, None)
                or self._initial_record(name, model, user),
            )
        self.fields["responsible"].queryset = get_user_model().objects.filter(is_active=True)
        stages = Stage.objects.select_related("pipeline").filter(pipeline__is_active=True)
        if self.instance.pk:
            stages = stages.filter(pipeline=self.instance.pipeline)
            del self.fields["stage"]
        else:
            self.fields["stage"].queryset = stages
            self.fields["stage"].label_from_instance = lambda stage: f"{stage.pipeline} · {stage}"
        self.fields["currency"].widget = forms.TextInput(attrs={"maxlength": 3, "size": 4})
        # The deal's custom fields, after its own; named "custom.<key>" like the service's errors.
        definitions = load_definitions("deal")
        for fields in custom_form_fields("deal", get_language(), definitions=definitions).values():
            self.fields.update(fields)
        if self.instance.pk:
            self.initial.update(
                custom_initial("deal", self.instance.custom, definitions=definitions)
            )

    def deal_fields(self) -> dict:
        """The cleaned form as the service's keyword arguments, custom values under ``custom``."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "stage" and not name.startswith("custom.")
        }
        data["custom"] = custom_values_from_form(self.cleaned_data)
        if data.get("responsible") is None:
            # Left empty: the service makes the user responsible (on a new deal) or keeps it.
            data.pop("responsible", None)
        return data

    def _initial_record(self, name, model, user):
        value = self.initial.get(name) or (self.data.get(name) if self.is_bound else None)
        if value in (None, "") or not str(value).isdigit():
            return None
        return model.objects.visible_to(user).filter(pk=value).first()


class LostForm(forms.Form):
    lost_reason = forms.ModelChoiceField(
        label=_("Why was it lost?"),
        queryset=ReferenceItem.objects.filter(reference_list__key=LOST_REASONS, is_active=True),
    )
    competitor = forms.ModelChoiceField(
        label=_("Competitor who won"),
        queryset=Organization.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor"].queryset = Organization.objects.visible_to(user)
        self.fields["competitor"].widget = RecordPicker(kind="organization")


class PipelineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class StageForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Stage"), max_length=100)
    probability = forms.IntegerField(label=_("Probability, %"), min_value=0, max_value=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Stage.Kind.choices)
    required_fields = forms.MultipleChoiceField(
        label=_("Must be filled to enter"),
        choices=list(REQUIRABLE_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


StageFormSet = forms.formset_factory(StageForm, extra=2, can_delete=True, can_order=True)


class ReportFilterForm(forms.Form):
    since = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people whose deals the user may see are worth choosing.
        visible_owners = Deal.objects.visible_to(user).values("responsible")
        self.fields["responsible"].queryset = get_user_model().objects.filter(pk__in=visible_owners)


class LineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.001"), initial=1)
    discount_percent = forms.DecimalField(
        label=_("Discount, %"), min_value=0, max_value=100, initial=0, required=False
    )
    unit_price = forms.DecimalField(
        label=_("Price"),
        min_value=0,
        required=False,
        help_text=_("Empty: the client's price from the price lists."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)


class DiscountForm(forms.Form):
    discount_percent = forms.DecimalField(label=_("Deal discount, %"), min_value=0, max_value=100)


class PlanForm(forms.Form):
    """A plan of the dimension the page shows; only that dimension's subject field is kept."""

    manager = forms.ModelChoiceField(label=_("Manager"), queryset=get_user_model().objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    region = forms.CharField(label=_("Region"), max_length=150)
    category = forms.ModelChoiceField(label=_("Product category"), queryset=Category.objects.all())
    period = forms.ChoiceField(label=_("Period"), choices=SalesPlan.Period.choices)
    starts = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("For a quarter, any month of it."),
    )
    amount = forms.DecimalField(label=_("Plan"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")

    def __init__(self, *args, dimension: str, managers, teams, whole_company: bool, **kwargs):
        super().__init__(*args, **kwargs)
        subject = {
            SalesPlan.Dimension.MANAGER: ("manager",),
            SalesPlan.Dimension.TEAM: ("team",),
            SalesPlan.Dimension.REGION: ("region", "team"),
            SalesPlan.Dimension.CATEGORY: ("category", "team"),
        }[dimension]
        for name in ("manager", "team", "region", "category"):
            if name not in subject:
                del self.fields[name]
        if "manager" in self.fields:
            self.fields["manager"].queryset = managers
        if "team" in self.fields:
            self.fields["team"].queryset = teams
            only = list(teams[:2])
            if len(only) == 1 and not whole_company:
                # A head plans for their own team: nothing to choose.
                self.fields["team"].initial = only[0].pk
            if dimension != SalesPlan.Dimension.TEAM and whole_company:
                # Administrators plan regions and categories for the whole company too.
                self.fields["team"].required = False
                self.fields["team"].empty_label = _("Whole company")
                self.fields["team"].help_text = _("Empty: every team's deals count.")
        if "region" in self.fields:
            self.fields["region"].widget.attrs["list"] = "plan-regions"


class PlanFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=SalesPlan.Period.choices, required=False)
    starts = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    amounts = forms.ChoiceField(label=_("Amounts"), required=False)

    def __init__(self, *args, reporting_currency: str, **kwargs):
        # The plan form on the same page has fields of the same names.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["amounts"].choices = [
            ("", _("In each deal's currency")),
            ("reporting", _("All in %(currency)s") % {"currency": reporting_currency}),
        ]


class PerformanceFilterForm(forms.Form):
    since = forms.DateField(
        label=_("Closed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Closed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All")
    )
    pipeline = forms.ModelChoiceField(
        label=_("Pipeline"),
        queryset=Pipeline.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not teams.exists():
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end comes before the start."))
        return data


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = [
            "title",
            "company_name",
            "first_name",
            "last_name",
            "position",
            "phone",
            "email",
            "source",
            "amount",
            "currency",
            "responsible",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["currency"].widget = forms.TextInput(attrs={"maxlength": 3, "size": 4})


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_("Why is it disqualified?"), max_length=300)
