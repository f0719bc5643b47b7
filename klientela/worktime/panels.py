"""The "Working time" panel on an activity's card: time logged on it and a quick form to log more.

Registered with ``core.panels`` in WorktimeConfig.ready().
"""

from __future__ import annotations

from django.urls import reverse

from klientela.core import access

from . import services
from .forms import LogTimeForm
from .models import TimeEntry


def activity_panel(request, activity, form=None) -> dict | None:
    user = request.user
    may_log = access.can_assign(user, services.TIME_ENTRY, access.Action.CREATE, user)
    if not (may_log or access.can(user, access.Action.VIEW, TimeEntry)):
        return None
    entries = list(services.entries_of_activity(activity, user=user))
    return {
        "activity": activity,
        "entries": entries,
        "total_minutes": sum(entry.minutes for entry in entries),
        "may_log": may_log,
        "log_form": form or LogTimeForm(initial={"day": services.today_of(user)}),
        "log_url": reverse("worktime:log_on_activity", args=[activity.pk]),
        "timesheet_url": reverse("worktime:timesheet"),
    }
