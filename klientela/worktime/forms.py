"""Forms of working time: logging time, a timesheet cell, absences, the report's filters.

Times are typed the way people say them: ``1:30``, ``1.5`` or ``1,5`` hours, ``90m``, ``2h``.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from klientela.accounts.models import Team
from klientela.core import access

from . import services
from .models import Absence, TimeEntry

TIME_HELP = _("Hours and minutes: 1:30, 1.5 or 90m.")
_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_HOURS = re.compile(r"^(\d{1,2}(?:[.,]\d{1,2})?)\s*h?$")
_MINUTES = re.compile(r"^(\d{1,4})\s*m(?:in)?$")


def parse_time(text: str) -> int:
    """Minutes from ``1:30``, ``1.5``, ``1,5``, ``2h`` or ``90m``; empty is 0."""
    text = (text or "").strip().lower()
    if not text:
        return 0
    if match := _CLOCK.match(text):
        return int(match[1]) * 60 + int(match[2])
    if match := _MINUTES.match(text):
        return int(match[1])
    if match := _HOURS.match(text):
        return round(float(match[1].replace(",", ".")) * 60)
    raise ValidationError(_("Write the time as 1:30, 1.5 or 90m."), code="time")


def format_minutes(minutes: int) -> str:
    """``90`` -> ``1:30``; what the timesheet cells show and take back."""
    if not minutes:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


class TimeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", TIME_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        return parse_time(super().clean(value))


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LogTimeForm(forms.Form):
    """Time on one activity (the activity's card) or on any work (the timesheet)."""

    day = forms.DateField(label=_("Day"), widget=date_input())
    time = TimeField(label=_("Time"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, prefix_id: str = "log", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)

    def clean_time(self):
        minutes = self.cleaned_data["time"]
        if minutes <= 0:
            raise ValidationError(_("Log at least one minute."))
        return minutes


class TimeEntryFilter(django_filters.FilterSet):
    """The list of time entries (the report's drill-down) and the API share it."""

    user = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=get_user_model().objects.filter(is_active=True)
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="day", lookup_expr="gte", widget=date_input()
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="day", lookup_expr="lte", widget=date_input()
    )
    activity = django_filters.NumberFilter(label=_("Activity"), field_name="activity_id")

    class Meta:
        model = TimeEntry
        fields = ["user", "since", "until", "activity"]


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["user", "kind", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        action = access.Action.EDIT if self.instance.pk else access.Action.CREATE
        people = services.people_in_scope(actor, services.ABSENCE, action)
        self.fields["user"].queryset = people
        self.fields["user"].required = False
        if not self.instance.pk:
            self.initial.setdefault("user", actor.pk)
        else:
            self.fields["user"].disabled = True
        if people.count() <= 1:
            self.fields["user"].widget = forms.HiddenInput()

    def _post_clean(self):
        # The service checks the absence as a whole and puts its errors back on the fields.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("user", None)
        return data


PERIODS = [
    ("week", _("This week")),
    ("month", _("This month")),
    ("last_30_days", _("Last 30 days")),
    ("custom", _("Custom")),
]


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("Until"), required=False, widget=date_input())
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(viewer, services.MANAGER_REPORT, access.Action.VIEW)
        if scope != access.Scope.ALL:
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        from .reports import period_bounds

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") or data.get("end"):
            first, last = period_bounds(data.get("period") or "week", today)
            return data.get("start") or first, data.get("end") or last
        return period_bounds(data.get("period") or "week", today)
