"""Invitations to meetings: the people who take part get an e-mail with the event attached
(``.ics``, METHOD:REQUEST), again when its time or place changes, and METHOD:CANCEL when it is
called off or they are taken off it. Colleagues also find it in their bell.

The e-mails go to the outbox in the transaction of the change and leave with the background
sender, like reminders: a change that is rolled back invites nobody.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klientela.notifications import services as notifications

from . import feeds
from .models import Activity
from .reminders import absolute_url, user_zone, when_text

REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    user: object | None = None


def is_invited(activity: Activity) -> bool:
    return activity.kind == Activity.Kind.MEETING


def attendees(activity: Activity) -> list[Attendee]:
    """Colleagues (other than the organizer) and the client's people who have an e-mail."""
    found: dict[str, Attendee] = {}
    for user in activity.participants.all():
        if user.is_active and user.email and user.pk != activity.responsible_id:
            found.setdefault(user.email.lower(), Attendee(user.email, str(user), user))
    for person in activity.contacts.all():
        email = person.primary_email
        address = getattr(email, "address", "") if email is not None else ""
        if address:
            found.setdefault(address.lower(), Attendee(address, str(person)))
    return list(found.values())


def state(activity: Activity) -> dict:
    """What an invitation depends on, to compare before and after a change."""
    return {
        "kind": activity.kind,
        "status": activity.status,
        "times": (activity.starts_at, activity.ends_at, activity.is_all_day),
        "place": activity.place,
        "attendees": {attendee.email.lower(): attendee for attendee in attendees(activity)}
        if activity.pk and is_invited(activity)
        else {},
    }


def moved(before: dict, activity: Activity) -> bool:
    """Did the time or place change (the invitation's SEQUENCE goes up)?"""
    return before["times"] != (
        activity.starts_at,
        activity.ends_at,
        activity.is_all_day,
    ) or before["place"] != (activity.place or "")


def _organizer(activity: Activity) -> tuple[str, str]:
    responsible = activity.responsible
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if responsible is not None and responsible.email:
        return str(responsible), responsible.email
    return name or "Klientela", address


def calendar_text(activity: Activity, method: str, invited: list[Attendee]) -> str:
    now = timezone.now()
    calendar = feeds.new_calendar(method)
    event = feeds.component(activity, now=now, status="CANCELLED" if method == CANCEL else "")
    name, address = _organizer(activity)
    organizer = feeds.icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name
    event.add("organizer", organizer)
    for attendee in invited:
        line = feeds.icalendar.vCalAddress(f"mailto:{attendee.email}")
        line.params["cn"] = attendee.name
        line.params["role"] = "REQ-PARTICIPANT"
        line.params["partstat"] = "NEEDS-ACTION"
        line.params["rsvp"] = "TRUE"
        event.add("attendee", line)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _texts(activity: Activity, attendee: Attendee, method: str, is_update: bool):
    reader = attendee.user or activity.responsible
    language = getattr(reader, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        when = when_text(activity, user_zone(reader), language)
        values = {"subject": activity.subject, "when": when}
        organizer = _organizer(activity)[0]
        if method == CANCEL:
            subject = _("Cancelled: %(subject)s, %(when)s") % values
            first = _("%(organizer)s has cancelled this meeting.") % {"organizer": organizer}
        elif is_update:
            subject = _("Updated invitation: %(subject)s, %(when)s") % values
            first = _("%(organizer)s has changed this meeting.") % {"organizer": organizer}
        else:
            subject = _("Invitation: %(subject)s, %(when)s") % values
            first = _("%(organizer)s invites you to a meeting.") % {"organizer": organizer}
        lines = [first, "", activity.subject, _("When: %(when)s") % {"when": when}]
        if activity.place:
            lines.append(_("Place: %(place)s") % {"place": activity.place})
        if activity.description:
            lines += ["", activity.description]
        lines += ["", _("The attached file adds it to your calendar.")]
        if attendee.user is not None:
            lines.append(
                _("Open it in Klientela: %(url)s")
                % {"url": absolute_url(activity.get_absolute_url())}
            )
        return subject, "\n".join(lines)


def _send(
    activity: Activity,
    method: str,
    invited: list[Attendee],
    *,
    listed: list[Attendee] | None = None,
    is_update: bool = False,
) -> int:
    """Queue the e-mails to ``invited``; the event lists ``listed`` (all who take part)."""
    if not invited:
        return 0
    calendar = calendar_text(activity, method, listed or invited)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
    for attendee in invited:
        subject, body = _texts(activity, attendee, method, is_update)
        notifications.queue_email(
            to=attendee.email,
            subject=subject,
            body=body,
            calendar=calendar,
            calendar_method=method,
            key=f"invitation:{activity.pk}:{activity.sequence}:{method}:{stamp}",
        )
        if attendee.user is not None:
            notifications.notify(
                user=attendee.user,
                kind="invitation",
                title=subject,
                body=body.split("\n")[0],
                url=activity.get_absolute_url(),
            )
    notifications.send_soon()
    return len(invited)


def after_create(activity: Activity) -> int:
    if not is_invited(activity) or activity.status != Activity.Status.PLANNED:
        return 0
    return _send(activity, REQUEST, attendees(activity))


def after_update(activity: Activity, before: dict) -> int:
    """Invite the new people; everyone again if the time or place moved; cancel for those
    taken off."""
    was_invited = before["kind"] == Activity.Kind.MEETING
    if activity.status != Activity.Status.PLANNED or not (was_invited or is_invited(activity)):
        return 0
    old = before["attendees"] if was_invited else {}
    now = {attendee.email.lower(): attendee for attendee in attendees(activity)}
    if not is_invited(activity):
        return _send(activity, CANCEL, list(old.values()))
    removed = [attendee for key, attendee in old.items() if key not in now]
    sent = _send(activity, CANCEL, removed) if removed else 0
    if moved(before, activity) and old:
        return sent + _send(activity, REQUEST, list(now.values()), is_update=True)
    added = [attendee for key, attendee in now.items() if key not in old]
    return sent + _send(activity, REQUEST, added, listed=list(now.values()))


def after_cancel(activity: Activity) -> int:
    if not is_invited(activity):
        return 0
    return _send(activity, CANCEL, attendees(activity))
