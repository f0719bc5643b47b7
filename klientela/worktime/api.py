"""Working time through the API: time entries, absences (with a calendar range and approval),
a user's weekly timesheet and the manager activity report.

The same services and the same scopes as the pages: a record or a person the caller may not
see is a 404.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from klientela.accounts.models import Team
from klientela.activities.models import Activity
from klientela.core import access
from klientela.core.api import LimitOffset

from . import reports, services
from .forms import TimeEntryFilter
from .models import Absence, TimeEntry

router = Router(tags=["working time"])
KINDS = "vacation, sick, business_trip or other"


class TimeEntryOut(Schema):
    id: int
    user_id: int
    day: datetime.date
    minutes: int
    note: str
    activity_id: int | None
    organization_id: int | None = Field(description="The activity's client when logged.")
    created_at: datetime.datetime


class TimeEntryIn(Schema):
    day: datetime.date
    minutes: int = Field(ge=1, le=24 * 60)
    note: str = Field("", description="Needed when the time is not on an activity.")
    activity_id: int | None = None
    user_id: int | None = Field(None, description="Default: you.")


class TimeEntryPatch(Schema):
    day: datetime.date | None = None
    minutes: int | None = Field(None, ge=1, le=24 * 60)
    note: str | None = None
    activity_id: int | None = None


class TimeEntryFilters(Schema):
    user: int | None = None
    since: datetime.date | None = Field(None, description="First day, included.")
    until: datetime.date | None = Field(None, description="Last day, included.")
    activity: int | None = None


class AbsenceOut(Schema):
    id: int
    user_id: int
    kind: str = Field(description=KINDS)
    starts_on: datetime.date
    ends_on: datetime.date
    days: int
    note: str
    is_approved: bool
    approved_by_id: int | None
    approved_at: datetime.datetime | None


class AbsenceIn(Schema):
    kind: str = Field(description=KINDS)
    starts_on: datetime.date
    ends_on: datetime.date
    note: str = ""
    user_id: int | None = Field(None, description="Default: you.")
    is_approved: bool = Field(False, description="Approve at once (heads and administrators).")


class AbsencePatch(Schema):
    kind: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    note: str | None = None


class AbsenceFilters(Schema):
    start: datetime.date | None = Field(
        None, description="With `end`: absences touching the days from `start` to `end`."
    )
    end: datetime.date | None = None
    user: list[int] | None = None
    is_approved: bool | None = None


class ApproveIn(Schema):
    is_approved: bool = True


class TimesheetRowOut(Schema):
    activity_id: int | None
    label: str
    organization: str | None
    minutes: list[int] = Field(description="Monday to Sunday.")
    total: int


class TimesheetOut(Schema):
    user_id: int
    week_start: datetime.date
    days: list[datetime.date]
    rows: list[TimesheetRowOut]
    day_totals: list[int]
    total: int
    absences: list[AbsenceOut]


class ReportRowOut(Schema):
    manager_id: int
    manager: str
    calls_out: int = Field(description="Outgoing calls done.")
    calls_in: int = Field(description="Incoming calls done.")
    meetings: int = Field(description="Meetings held.")
    tasks_done: int = Field(description="Tasks completed in the period.")
    tasks_overdue: int = Field(description="Tasks due in the period, still open and late.")
    minutes_logged: int


class ReportOut(Schema):
    start: datetime.date
    end: datetime.date
    rows: list[ReportRowOut]


# --- helpers ----------------------------------------------------------------------------------


def _person(request, pk: int | None, entity: str = services.TIME_ENTRY, action: str = "view"):
    if pk is None:
        return request.auth
    return get_object_or_404(services.people_in_scope(request.auth, entity, action), pk=pk)


def _activity(request, pk: int | None) -> Activity | None:
    if pk is None:
        return None
    return get_object_or_404(Activity.objects.visible_to(request.auth), pk=pk)


def _entry(request, pk: int, action: str = "view") -> TimeEntry:
    return get_object_or_404(TimeEntry.objects.visible_to(request.auth, action), pk=pk)


def _absence(request, pk: int, action: str = "view") -> Absence:
    return get_object_or_404(
        Absence.objects.visible_to(request.auth, action).select_related("user"), pk=pk
    )


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in Absence.Kind.values:
        raise ValidationError(
            {"kind": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Absence.Kind.values)}}
        )


# --- Time entries -----------------------------------------------------------------------------


@router.get("/time-entries", response=list[TimeEntryOut], summary="Time entries")
@paginate(LimitOffset)
def list_time_entries(request, filters: Query[TimeEntryFilters]):
    query = QueryDict(mutable=True)
    for name, value in filters.dict().items():
        if value is not None:
            query[name] = str(value)
    entries = TimeEntry.objects.visible_to(request.auth).order_by("day", "id")
    filterset = TimeEntryFilter(query, queryset=entries, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    return filterset.qs


@router.get("/time-entries/{entry_id}", response=TimeEntryOut, summary="A time entry")
def get_time_entry(request, entry_id: int):
    return _entry(request, entry_id)


@router.post("/time-entries", response={201: TimeEntryOut}, summary="Log time")
def create_time_entry(request, payload: TimeEntryIn):
    entry = services.log_time(
        actor=request.auth,
        user=_person(request, payload.user_id, action="create"),
        day=payload.day,
        minutes=payload.minutes,
        activity=_activity(request, payload.activity_id),
        note=payload.note,
    )
    return Status(201, entry)


@router.patch("/time-entries/{entry_id}", response=TimeEntryOut, summary="Change a time entry")
def update_time_entry(request, entry_id: int, payload: TimeEntryPatch):
    entry = _entry(request, entry_id, "edit")
    data = payload.dict(exclude_unset=True)
    if "activity_id" in data:
        data["activity"] = _activity(request, data.pop("activity_id"))
    return services.update_time_entry(actor=request.auth, entry=entry, **data)


@router.delete("/time-entries/{entry_id}", response={204: None}, summary="Delete a time entry")
def delete_time_entry(request, entry_id: int):
    services.delete_time_entry(actor=request.auth, entry=_entry(request, entry_id, "delete"))
    return Status(204, None)


@router.get(
    "/timesheet",
    response=TimesheetOut,
    summary="A user's week",
    description="Minutes per activity and day from Monday to Sunday of the week of `week` "
    "(default: this week), with the week's absences. `user`: default you.",
)
def get_timesheet(request, user: int | None = None, week: datetime.date | None = None):
    person = _person(request, user)
    sheet = services.timesheet(request.auth, person, week or services.today_of(request.auth))
    return {
        "user_id": person.pk,
        "week_start": sheet.first,
        "days": sheet.days,
        "rows": [
            {
                "activity_id": row.activity.pk if row.activity else None,
                "label": row.label,
                "organization": str(row.organization) if row.organization else None,
                "minutes": row.minutes,
                "total": row.total,
            }
            for row in sheet.rows
        ],
        "day_totals": sheet.day_totals,
        "total": sheet.total,
        "absences": sheet.absences,
    }


# --- Absences ---------------------------------------------------------------------------------


@router.get(
    "/absences",
    response=list[AbsenceOut],
    summary="Absences",
    description="`start` and `end` give a calendar's range: absences touching those days.",
)
@paginate(LimitOffset)
def list_absences(request, filters: Query[AbsenceFilters]):
    absences = Absence.objects.visible_to(request.auth).order_by("starts_on", "id")
    if filters.start is not None or filters.end is not None:
        if filters.start is None or filters.end is None or filters.end < filters.start:
            raise ValidationError({"end": _("Give both start and end, the end after the start.")})
        absences = absences.filter(starts_on__lte=filters.end, ends_on__gte=filters.start)
    if filters.user:
        absences = absences.filter(user_id__in=filters.user)
    if filters.is_approved is not None:
        absences = absences.filter(is_approved=filters.is_approved)
    return absences


@router.get("/absences/{absence_id}", response=AbsenceOut, summary="An absence")
def get_absence(request, absence_id: int):
    return _absence(request, absence_id)


@router.post("/absences", response={201: AbsenceOut}, summary="Put in an absence")
def create_absence(request, payload: AbsenceIn):
    _check_kind(payload.kind)
    absence = services.request_absence(
        actor=request.auth,
        user=_person(request, payload.user_id, services.ABSENCE, "create"),
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
        is_approved=payload.is_approved,
    )
    return Status(201, absence)


@router.patch("/absences/{absence_id}", response=AbsenceOut, summary="Change an absence")
def update_absence(request, absence_id: int, payload: AbsencePatch):
    absence = _absence(request, absence_id, "edit")
    data = payload.dict(exclude_unset=True)
    _check_kind(data.get("kind"))
    return services.update_absence(actor=request.auth, absence=absence, **data)


@router.post(
    "/absences/{absence_id}/approve",
    response=AbsenceOut,
    summary="Approve an absence (or take the approval back)",
)
def approve_absence(request, absence_id: int, payload: ApproveIn):
    absence = _absence(request, absence_id)
    return services.approve_absence(
        actor=request.auth, absence=absence, is_approved=payload.is_approved
    )


@router.delete("/absences/{absence_id}", response={204: None}, summary="Delete an absence")
def delete_absence(request, absence_id: int):
    services.delete_absence(actor=request.auth, absence=_absence(request, absence_id, "delete"))
    return Status(204, None)


# --- The manager activity report --------------------------------------------------------------


@router.get(
    "/reports/manager-activity",
    response=ReportOut,
    summary="Manager activity report",
    description="Per manager the caller may see, for the days `start` to `end` (both included; "
    "default this week): calls made and received, meetings held, tasks done and overdue, "
    "minutes logged. `team` narrows to one team.",
)
def manager_activity(
    request,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    team: int | None = None,
):
    viewer = request.auth
    if access.scope_for(viewer, services.MANAGER_REPORT, "view") == access.Scope.NONE:
        raise PermissionDenied(_("You do not have permission to do this."))
    first, last = reports.period_bounds("week", services.today_of(viewer))
    start, end = start or first, end or last
    if end < start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    chosen = get_object_or_404(Team, pk=team) if team is not None else None
    result = reports.manager_report(viewer, start=start, end=end, team=chosen)
    return {
        "start": result.start,
        "end": result.end,
        "rows": [
            {"manager_id": row.manager.pk, "manager": str(row.manager), **row.figures()}
            for row in result.rows
        ],
    }
