"""The one filter definition of activities, shared by the list page and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from .models import Activity
from .services import day_bounds, zone_of

User = get_user_model()


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Kind"), choices=Activity.Kind.choices
    )
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"), choices=Activity.Status.choices
    )
    responsible = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Responsible"),
        queryset=User.objects.filter(is_active=True),
        null_label=gettext_lazy("Nobody"),
        distinct=False,
    )
    period = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Period"),
        method="in_period",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="late")

    class Meta:
        model = Activity
        fields = ["kind", "status", "responsible", "period", "overdue"]

    def _zone(self):
        return zone_of(getattr(self.request, "user", None))

    def in_period(self, queryset, name, value):
        """Those taking place, at least partly, between two days of the reader's calendar."""
        if not value or (value.start is None and value.stop is None):
            return queryset
        zone = self._zone()
        start = day_bounds(value.start, zone)[0] if value.start else None
        end = day_bounds(value.stop, zone)[1] if value.stop else None
        if start is not None and end is not None:
            return queryset.overlapping(start, end)
        if start is not None:
            return queryset.filter(finishes_at__gte=start)
        return queryset.filter(occurs_at__lt=end)

    def late(self, queryset, name, value):
        if value is None:
            return queryset
        now = datetime.datetime.now(datetime.UTC)
        overdue = queryset.overdue(now)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
