"""The one filter definition of deals, shared by the deal list, the funnel and the API.

Besides the fixed filters, per active custom field of deals: ``custom.<key>`` (equals; several
values for choice, multi-choice and user fields match any of them), ``custom.<key>__contains``
(text), ``custom.<key>__gte`` / ``__lte`` (number, money, date), ``custom.<key>__currency``
(money) and ``custom.<key>__isnull`` — the same names as on organizations and people.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from klientela.core import access
from klientela.core.customfields import load_definitions
from klientela.customers.filters import custom_filters

from .models import Deal, Pipeline, Stage

User = get_user_model()


class CustomFieldsFilterSet(django_filters.FilterSet):
    """A FilterSet that adds the filters of the model's custom fields after its own."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        model = self.queryset.model
        entity = model.custom_entity()
        for name, value_filter in custom_filters(entity, load_definitions(entity)).items():
            value_filter.model = model
            value_filter.parent = self
            self.filters[name] = value_filter


class BoardFilter(CustomFieldsFilterSet):
    """What the funnel is narrowed by beyond its search box: the owner and custom fields."""

    responsible = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Responsible"), queryset=User.objects.all(), distinct=False
    )

    class Meta:
        model = Deal
        fields = ["responsible"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None:
            self.filters["responsible"].queryset = possible_owners(user)


def possible_owners(user):
    """Whose deals the user may see, by the role's scope: everyone, the team, or themselves.
    (Not "owners of the visible deals": that reads every one of them, 25,000 for a head.)"""
    scope = access.scope_for(user, "deal", access.Action.VIEW)
    if scope == access.Scope.ALL:
        return User.objects.all()
    if scope == access.Scope.TEAM and user.team_id is not None:
        return User.objects.filter(team_id=user.team_id)
    return User.objects.filter(pk=user.pk)


class DealFilter(BoardFilter):
    pipeline = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Pipeline"),
        queryset=Pipeline.objects.all(),
        empty_label=gettext_lazy("All"),
    )
    stage = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Stage"),
        queryset=Stage.objects.select_related("pipeline"),
        distinct=False,
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        field_name="stage__kind",
        choices=Stage.Kind.choices,
        empty_label=gettext_lazy("Any"),
    )
    currency = django_filters.CharFilter(label=gettext_lazy("Currency"), method="in_currency")
    amount = django_filters.RangeFilter(label=gettext_lazy("Amount"))
    expected_close = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Expected close"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Deal
        fields = [
            "pipeline",
            "stage",
            "status",
            "responsible",
            "currency",
            "amount",
            "expected_close",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["stage"].field.label_from_instance = lambda stage: (
            f"{stage.pipeline} · {stage}"
        )

    def in_currency(self, queryset, name, value):
        value = (value or "").strip().upper()
        return queryset.filter(currency=value) if value else queryset
