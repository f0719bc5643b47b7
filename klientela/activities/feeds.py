"""iCalendar for activities: a user's private feed (subscribed by Outlook, Thunderbird, phones)
and the event of an invitation.

Times are written in UTC (``...Z``), so no VTIMEZONE is needed; all-day activities are dates.
Calls, meetings and e-mails are events (VEVENT); tasks are to-dos (VTODO) with their DUE.
"""

from __future__ import annotations

import datetime
import secrets
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klientela.core import access

from .models import Activity, ActivityPreferences
from .reminders import user_zone

PRODID = "-//Klientela//Klientela CRM//EN"
FEED_DAYS_BACK = 60
FEED_LIMIT = 5000
UTC = datetime.UTC

EVENT_STATUS = {"planned": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}
TODO_STATUS = {"planned": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}


def uid_of(activity: Activity) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "klientela"
    return f"activity-{activity.pk}@{host}"


def new_calendar(method: str = "") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(UTC)


def _description(activity: Activity) -> str:
    lines = []
    client = activity.client
    if client is not None:
        lines.append(_("Client: %(client)s") % {"client": client})
    if activity.deal_id:
        lines.append(_("Deal: %(deal)s") % {"deal": activity.deal})
    if activity.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": activity.phone})
    if activity.description:
        lines.append(activity.description)
    if activity.result:
        lines.append(_("Result: %(result)s") % {"result": activity.result})
    lines.append(f"{settings.SITE_URL}{activity.get_absolute_url()}")
    return "\n".join(lines)


def component(activity: Activity, *, now: datetime.datetime | None = None, status: str = ""):
    """The VEVENT (or a task's VTODO) of an activity."""
    now = now or timezone.now()
    is_task = activity.kind == Activity.Kind.TASK
    item = icalendar.Todo() if is_task else icalendar.Event()
    item.add("uid", uid_of(activity))
    item.add("dtstamp", _utc(now))
    item.add("sequence", activity.sequence)
    item.add("summary", activity.subject)
    item.add("description", _description(activity))
    if activity.place:
        item.add("location", activity.place)
    if activity.updated_at:
        item.add("last-modified", _utc(activity.updated_at))
    if activity.is_all_day:
        # Dates, in the responsible's days (occurs_at / finishes_at are their midnights).
        zone = user_zone(activity.responsible)
        first = activity.occurs_at.astimezone(zone).date()
        if is_task:
            item.add("due", first)
        else:
            item.add("dtstart", first)
            last = activity.finishes_at.astimezone(zone).date()
            item.add("dtend", last if last > first else first + datetime.timedelta(days=1))
    elif is_task:
        item.add("due", _utc(activity.due_at or activity.occurs_at))
    else:
        item.add("dtstart", _utc(activity.starts_at or activity.occurs_at))
        if activity.ends_at and activity.ends_at > activity.starts_at:
            item.add("dtend", _utc(activity.ends_at))
    states = TODO_STATUS if is_task else EVENT_STATUS
    item.add("status", status or states[activity.status])
    if is_task and activity.status == Activity.Status.DONE and activity.completed_at:
        item.add("completed", _utc(activity.completed_at))
    item.add("categories", [activity.get_kind_display()])
    return item


# --- The private feed -------------------------------------------------------------------------


def feed_activities(user, *, now: datetime.datetime | None = None):
    """What the owner's feed lists: their own agenda they may see, the past 60 days and on."""
    now = now or timezone.now()
    if not access.can(user, access.Action.VIEW, Activity):
        return Activity.objects.none()  # as the agenda: no role to see activities, nothing
    since = now - datetime.timedelta(days=FEED_DAYS_BACK)
    return (
        Activity.objects.visible_to(user)
        .of_user(user)
        .filter(finishes_at__gte=since)
        .select_related("organization", "person", "deal", "responsible")
        .order_by("occurs_at", "id")[:FEED_LIMIT]
    )


def feed(user, *, now: datetime.datetime | None = None) -> bytes:
    """The feed, its texts in the owner's language (a calendar program sends no session)."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return _feed(user, now=now)


def _feed(user, *, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    # PUBLISH: a read-only calendar (Outlook's internet calendars expect it).
    calendar = new_calendar("PUBLISH")
    calendar.add("x-wr-calname", _("Klientela: %(user)s") % {"user": user})
    calendar.add("x-published-ttl", "PT15M")
    calendar.add(
        "refresh-interval", datetime.timedelta(minutes=15), parameters={"value": "DURATION"}
    )
    for activity in feed_activities(user, now=now):
        calendar.add_component(component(activity, now=now))
    return calendar.to_ical()


def feed_owner(token: str):
    """The active user whose feed address holds ``token``, or None."""
    if not token or len(token) > 64:
        return None
    preferences = (
        ActivityPreferences.objects.filter(feed_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return preferences.user if preferences is not None else None


def feed_token_of(user) -> str:
    preferences = ActivityPreferences.objects.filter(user=user).first()
    return (preferences.feed_token or "") if preferences is not None else ""


@transaction.atomic
def regenerate_feed(*, actor, user) -> str:
    """A new secret address for the user's feed; the old one stops working at once."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    preferences, _created = ActivityPreferences.objects.select_for_update().get_or_create(user=user)
    preferences.feed_token = secrets.token_urlsafe(32)
    preferences.feed_created_at = timezone.now()
    preferences.save(update_fields=["feed_token", "feed_created_at"])
    return preferences.feed_token


@transaction.atomic
def stop_feed(*, actor, user) -> None:
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    ActivityPreferences.objects.filter(user=user).update(feed_token=None, feed_created_at=None)
