"""The one filter definition of activities, shared by the list page and the API."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import Activity
from .services import day_bounds, zone_of

User = get_user_model()
PERIODS = [
    ("today", gettext_lazy("Today")),
    ("tomorrow", gettext_lazy("Tomorrow")),
    ("week", gettext_lazy("This week")),
    ("next_7_days", gettext_lazy("Next 7 days")),
    ("last_30_days", gettext_lazy("Last 30 days")),
]


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
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("Period"),
        choices=PERIODS,
        method="in_period",
        empty_label=gettext_lazy("Any time"),
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("From"),
        method="from_day",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("Until"),
        method="until_day",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="late")
    direction = django_filters.ChoiceFilter(
        label=gettext_lazy("Direction"), choices=Activity.Direction.choices
    )
    # When it was closed (done or cancelled): the manager activity report counts tasks so.
    closed_since = django_filters.DateFilter(
        label=gettext_lazy("Closed from"),
        method="closed_from_day",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    closed_until = django_filters.DateFilter(
        label=gettext_lazy("Closed until"),
        method="closed_until_day",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "status",
            "responsible",
            "period",
            "since",
            "until",
            "overdue",
            "direction",
            "closed_since",
            "closed_until",
        ]

    def _zone(self):
        return zone_of(getattr(self.request, "user", None))

    def _today(self) -> datetime.date:
        return timezone.now().astimezone(self._zone()).date()

    def in_period(self, queryset, name, value):
        """Those taking place, at least partly, in a period of the reader's calendar."""
        if not value:
            return queryset
        today = self._today()
        first, days = {
            "today": (today, 1),
            "tomorrow": (today + datetime.timedelta(days=1), 1),
            "week": (today - datetime.timedelta(days=today.weekday()), 7),
            "next_7_days": (today, 7),
            "last_30_days": (today - datetime.timedelta(days=30), 31),
        }[value]
        zone = self._zone()
        start = day_bounds(first, zone)[0]
        end = day_bounds(first + datetime.timedelta(days=days - 1), zone)[1]
        return queryset.overlapping(start, end)

    def from_day(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(finishes_at__gte=day_bounds(value, self._zone())[0])

    def until_day(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(occurs_at__lt=day_bounds(value, self._zone())[1])

    def closed_from_day(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(completed_at__gte=day_bounds(value, self._zone())[0])

    def closed_until_day(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(completed_at__lt=day_bounds(value, self._zone())[1])

    def late(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.now())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
