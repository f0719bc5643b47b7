"""Working-time rules: logging time, the weekly timesheet, planned load, absences and approval.

Whose time and absences a user sees is decided in one place, ``people_in_scope``, from the role
table (``timeentry`` / ``absence`` / ``manager_report``: all, team or own); records go through
``visible_to`` of the same entities, so pages, API, report and exports agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    DurationField,
    ExpressionWrapper,
    F,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.activities.models import Activity
from klientela.activities.services import CalendarMark, day_bounds, zone_of
from klientela.core import access
from klientela.core.audit import record_create, record_delete, record_update, snapshot

from .models import Absence, TimeEntry

TIME_ENTRY = "timeentry"
ABSENCE = "absence"
ABSENCE_APPROVAL = "absence_approval"
MANAGER_REPORT = "manager_report"
DAY_MINUTES = 24 * 60
WORKING_DAYS = 5
LOAD_WEEKS = 6
# At most this many of the week's activities get an empty timesheet row.
WEEK_ACTIVITY_ROWS = 40


def working_hours_per_week() -> int:
    """The norm a week's planned load is measured against (``WORKING_HOURS_PER_WEEK``, 40)."""
    return int(getattr(settings, "WORKING_HOURS_PER_WEEK", 40))


# --- Whose data a user sees: the one rule -----------------------------------------------------


def people_in_scope(user, entity: str = TIME_ENTRY, action: str = access.Action.VIEW):
    """Active users whose records of ``entity`` ``user`` may ``action``: all, the team, or self."""
    users = get_user_model().objects.filter(is_active=True)
    scope = access.scope_for(user, entity, action)
    if scope == access.Scope.ALL:
        return users
    if scope == access.Scope.TEAM and user.team_id is not None:
        return users.filter(team_id=user.team_id)
    if scope in (access.Scope.OWN, access.Scope.TEAM):
        return users.filter(pk=user.pk)
    return users.none()


def may_see_person(user, person, entity: str = TIME_ENTRY) -> bool:
    return people_in_scope(user, entity).filter(pk=person.pk).exists()


def _require_for(actor, entity: str, action: str, owner) -> None:
    if actor is not None and not access.can_assign(actor, entity, action, owner):
        raise PermissionDenied(_("You may not do this for this user."))


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def today_of(user) -> datetime.date:
    return timezone.now().astimezone(zone_of(user)).date()


# --- Time entries -----------------------------------------------------------------------------


def _check_minutes(minutes) -> int:
    if minutes is None or int(minutes) <= 0:
        raise ValidationError({"minutes": _("Log at least one minute.")})
    if int(minutes) > DAY_MINUTES:
        raise ValidationError({"minutes": _("A day has no more than 24 hours.")})
    return int(minutes)


def _check_day_total(user, day: datetime.date, minutes: int, *, exclude=()) -> None:
    logged = (
        TimeEntry.objects.filter(user=user, day=day)
        .exclude(pk__in=[pk for pk in exclude if pk])
        .aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    if logged + minutes > DAY_MINUTES:
        raise ValidationError(
            {"minutes": _("More than 24 hours would be logged for %(day)s.") % {"day": day}}
        )


def _check_activity(actor, activity: Activity | None) -> None:
    if activity is None or actor is None:
        return
    if not Activity.objects.visible_to(actor).filter(pk=activity.pk).exists():
        raise ValidationError({"activity": _("Choose a record you can see.")})


@transaction.atomic
def log_time(
    *,
    actor,
    day: datetime.date,
    minutes: int,
    user=None,
    activity: Activity | None = None,
    note: str = "",
) -> TimeEntry:
    """Log ``minutes`` of ``user``'s work (the actor's own by default) on ``day``."""
    user = user or actor
    if user is None:
        raise ValidationError({"user": _("Say whose time it is.")})
    _require_for(actor, TIME_ENTRY, access.Action.CREATE, user)
    minutes = _check_minutes(minutes)
    _check_activity(actor, activity)
    note = (note or "").strip()
    if activity is None and not note:
        raise ValidationError({"note": _("Say what the time was spent on.")})
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    _check_day_total(user, day, minutes)
    entry = TimeEntry(
        user=user,
        day=day,
        minutes=minutes,
        note=note,
        activity=activity,
        organization_id=activity.organization_id if activity is not None else None,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    entry.full_clean()
    entry.save()
    record_create(entry, actor=actor)
    return entry


@transaction.atomic
def update_time_entry(*, actor, entry: TimeEntry, **fields) -> TimeEntry:
    """Change the day, minutes, note or activity of an entry (not whose it is)."""
    unknown = set(fields) - {"day", "minutes", "note", "activity"}
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    if actor is not None:
        access.require(actor, access.Action.EDIT, entry)
    before = snapshot(entry, list(fields))
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.minutes = _check_minutes(entry.minutes)
    entry.note = (entry.note or "").strip()
    if "activity" in fields:
        _check_activity(actor, entry.activity)
        entry.organization_id = entry.activity.organization_id if entry.activity else None
    if entry.activity_id is None and not entry.note:
        raise ValidationError({"note": _("Say what the time was spent on.")})
    _check_day_total(entry.user, entry.day, entry.minutes, exclude=[entry.pk])
    entry.full_clean()
    entry.save()
    record_update(entry, before, actor=actor)
    return entry


@transaction.atomic
def delete_time_entry(*, actor, entry: TimeEntry) -> None:
    if actor is not None:
        access.require(actor, access.Action.DELETE, entry)
    record_delete(entry, actor=actor)
    entry.delete()


@transaction.atomic
def set_day_minutes(
    *, actor, user, day: datetime.date, minutes: int, activity: Activity | None = None
) -> int:
    """A timesheet cell: make ``user``'s time on ``activity`` that day ``minutes`` in total.

    The cell's entries become one (their notes kept); 0 empties the cell. Returns the minutes.
    """
    cell = list(
        TimeEntry.objects.select_for_update()
        .filter(user=user, day=day, activity=activity)
        .order_by("id")
    )
    if activity is None and not cell and minutes:
        raise ValidationError({"note": _("Say what the time was spent on.")})
    if minutes < 0:
        raise ValidationError({"minutes": _("Log at least one minute.")})
    if not cell:
        if minutes:
            log_time(actor=actor, user=user, day=day, minutes=minutes, activity=activity)
        return minutes
    for entry in cell:
        if actor is not None:
            access.require(actor, access.Action.EDIT, entry)
    if minutes == 0:
        for entry in cell:
            delete_time_entry(actor=actor, entry=entry)
        return 0
    first, rest = cell[0], cell[1:]
    notes = "; ".join(entry.note for entry in cell if entry.note)[:300]
    for entry in rest:
        delete_time_entry(actor=actor, entry=entry)
    update_time_entry(actor=actor, entry=first, minutes=minutes, note=notes)
    return minutes


def log_time_on_completion(*, actor, activity: Activity, time_spent, day) -> None:
    """The completion hook: the time spent goes to the completing user's timesheet."""
    user = actor if getattr(actor, "pk", None) else activity.responsible
    if user is None:
        return
    minutes = int(time_spent / datetime.timedelta(minutes=1))
    if minutes > 0:
        log_time(actor=actor, user=user, day=day, minutes=minutes, activity=activity)


def entries_of_activity(activity: Activity, *, user):
    return (
        TimeEntry.objects.visible_to(user)
        .filter(activity=activity)
        .select_related("user")
        .order_by("-day", "-id")
    )


# --- The weekly timesheet ---------------------------------------------------------------------


@dataclass
class TimesheetRow:
    activity: Activity | None
    organization: object | None
    label: str
    minutes: list[int]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.minutes)

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(enumerate(self.minutes))


@dataclass
class Timesheet:
    user: object
    first: datetime.date
    rows: list[TimesheetRow]
    absences: list[Absence]

    @property
    def days(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=offset) for offset in range(7)]

    @property
    def last(self) -> datetime.date:
        return self.first + datetime.timedelta(days=6)

    @property
    def day_totals(self) -> list[int]:
        return [sum(row.minutes[index] for row in self.rows) for index in range(7)]

    @property
    def total(self) -> int:
        return sum(self.day_totals)

    @property
    def previous(self) -> datetime.date:
        return self.first - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.first + datetime.timedelta(days=7)

    def absent_on(self) -> list[Absence | None]:
        return [
            next((absence for absence in self.absences if absence.covers(day)), None)
            for day in self.days
        ]


def timesheet(viewer, user, day: datetime.date) -> Timesheet:
    """``user``'s week around ``day``: one row per activity (other work last), one column a day.

    Rows are the activities time was logged on and the user's own activities of the week. Three
    queries: the week's entries with their activities, the week's activities, the absences.
    """
    if not may_see_person(viewer, user):
        raise PermissionDenied(_("You do not have permission to do this."))
    first = week_start(day)
    last = first + datetime.timedelta(days=6)
    entries = (
        TimeEntry.objects.visible_to(viewer)
        .filter(user=user)
        .in_days(first, last)
        .select_related("activity", "activity__organization", "activity__person", "organization")
        .order_by("day", "id")
    )
    rows: dict[int | None, TimesheetRow] = {}
    for entry in entries:
        row = rows.get(entry.activity_id)
        if row is None:
            activity = entry.activity
            label = activity.subject if activity is not None else _("Other work")
            client = (activity.client if activity is not None else None) or entry.organization
            row = rows[entry.activity_id] = TimesheetRow(activity, client, label, [0] * 7)
        row.minutes[(entry.day - first).days] += entry.minutes
        if entry.note and entry.note not in row.notes:
            row.notes.append(entry.note)
    # The week's own activities get a row to type time into, even before any is logged.
    zone = zone_of(viewer)
    week = (day_bounds(first, zone)[0], day_bounds(last, zone)[1])
    own = (
        Activity.objects.visible_to(viewer)
        .filter(responsible=user)
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk__in=[pk for pk in rows if pk])
        .overlapping(*week)
        .select_related("organization", "person")
        .order_by("occurs_at", "id")[:WEEK_ACTIVITY_ROWS]
    )
    for activity in own:
        rows[activity.pk] = TimesheetRow(activity, activity.client, activity.subject, [0] * 7)
    ordered = sorted(
        rows.values(),
        key=lambda row: (row.activity is None, str(row.organization or ""), row.label.lower()),
    )
    return Timesheet(
        user=user,
        first=first,
        rows=ordered,
        absences=absences_between([user], first, last, viewer=viewer),
    )


# --- Planned load -----------------------------------------------------------------------------


@dataclass
class LoadWeek:
    first: datetime.date
    planned_minutes: int
    norm_minutes: int
    absent_days: int

    @property
    def percent(self) -> int:
        if not self.norm_minutes:
            return 100 if self.planned_minutes else 0
        return round(self.planned_minutes * 100 / self.norm_minutes)

    @property
    def bar_percent(self) -> int:
        return min(self.percent, 100)

    @property
    def is_over(self) -> bool:
        return self.planned_minutes > self.norm_minutes


@dataclass
class LoadRow:
    user: object
    weeks: list[LoadWeek]


def _working_days_absent(absences: list[Absence], first: datetime.date) -> int:
    days = set()
    for absence in absences:
        for offset in range(WORKING_DAYS):
            day = first + datetime.timedelta(days=offset)
            if absence.covers(day):
                days.add(day)
    return len(days)


def planned_load(viewer, *, first: datetime.date, weeks: int = LOAD_WEEKS, team=None):
    """Per user in scope and week: planned activities' time against the norm less absences.

    A planned activity's time is its duration when given, else from its start to its end (a
    call with no end counts nothing); all-day activities are not counted. Three queries.
    """
    first = week_start(first)
    users = (
        people_in_scope(viewer)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )
    if team is not None:
        users = users.filter(team=team)
    users = list(users)
    zone = zone_of(viewer)
    start = day_bounds(first, zone)[0]
    end = day_bounds(first + datetime.timedelta(days=7 * weeks - 1), zone)[1]
    length = Coalesce(
        F("duration"),
        ExpressionWrapper(F("finishes_at") - F("occurs_at"), output_field=DurationField()),
    )
    rows = (
        Activity.objects.planned()
        .filter(
            responsible_id__in=[user.pk for user in users],
            is_all_day=False,
            occurs_at__gte=start,
            occurs_at__lt=end,
        )
        .annotate(on=TruncDate("occurs_at", tzinfo=zone))
        .values("responsible_id", "on")
        .annotate(total=Sum(length))
        .order_by()
    )
    planned: dict[tuple[int, datetime.date], int] = {}
    for row in rows:
        total = row["total"] or datetime.timedelta(0)
        if not isinstance(total, datetime.timedelta):  # SQLite may answer microseconds
            total = datetime.timedelta(microseconds=int(total))
        key = (row["responsible_id"], week_start(row["on"]))
        planned[key] = planned.get(key, 0) + int(total / datetime.timedelta(minutes=1))
    last = first + datetime.timedelta(days=7 * weeks - 1)
    away: dict[int, list[Absence]] = {}
    for absence in absences_between(users, first, last, viewer=viewer):
        away.setdefault(absence.user_id, []).append(absence)
    norm = working_hours_per_week() * 60
    result = []
    for user in users:
        row = LoadRow(user=user, weeks=[])
        for number in range(weeks):
            monday = first + datetime.timedelta(days=7 * number)
            absent = _working_days_absent(away.get(user.pk, []), monday)
            row.weeks.append(
                LoadWeek(
                    first=monday,
                    planned_minutes=planned.get((user.pk, monday), 0),
                    norm_minutes=norm * (WORKING_DAYS - absent) // WORKING_DAYS,
                    absent_days=absent,
                )
            )
        result.append(row)
    return result


# --- Absences ---------------------------------------------------------------------------------


def absences_between(
    users, start: datetime.date, end: datetime.date, *, viewer=None, approved_only: bool = False
) -> list[Absence]:
    """Absences of ``users`` that touch the days ``start`` to ``end`` (both included).

    For a calendar: pass ``viewer`` to keep only those they may see. One query.
    """
    absences = Absence.objects.all() if viewer is None else Absence.objects.visible_to(viewer)
    ids = [getattr(user, "pk", user) for user in users]
    absences = absences.filter(user_id__in=ids, starts_on__lte=end, ends_on__gte=start)
    if approved_only:
        absences = absences.filter(is_approved=True)
    return list(absences.select_related("user", "approved_by").order_by("starts_on", "id"))


def calendar_absences(*, viewer, user_ids, start, end) -> list[CalendarMark]:
    """Absences in the activities calendar (registered in ready()): those ``viewer`` may see."""
    marks = []
    for absence in absences_between(user_ids, start, end, viewer=viewer):
        title = f"{absence.get_kind_display()}: {absence.user}"
        if not absence.is_approved:
            title = f"{title} ({_('Waiting for approval')})"
        marks.append(
            CalendarMark(
                key=f"absence-{absence.pk}",
                user_id=absence.user_id,
                title=title,
                starts=absence.starts_on,
                ends=absence.ends_on,
                kind=absence.kind,
            )
        )
    return marks


def may_act_on(user, action: str, absence: Absence) -> bool:
    """``access.can(user, action, absence)`` without a query per row (lists; ``user`` loaded)."""
    scope = access.scope_for(user, ABSENCE, action)
    if scope in (access.Scope.ALL, access.Scope.NONE):
        return scope == access.Scope.ALL
    if absence.user_id == user.pk:
        return True
    return scope == access.Scope.TEAM and (
        user.team_id is not None and absence.user.team_id == user.team_id
    )


def may_approve(user, absence: Absence) -> bool:
    """Heads approve their team's absences (not their own), administrators everyone's."""
    scope = access.scope_for(user, ABSENCE_APPROVAL, access.Action.EDIT)
    if scope == access.Scope.ALL:
        return True
    if scope == access.Scope.NONE or absence.user_id == user.pk:
        return False
    return scope == access.Scope.TEAM and (
        user.team_id is not None and absence.user.team_id == user.team_id
    )


def _check_absence(absence: Absence) -> None:
    if absence.kind not in Absence.Kind.values:
        raise ValidationError({"kind": _("Choose one of the kinds.")})
    if absence.starts_on is None or absence.ends_on is None:
        raise ValidationError({"starts_on": _("Give the first and the last day.")})
    if absence.ends_on < absence.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    overlapping = Absence.objects.filter(
        user_id=absence.user_id, starts_on__lte=absence.ends_on, ends_on__gte=absence.starts_on
    ).exclude(pk=absence.pk)
    if overlapping.exists():
        raise ValidationError({"starts_on": _("This user is already away on some of these days.")})
    absence.note = (absence.note or "").strip()


@transaction.atomic
def request_absence(
    *,
    actor,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user=None,
    note: str = "",
    is_approved: bool = False,
) -> Absence:
    """Put an absence in (the actor's own by default); approved at once if the actor may."""
    user = user or actor
    _require_for(actor, ABSENCE, access.Action.CREATE, user)
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    absence = Absence(
        user=user,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_absence(absence)
    if is_approved:
        if actor is not None and not may_approve(actor, absence):
            raise PermissionDenied(_("You may not approve this absence."))
        absence.is_approved = True
        absence.approved_by = actor if getattr(actor, "pk", None) else None
        absence.approved_at = timezone.now()
    absence.full_clean()
    absence.save()
    record_create(absence, actor=actor)
    return absence


@transaction.atomic
def update_absence(*, actor, absence: Absence, **fields) -> Absence:
    """Change the kind, days or note; a change by someone who may not approve asks again."""
    unknown = set(fields) - {"kind", "starts_on", "ends_on", "note"}
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    if actor is not None:
        access.require(actor, access.Action.EDIT, absence)
    get_user_model().objects.select_for_update().filter(pk=absence.user_id).exists()
    before = snapshot(absence, [*fields, "is_approved"])
    changed = any(getattr(absence, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(absence, name, value)
    _check_absence(absence)
    if changed and absence.is_approved and actor is not None and not may_approve(actor, absence):
        absence.is_approved = False
        absence.approved_by = None
        absence.approved_at = None
    absence.full_clean()
    absence.save()
    record_update(absence, before, actor=actor)
    return absence


@transaction.atomic
def approve_absence(*, actor, absence: Absence, is_approved: bool = True) -> Absence:
    """Approve (or take back the approval of) an absence."""
    if actor is not None and not may_approve(actor, absence):
        raise PermissionDenied(_("You may not approve this absence."))
    before = snapshot(absence, ["is_approved"])
    absence.is_approved = is_approved
    absence.approved_by = actor if is_approved and getattr(actor, "pk", None) else None
    absence.approved_at = timezone.now() if is_approved else None
    absence.save(update_fields=["is_approved", "approved_by", "approved_at"])
    record_update(absence, before, actor=actor)
    return absence


@transaction.atomic
def delete_absence(*, actor, absence: Absence) -> None:
    if actor is not None:
        access.require(actor, access.Action.DELETE, absence)
    record_delete(absence, actor=actor)
    absence.delete()
