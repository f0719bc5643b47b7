"""What activities add to other apps' pages: the agenda on Today, a panel on client and deal cards.

Registered with ``core.panels`` in ActivitiesConfig.ready(); each function gives its template's
context, or None when the user has nothing to see there.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from klientela.core import access
from klientela.core.timeline import timeline_for, timeline_sources

from . import feeds, reminders, services
from .forms import QuickActivityForm, ReminderPreferencesForm
from .models import Activity

TIMELINE_LIMIT = 50
# The audit history has its own place on every card.
HISTORY_SOURCE = "changes"


def agenda(request) -> dict | None:
    user = request.user
    if not access.can(user, access.Action.VIEW, Activity):
        return None
    return {
        "agenda": services.agenda(user),
        "may_plan": access.can(user, access.Action.CREATE, Activity),
    }


def card_panel(request, record) -> dict | None:
    """Plan an activity about this card; on a deal, also the deal's timeline of activities.

    Organizations and people show their activities in the card's own timeline, with the notes.
    """
    user = request.user
    may_view = access.can(user, access.Action.VIEW, Activity)
    may_plan = access.can(user, access.Action.CREATE, Activity)
    if not (may_view or may_plan):
        return None
    link = record._meta.model_name
    back_url = record.get_absolute_url()
    context = {
        "may_plan": may_plan,
        "plan_link": link,
        "plan_record": record,
        "plan_url": f"{reverse('activities:create')}?{urlencode({'next': back_url})}",
        "plan_more_url": f"{reverse('activities:create')}?"
        f"{urlencode({link: record.pk, 'next': back_url})}",
        "plan_form": QuickActivityForm(prefix_id=f"plan-{link}"),
        "has_own_timeline": link != "deal",
    }
    if link == "deal" and may_view:
        kinds = [source.key for source in timeline_sources(type(record))]
        context["activity_timeline"] = timeline_for(
            record,
            user=user,
            limit=TIMELINE_LIMIT,
            kinds=[key for key in kinds if key != HISTORY_SOURCE],
        )
    return context


def profile(request) -> dict | None:
    """Reminder settings and the calendar feed's address, on the user's own profile."""
    user = request.user
    if not user.is_authenticated:
        return None
    preferences = reminders.preferences_of(user)
    token = feeds.feed_token_of(user)
    form = ReminderPreferencesForm(
        initial={
            "remind_minutes": preferences.remind_minutes,
            "email_reminders": preferences.email_reminders,
        }
    )
    feed_url = request.build_absolute_uri(reverse("activities:feed", args=[token])) if token else ""
    return {"reminder_form": form, "feed_url": feed_url, "has_email": bool(user.email)}
