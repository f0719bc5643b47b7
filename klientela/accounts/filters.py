"""Filters of the users list, shared by the settings page and (later) the API."""

import operator
from functools import reduce

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Role, Team, User

USER_SEARCH_FIELDS = ("username", "first_name", "last_name", "email", "phone")


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="search")
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        queryset=Team.objects.all(),
        empty_label=_("All teams"),
        null_label=_("No team"),
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Role"),
        queryset=Role.objects.all(),
        empty_label=_("All roles"),
        null_label=_("No role"),
    )
    is_active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(
            choices=[
                ("", _("Active and inactive")),
                ("true", _("Active")),
                ("false", _("Inactive")),
            ]
        ),
    )

    class Meta:
        model = User
        fields = ["q", "team", "role", "is_active"]

    def search(self, queryset, name, value):
        for word in value.split():
            matches = [Q(**{f"{field}__icontains": word}) for field in USER_SEARCH_FIELDS]
            queryset = queryset.filter(reduce(operator.or_, matches))
        return queryset
