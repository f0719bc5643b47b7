"""Reminders of activities: armed from the activity's time, handed out once by the worker.

An activity with a reminder keeps ``remind_at`` (its time less the chosen minutes) while it is
planned; moving it re-arms the reminder, closing it disarms it. Every minute the worker takes the
due ones: each is claimed with one atomic UPDATE (``... WHERE reminded_at IS NULL AND remind_at =
<the moment read>``), and in the same transaction the bell notifications and the e-mails of the
outbox are written. Two workers at once never both claim one reminder; a failed e-mail stays in
the outbox and is tried again (see notifications.services).
"""

from __future__ import annotations

import datetime
import zoneinfo

from babel import dates as babel_dates
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klientela.core.formatting import babel_locale
from klientela.notifications import services as notifications

from .models import Activity, ActivityPreferences, Reminder

# A reminder found this long after the activity began is dropped (the worker was down).
STALE_AFTER = datetime.timedelta(hours=1)
DUE_BATCH = 500
FALLBACK_DEFAULT = Reminder.MINUTES_15


# --- Preferences ------------------------------------------------------------------------------


def preferences_of(user) -> ActivityPreferences:
    preferences = getattr(user, "_activity_preferences", None)
    if preferences is None:
        preferences = ActivityPreferences.objects.filter(user=user).first()
        if preferences is None:
            preferences = ActivityPreferences(user=user)
        user._activity_preferences = preferences
    return preferences


def default_minutes(user) -> int | None:
    """The user's default reminder (a new activity's, unless chosen)."""
    if user is None or not getattr(user, "pk", None):
        return FALLBACK_DEFAULT
    return preferences_of(user).remind_minutes


@transaction.atomic
def update_preferences(
    *, actor, user, remind_minutes: int | None, email_reminders: bool
) -> ActivityPreferences:
    """Change one's own reminder default and whether reminders also come by e-mail."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if remind_minutes is not None and remind_minutes not in Reminder.values:
        raise ValidationError({"remind_minutes": _("Choose one of the offered reminders.")})
    preferences, _created = ActivityPreferences.objects.get_or_create(user=user)
    preferences.remind_minutes = remind_minutes
    preferences.email_reminders = email_reminders
    preferences.save(update_fields=["remind_minutes", "email_reminders"])
    user._activity_preferences = preferences
    return preferences


# --- Arming -----------------------------------------------------------------------------------


def arm(activity: Activity) -> None:
    """Keep ``remind_at`` from the (scheduled) time; a new moment re-arms a sent reminder."""
    if activity.status != Activity.Status.PLANNED or activity.remind_minutes is None:
        activity.remind_at = None
        return
    due = activity.occurs_at - datetime.timedelta(minutes=activity.remind_minutes)
    if due != activity.remind_at:
        activity.remind_at = due
        activity.reminded_at = None


def disarm(activity: Activity) -> None:
    activity.remind_at = None


# --- Sending ----------------------------------------------------------------------------------


def user_zone(user) -> zoneinfo.ZoneInfo:
    for name in (getattr(user, "timezone", ""), settings.TIME_ZONE):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def when_text(activity: Activity, zone, language: str) -> str:
    """``Tuesday, March 10, 2026, 14:30 (Europe/Warsaw)`` in the reader's language and zone."""
    locale = babel_locale(language)
    local = activity.occurs_at.astimezone(zone)
    day = babel_dates.format_date(local.date(), format="full", locale=locale)
    if activity.is_all_day:
        return day
    time = babel_dates.format_time(local, format="short", locale=locale)
    text = f"{day}, {time}"
    if activity.ends_at and activity.ends_at != activity.starts_at:
        end = activity.ends_at.astimezone(zone)
        if end.date() == local.date():
            text += f"\u2013{babel_dates.format_time(end, format='short', locale=locale)}"
    return f"{text} ({zone.key})"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reminder_text(activity: Activity, user) -> tuple[str, str]:
    """The subject and text of a reminder to ``user``, in their language and time zone."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        when = when_text(activity, user_zone(user), language)
        kind = activity.get_kind_display()
        if activity.kind == Activity.Kind.TASK:
            subject = _("Reminder: %(subject)s is due %(when)s")
        else:
            subject = _("Reminder: %(subject)s, %(when)s")
        subject = subject % {"subject": activity.subject, "when": when}
        lines = [f"{kind}: {activity.subject}", _("When: %(when)s") % {"when": when}]
        if activity.place:
            lines.append(_("Place: %(place)s") % {"place": activity.place})
        if activity.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": activity.phone})
        client = activity.client
        if client is not None:
            lines.append(_("Client: %(client)s") % {"client": client})
        if activity.deal_id:
            lines.append(_("Deal: %(deal)s") % {"deal": activity.deal})
        if activity.description:
            lines += ["", activity.description]
        lines += [
            "",
            _("Open it in Klientela: %(url)s") % {"url": absolute_url(activity.get_absolute_url())},
        ]
        return subject, "\n".join(lines)


def recipients(activity: Activity) -> list:
    """Who is reminded: the responsible and the colleagues who take part (active ones)."""
    users = []
    if activity.responsible is not None:
        users.append(activity.responsible)
    for user in activity.participants.all():
        if user.pk not in {known.pk for known in users}:
            users.append(user)
    return [user for user in users if user.is_active]


def _remind(activity: Activity, now: datetime.datetime) -> int:
    queued = 0
    for user in recipients(activity):
        subject, body = reminder_text(activity, user)
        # In the bell: "Call: Call Acme" over the time, place and client lines of the e-mail.
        first, *details = body.split("\n\n")[0].split("\n")
        notifications.notify(
            user=user,
            kind="reminder",
            title=first,
            body="\n".join(details),
            url=activity.get_absolute_url(),
        )
        if user.email and preferences_of(user).email_reminders:
            notifications.queue_email(
                to=user.email,
                subject=subject,
                body=body,
                key=f"reminder:{activity.pk}:{activity.remind_at.isoformat()}:{user.pk}",
                now=now,
            )
            queued += 1
    return queued


def queue_due_reminders(*, now: datetime.datetime | None = None, limit: int = DUE_BATCH) -> int:
    """Hand out the reminders due by ``now``: bell and outbox, each reminder once. Returns how
    many were handed out (skipped stale ones are marked as handled, not counted)."""
    now = now or timezone.now()
    due = list(
        Activity.objects.filter(
            remind_at__lte=now, reminded_at__isnull=True, status=Activity.Status.PLANNED
        )
        .order_by("remind_at", "id")
        .values_list("pk", "remind_at")[:limit]
    )
    handed_out = 0
    for pk, remind_at in due:
        with transaction.atomic():
            claimed = Activity.objects.filter(
                pk=pk,
                remind_at=remind_at,
                reminded_at__isnull=True,
                status=Activity.Status.PLANNED,
            ).update(reminded_at=now)
            if not claimed:
                continue  # another worker has it, or it moved or closed meanwhile
            activity = Activity.objects.select_related(
                "responsible", "organization", "person", "deal"
            ).get(pk=pk)
            if now - activity.occurs_at > STALE_AFTER:
                continue
            _remind(activity, now)
            handed_out += 1
    return handed_out
