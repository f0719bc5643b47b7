"""Activity rules: planning, changing, completing (with a follow-up) and cancelling; the agenda.

"Today" and "overdue" are read in the time zone of the user they are for (their profile's), not
the server's: a manager in Vladivostok starts a new day nine hours before one in Warsaw.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klientela.core import access
from klientela.core.audit import record_create, record_delete, record_update, snapshot

from . import bookings, invitations, reminders
from .models import Activity, ChecklistItem, RoomBooking

ENTITY = "activity"
EDITABLE_FIELDS = (
    "kind",
    "subject",
    "description",
    "starts_at",
    "ends_at",
    "due_at",
    "is_all_day",
    "priority",
    "direction",
    "phone",
    "duration",
    "place",
    "organization",
    "person",
    "deal",
    "responsible",
    "parent",
    "remind_minutes",
)
# The cards an activity links to, and the field that names each.
LINKS = ("organization", "person", "deal")
# "Leave the room as it is" for the services' ``room`` argument (None gives the room up).
KEEP = object()
# The agenda lists at most this many activities per section.
AGENDA_LIMIT = 50
UPCOMING_DAYS = 7
UPCOMING_LIMIT = 10


class Completed(NamedTuple):
    activity: Activity
    follow_up: Activity | None


# Other apps act in the same transaction when an activity is completed (working time logs the
# time spent): hook(actor=, activity=, time_spent=, day=) -> None. They register in ready().
_completion_hooks: dict[str, Any] = {}


def register_completion_hook(key: str, hook) -> None:
    _completion_hooks[key] = hook


def unregister_completion_hook(key: str) -> None:
    _completion_hooks.pop(key, None)


@dataclass(frozen=True)
class CalendarMark:
    """A whole-day period another app shows in calendars (an absence): days [starts, ends]."""

    key: str
    user_id: int
    title: str
    starts: datetime.date
    ends: datetime.date
    kind: str = ""


# Other apps add whole-day periods to the calendar of the people shown (working time adds
# absences): source(viewer=, user_ids=, start=, end=) -> list[CalendarMark]; register in ready().
_calendar_sources: dict[str, Any] = {}


def register_calendar_source(key: str, source) -> None:
    _calendar_sources[key] = source


def calendar_marks(viewer, user_ids: list[int], start: datetime.date, end: datetime.date):
    """What the registered sources show for ``user_ids`` on the days ``start`` to ``end``; each
    source decides what ``viewer`` may see."""
    return [
        mark
        for source in _calendar_sources.values()
        for mark in source(viewer=viewer, user_ids=user_ids, start=start, end=end)
    ]


# --- Time zones -------------------------------------------------------------------------------


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The user's time zone (their profile's), or the installation's."""
    for name in (getattr(user, "timezone", ""), settings.TIME_ZONE):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def day_bounds(day: datetime.date, zone) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``day`` and of the day after, in ``zone``."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start, end


def _aware(value: datetime.datetime | None, zone) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, zone)
    return value


def _midnight(value: datetime.datetime, zone) -> datetime.datetime:
    return day_bounds(value.astimezone(zone).date(), zone)[0]


# --- Checks -----------------------------------------------------------------------------------


def _schedule(activity: Activity) -> None:
    """Check the times the kind needs and keep ``occurs_at`` / ``finishes_at`` from them."""
    zone = zone_of(activity.responsible)
    activity.starts_at = _aware(activity.starts_at, zone)
    activity.ends_at = _aware(activity.ends_at, zone)
    activity.due_at = _aware(activity.due_at, zone)
    if activity.kind == Activity.Kind.TASK:
        activity.starts_at = activity.ends_at = None
        if activity.due_at is None:
            raise ValidationError({"due_at": _("Say when the task is due.")})
        first = last = activity.due_at
    else:
        activity.due_at = None
        if activity.starts_at is None:
            raise ValidationError({"starts_at": _("Say when it takes place.")})
        if activity.ends_at is not None and activity.ends_at < activity.starts_at:
            raise ValidationError({"ends_at": _("The end cannot be before the start.")})
        first, last = activity.starts_at, activity.ends_at or activity.starts_at
    if activity.is_all_day:
        first, last = _midnight(first, zone), _midnight(last, zone)
        if activity.kind == Activity.Kind.TASK:
            activity.due_at = first
        else:
            activity.starts_at = first
            activity.ends_at = last if activity.ends_at is not None else None
        last = day_bounds(last.astimezone(zone).date(), zone)[1]
    activity.occurs_at, activity.finishes_at = first, last


def _check(activity: Activity) -> None:
    activity.subject = (activity.subject or "").strip()
    if not activity.subject:
        raise ValidationError({"subject": _("Say what the activity is about.")})
    if activity.kind != Activity.Kind.CALL:
        activity.direction = ""
    elif not activity.direction:
        activity.direction = Activity.Direction.OUTGOING
    if activity.duration is not None and activity.duration < datetime.timedelta(0):
        raise ValidationError({"duration": _("A duration cannot be negative.")})
    parent = activity.parent
    if parent is not None:
        if activity.kind != Activity.Kind.TASK:
            raise ValidationError({"parent": _("Only a task can be a subtask.")})
        if parent.pk == activity.pk or parent.kind != Activity.Kind.TASK:
            raise ValidationError({"parent": _("A subtask belongs to another task.")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("A subtask cannot have subtasks of its own.")})
        if activity.pk and activity.subtasks.exists():
            raise ValidationError({"parent": _("A task with subtasks cannot become a subtask.")})
    _schedule(activity)


def _check_links(actor, activity: Activity) -> None:
    """A user links an activity only to cards and deals they may see."""
    if actor is None:
        return
    for name in LINKS:
        linked = getattr(activity, name)
        if linked is not None and not access.can(actor, access.Action.VIEW, linked):
            raise ValidationError({name: _("Choose a record you can see.")})
    parent = activity.parent
    if parent is not None and not Activity.objects.visible_to(actor).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("Choose a record you can see.")})


def _check_contacts(actor, contacts) -> None:
    if actor is None:
        return
    for person in contacts:
        if not access.can(actor, access.Action.VIEW, person):
            raise ValidationError({"contacts": _("Choose a record you can see.")})


def _require_assign(actor, action: str, owner) -> None:
    if actor is not None and not access.can_assign(actor, ENTITY, action, owner):
        raise PermissionDenied(_("You may not make this user responsible for the record."))


def _fill_from_deal(activity: Activity) -> None:
    """An activity about a deal is also about the deal's client, unless told otherwise."""
    deal = activity.deal
    if deal is not None:
        if activity.organization_id is None:
            activity.organization_id = deal.organization_id
        if activity.person_id is None:
            activity.person_id = deal.person_id


def _names(items) -> str:
    return ", ".join(sorted(str(item) for item in items))


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def create_activity(
    *,
    actor,
    kind: str,
    subject: str,
    participants=(),
    contacts=(),
    checklist=(),
    follow_up_of: Activity | None = None,
    room=None,
    **fields: Any,
) -> Activity:
    """Plan an activity (or record one already done, then complete it); a meeting may book a
    room."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    fields.setdefault("responsible", actor)
    if "remind_minutes" not in fields:
        fields["remind_minutes"] = reminders.default_minutes(fields["responsible"])
    if actor is not None:
        access.require(actor, access.Action.CREATE, Activity)
        _require_assign(actor, access.Action.CREATE, fields["responsible"])
    activity = Activity(
        kind=kind,
        subject=subject,
        created_by=actor if getattr(actor, "pk", None) else None,
        follow_up_of=follow_up_of,
        **fields,
    )
    _fill_from_deal(activity)
    _check(activity)
    _check_links(actor, activity)
    contacts = list(contacts)
    _check_contacts(actor, contacts)
    activity.full_clean(exclude=["occurs_at", "finishes_at", "direction"])
    reminders.arm(activity)
    activity.save()
    if participants:
        activity.participants.set(participants)
    if contacts:
        activity.contacts.set(contacts)
    invitations.after_create(activity)
    texts = [text.strip() for text in checklist if text and text.strip()]
    if texts:
        if activity.kind != Activity.Kind.TASK:
            raise ValidationError({"checklist": _("Only tasks have a checklist.")})
        ChecklistItem.objects.bulk_create(
            ChecklistItem(activity=activity, text=text, order=order)
            for order, text in enumerate(texts)
        )
    if room is not None:
        bookings.book_room(activity, room)
    record_create(activity, actor=actor)
    return activity


@transaction.atomic
def update_activity(
    *, actor, activity: Activity, participants=None, contacts=None, room=KEEP, **fields: Any
) -> Activity:
    """Change what is planned; the status changes only by completing or cancelling.

    A booked room moves with the meeting's time, or the change is refused when the room is taken
    then; ``room`` books another one (None gives it up).
    """
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
        if "responsible" in fields:
            _require_assign(actor, access.Action.EDIT, fields["responsible"])
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    Activity.objects.select_for_update().filter(pk=activity.pk).exists()
    before = snapshot(activity)
    invited_before = invitations.state(activity)
    extra = {}
    for name, value in fields.items():
        setattr(activity, name, value)
    _check(activity)
    _check_links(actor, activity)
    activity.full_clean(exclude=["occurs_at", "finishes_at", "direction"])
    reminders.arm(activity)
    if invitations.moved(invited_before, activity):
        activity.sequence += 1
    activity.save()
    for name, values in (("participants", participants), ("contacts", contacts)):
        if values is None:
            continue
        values = list(values)
        if name == "contacts":
            _check_contacts(actor, values)
        related = getattr(activity, name)
        old = _names(related.all())
        related.set(values)
        new = _names(values)
        if old != new:
            label = str(Activity._meta.get_field(name).verbose_name)
            extra[name] = {"label": label, "old": old, "new": new}
    if room is KEEP:
        bookings.follow_times(activity)
    else:
        old_room = bookings.room_of(activity)
        bookings.book_room(activity, room)
        if old_room != room:
            label = str(_("Room"))
            extra["room"] = {"label": label, "old": str(old_room or ""), "new": str(room or "")}
    record_update(activity, before, actor=actor, extra=extra)
    invitations.after_update(activity, invited_before)
    return activity


def _lock(activity: Activity) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status != Activity.Status.PLANNED:
        raise ValidationError(_("This activity is already closed."), code="closed")
    return locked


@transaction.atomic
def complete_activity(
    *,
    actor,
    activity: Activity,
    result: str,
    duration: datetime.timedelta | None = None,
    follow_up: dict | None = None,
    now: datetime.datetime | None = None,
    time_spent: datetime.timedelta | None = None,
) -> Completed:
    """Mark an activity done with its result; optionally plan the next one in the same step.

    ``time_spent`` goes to the completion hooks (the completing user's timesheet, for today).

    ``follow_up`` holds the next activity's fields (kind, subject, starts_at or due_at, ...): it is
    linked to the same cards and deal, planned for the same responsible unless given, and
    remembers what it follows. If it is refused, the completion is undone too.
    """
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
    locked = _lock(activity)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("Say how it went: the result is required.")})
    if locked.subtasks.filter(status=Activity.Status.PLANNED).exists():
        raise ValidationError(_("Complete or cancel the subtasks first."), code="subtasks")
    if duration is not None and duration < datetime.timedelta(0):
        raise ValidationError({"duration": _("A duration cannot be negative.")})
    before = snapshot(locked, ["status", "result", "completed_at", "duration"])
    locked.status = Activity.Status.DONE
    locked.result = result
    locked.completed_at = now or timezone.now()
    locked.completed_by = actor if getattr(actor, "pk", None) else None
    if duration is not None:
        locked.duration = duration
    reminders.disarm(locked)
    locked.save()
    record_update(locked, before, actor=actor)
    if time_spent:
        day = locked.completed_at.astimezone(zone_of(actor or locked.responsible)).date()
        for hook in _completion_hooks.values():
            hook(actor=actor, activity=locked, time_spent=time_spent, day=day)
    planned = None
    if follow_up:
        planned = _plan_follow_up(actor, locked, dict(follow_up))
    _copy_state(locked, activity)
    return Completed(activity, planned)


def _plan_follow_up(actor, activity: Activity, values: dict) -> Activity:
    values.setdefault("responsible", activity.responsible)
    for name in LINKS:
        values.setdefault(name, getattr(activity, name))
    values.setdefault("kind", activity.kind)
    values.setdefault("subject", activity.subject)
    try:
        return create_activity(actor=actor, follow_up_of=activity, **values)
    except ValidationError as error:
        # Name the follow-up's fields apart from the completed activity's own.
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {f"follow_up_{name}": messages for name, messages in error.error_dict.items()}
            ) from error
        raise


def _copy_state(source: Activity, target: Activity) -> None:
    if source is not target:
        for name in (
            "status",
            "result",
            "completed_at",
            "completed_by_id",
            "duration",
            "remind_at",
            "sequence",
        ):
            setattr(target, name, getattr(source, name))


@transaction.atomic
def cancel_activity(*, actor, activity: Activity, reason: str = "") -> Activity:
    """Call off a planned activity (and a task's open subtasks), saying why if known."""
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
    locked = _lock(activity)
    before = snapshot(locked, ["status", "result", "completed_at"])
    now = timezone.now()
    locked.status = Activity.Status.CANCELLED
    locked.result = (reason or "").strip()
    locked.completed_at = now
    locked.completed_by = actor if getattr(actor, "pk", None) else None
    reminders.disarm(locked)
    if invitations.is_invited(locked):
        locked.sequence += 1
    locked.save()
    # A cancelled meeting frees its room.
    bookings.book_room(locked, None)
    record_update(locked, before, actor=actor)
    invitations.after_cancel(locked)
    for subtask in locked.subtasks.filter(status=Activity.Status.PLANNED):
        cancel_activity(actor=None, activity=subtask, reason=locked.result)
    _copy_state(locked, activity)
    return activity


@transaction.atomic
def delete_activity(*, actor, activity: Activity) -> None:
    if actor is not None:
        access.require(actor, access.Action.DELETE, activity)
    if activity.status == Activity.Status.PLANNED and invitations.is_invited(activity):
        # Those invited learn it is off, as when it is cancelled.
        activity.sequence += 1
        invitations.after_cancel(activity)
    record_delete(activity, actor=actor)
    activity.delete()


# --- Checklist --------------------------------------------------------------------------------


def _checklist_changed(actor, activity: Activity, old: str, new: str) -> None:
    record_update(
        activity,
        {},
        actor=actor,
        extra={"checklist": {"label": str(_("Checklist")), "old": old, "new": new}},
    )


@transaction.atomic
def add_checklist_item(*, actor, activity: Activity, text: str) -> ChecklistItem:
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
    if activity.kind != Activity.Kind.TASK:
        raise ValidationError({"text": _("Only tasks have a checklist.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what is to be done.")})
    order = activity.checklist.count()
    item = ChecklistItem(activity=activity, text=text, order=order)
    item.full_clean(exclude=["activity"])
    item.save()
    _checklist_changed(actor, activity, "", text)
    return item


@transaction.atomic
def set_checklist_item_done(*, actor, item: ChecklistItem, is_done: bool) -> ChecklistItem:
    activity = item.activity
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
    if item.is_done != is_done:
        item.is_done = is_done
        item.save(update_fields=["is_done"])
        mark = "✓" if is_done else "○"
        _checklist_changed(actor, activity, "", f"{mark} {item.text}")
    return item


@transaction.atomic
def remove_checklist_item(*, actor, item: ChecklistItem) -> None:
    activity = item.activity
    if actor is not None:
        access.require(actor, access.Action.EDIT, activity)
    _checklist_changed(actor, activity, item.text, "")
    item.delete()


# --- Reading: who may change, how late, the agenda, card timelines -----------------------------


def may_change(user, activity: Activity, scope: str | None = None) -> bool:
    """``access.can(user, "edit", activity)`` without a query per row (lists and timelines)."""
    scope = scope or access.scope_for(user, ENTITY, access.Action.EDIT)
    if scope == access.Scope.ALL:
        return True
    if scope == access.Scope.NONE:
        return False
    if activity.responsible_id is not None and activity.responsible_id == user.pk:
        return True
    return (
        scope == access.Scope.TEAM
        and user.team_id is not None
        and activity.responsible_team_id == user.team_id
    )


def deadline_day(activity: Activity, zone) -> datetime.date:
    """The day by which it should be over: an all-day activity's last day, else its end's day."""
    moment = activity.finishes_at
    if activity.is_all_day:
        moment -= datetime.timedelta(microseconds=1)
    return moment.astimezone(zone).date()


def lateness(activity: Activity, *, now: datetime.datetime, zone) -> str:
    """``"2 days overdue"`` (in the reader's zone), ``"3 hours overdue"``, or "" when not late."""
    if activity.status != Activity.Status.PLANNED or activity.finishes_at > now:
        return ""
    days = (now.astimezone(zone).date() - deadline_day(activity, zone)).days
    if days >= 1:
        return ngettext("%(count)d day overdue", "%(count)d days overdue", days) % {"count": days}
    late = now - activity.finishes_at
    hours = int(late / datetime.timedelta(hours=1))
    if hours >= 1:
        return ngettext("%(count)d hour overdue", "%(count)d hours overdue", hours) % {
            "count": hours
        }
    minutes = max(int(late / datetime.timedelta(minutes=1)), 1)
    return ngettext("%(count)d minute overdue", "%(count)d minutes overdue", minutes) % {
        "count": minutes
    }


@dataclass
class Agenda:
    """A user's day: what takes place today, what is overdue from before, what comes next."""

    day: datetime.date
    now: datetime.datetime
    zone: Any
    today: list[Activity] = field(default_factory=list)
    overdue: list[Activity] = field(default_factory=list)
    upcoming: list[Activity] = field(default_factory=list)

    @property
    def done_today(self) -> int:
        return sum(1 for activity in self.today if activity.status == Activity.Status.DONE)

    @property
    def is_empty(self) -> bool:
        return not (self.today or self.overdue or self.upcoming)


AGENDA_RELATED = ("organization", "person", "deal")


def _mark(activities, *, user, now, zone, scope) -> list[Activity]:
    marked = list(activities)
    for activity in marked:
        activity.lateness = lateness(activity, now=now, zone=zone)
        activity.may_change = may_change(user, activity, scope)
    return marked


def agenda(user, *, now: datetime.datetime | None = None) -> Agenda:
    """The user's agenda for their today, in their time zone: three queries, however many rows."""
    now = now or timezone.now()
    zone = zone_of(user)
    day = now.astimezone(zone).date()
    day_start, day_end = day_bounds(day, zone)
    mine = Activity.objects.visible_to(user).of_user(user).select_related(*AGENDA_RELATED)
    scope = access.scope_for(user, ENTITY, access.Action.EDIT)
    marks = {"user": user, "now": now, "zone": zone, "scope": scope}
    today = (
        mine.exclude(status=Activity.Status.CANCELLED)
        .overlapping(day_start, day_end)
        .order_by("-is_all_day", "occurs_at", "id")[:AGENDA_LIMIT]
    )
    overdue = (
        mine.planned()
        .filter(finishes_at__lte=day_start, occurs_at__lt=day_start)
        .order_by("finishes_at", "id")[:AGENDA_LIMIT]
    )
    upcoming = (
        mine.planned()
        .filter(
            occurs_at__gte=day_end, occurs_at__lt=day_end + datetime.timedelta(days=UPCOMING_DAYS)
        )
        .order_by("occurs_at", "id")[:UPCOMING_LIMIT]
    )
    return Agenda(
        day=day,
        now=now,
        zone=zone,
        today=_mark(today, **marks),
        overdue=_mark(overdue, **marks),
        upcoming=_mark(upcoming, **marks),
    )


def activities_about(record, *, user):
    """The activities of a card or a deal the user may see, newest first."""
    return (
        Activity.objects.visible_to(user)
        .about(record)
        .select_related("responsible")
        .order_by("-occurs_at", "-id")
    )


def activity_items(record, *, user, limit: int) -> list:
    """The timeline source of activities on organization, person and deal cards."""
    from klientela.core.timeline import TimelineItem

    now = timezone.now()
    zone = zone_of(user)
    scope = access.scope_for(user, ENTITY, access.Action.EDIT)
    activities = _mark(
        activities_about(record, user=user)[:limit], user=user, now=now, zone=zone, scope=scope
    )
    back_url = record.get_absolute_url()
    return [
        TimelineItem(
            at=activity.occurs_at,
            kind="activity",
            title=activity.subject,
            actor=activity.responsible,
            body=activity.result or activity.description,
            source_object=activity,
            details={"back_url": back_url},
            template="activities/includes/timeline_item.html",
        )
        for activity in activities
    ]


def hand_over_open_activities(hand_over) -> int:
    """Planned activities of handed-over clients follow when they were the previous owner's."""
    link = f"{hand_over.model._meta.model_name}_id"
    by_owner: dict = {}
    for record_id, previous_owner_id in hand_over.previous_owner_ids.items():
        by_owner.setdefault(previous_owner_id, []).append(record_id)
    moved = 0
    for previous_owner_id, record_ids in by_owner.items():
        moved += (
            Activity.objects.planned()
            .filter(**{f"{link}__in": record_ids, "responsible_id": previous_owner_id})
            .update(**access.owner_values(Activity, hand_over.new_owner), updated_at=timezone.now())
        )
    return moved


# --- Calendar: one's own, colleagues' side by side, a room's ------------------------------------

# A calendar range reads at most this many activities (a month of a busy team fits).
CALENDAR_LIMIT = 2000


def calendar_users(user):
    """Whose calendars ``user`` may open: everyone's with the role's "all" scope for activities,
    the team's with "team" (a manager's colleagues, a head's team), else only their own."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    scope = access.scope_for(user, ENTITY, access.Action.VIEW)
    if scope == access.Scope.ALL:
        return users
    if scope == access.Scope.TEAM and user.team_id is not None:
        return users.filter(team_id=user.team_id)
    if scope in (access.Scope.OWN, access.Scope.TEAM):
        return users.filter(pk=user.pk)
    return users.none()


def calendar(
    user,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    people=None,
    room=None,
    now: datetime.datetime | None = None,
) -> list[Activity]:
    """The activities in [start, end) of ``people`` (default: the user), or booked in ``room``.

    Asking for a colleague whose calendar the user may not see is refused (``PermissionDenied``),
    not answered with an empty calendar. Cancelled activities are left out. Each activity comes
    marked with ``lateness``, ``may_change`` and ``room`` (its booked room or None).
    """
    if end <= start:
        raise ValidationError({"end": _("Give both start and end, the end after the start.")})
    activities = (
        Activity.objects.visible_to(user)
        .overlapping(start, end)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("responsible", "booking__room")
    )
    if room is not None:
        activities = activities.filter(booking__room=room)
    else:
        ids = {user.pk} if people is None else {getattr(p, "pk", p) for p in people}
        allowed = set(calendar_users(user).filter(pk__in=ids).values_list("pk", flat=True))
        if allowed != ids:
            raise PermissionDenied(_("You may not see this colleague's calendar."))
        through = Activity.participants.through
        invited = through.objects.filter(user_id__in=ids).values("activity_id")
        activities = activities.filter(models.Q(responsible_id__in=ids) | models.Q(pk__in=invited))
    marked = _mark(
        activities.order_by("occurs_at", "id")[:CALENDAR_LIMIT],
        user=user,
        now=now or timezone.now(),
        zone=zone_of(user),
        scope=access.scope_for(user, ENTITY, access.Action.EDIT),
    )
    for activity in marked:
        activity.room = booked_room(activity)
    return marked


def booked_room_id(activity: Activity) -> int | None:
    """The id of the room the activity booked, read from ``select_related("booking")``."""
    try:
        return activity.booking.room_id
    except Activity.booking.RelatedObjectDoesNotExist:
        return None


def booked_room(activity: Activity):
    """The room the activity booked, read from ``select_related("booking__room")``."""
    return activity.booking.room if booked_room_id(activity) is not None else None


def room_busy(user, *, room, start: datetime.datetime, end: datetime.datetime, shown=()):
    """The room's bookings in [start, end) other than ``shown``: meetings the user may not open
    still take the room, so they show as busy time without their subject."""
    return list(
        RoomBooking.objects.filter(room=room, starts_at__lt=end, ends_at__gt=start)
        .exclude(activity_id__in=[activity.pk for activity in shown])
        .exclude(activity__status=Activity.Status.CANCELLED)
        .order_by("starts_at")
    )
