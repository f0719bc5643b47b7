"""The manager activity report: per manager and period, what they did and the time they logged.

Calls made and received, meetings held and tasks done, tasks left overdue, minutes logged. The
whole report is three queries however many managers: the managers in scope, one grouped count
over the activities, one grouped sum over the time entries. Each number has the filters of the
activity list that shows the same activities (its drill-down), in the reader's time zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from klientela.activities.models import Activity
from klientela.activities.services import day_bounds, zone_of

from .models import TimeEntry
from .services import MANAGER_REPORT, people_in_scope

DONE = Activity.Status.DONE
# Each figure: which activities it counts; how the list filters the same ones.
FIGURES = ("calls_out", "calls_in", "meetings", "tasks_done", "tasks_overdue")
LIST_FILTERS = {
    "calls_out": {"kind": "call", "direction": "outgoing", "status": "done", "period": "held"},
    "calls_in": {"kind": "call", "direction": "incoming", "status": "done", "period": "held"},
    "meetings": {"kind": "meeting", "status": "done", "period": "held"},
    "tasks_done": {"kind": "task", "status": "done", "period": "closed"},
    "tasks_overdue": {"kind": "task", "status": "planned", "overdue": "true", "period": "held"},
}


@dataclass
class ManagerRow:
    manager: object
    calls_out: int = 0
    calls_in: int = 0
    meetings: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    minutes_logged: int = 0

    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in (*FIGURES, "minutes_logged")}


@dataclass
class ManagerReport:
    start: datetime.date
    end: datetime.date
    rows: list[ManagerRow] = field(default_factory=list)

    @property
    def totals(self) -> ManagerRow:
        total = ManagerRow(manager=None)
        for row in self.rows:
            for name, value in row.figures().items():
                setattr(total, name, getattr(total, name) + value)
        return total


def period_bounds(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``week`` or ``month`` (this one), or of the last 30 days."""
    if preset == "month":
        first = today.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return first, last
    if preset == "last_30_days":
        return today - datetime.timedelta(days=29), today
    first = today - datetime.timedelta(days=today.weekday())
    return first, first + datetime.timedelta(days=6)


def manager_report(
    viewer,
    *,
    start: datetime.date,
    end: datetime.date,
    team=None,
    now: datetime.datetime | None = None,
) -> ManagerReport:
    """The report for the days ``start`` to ``end`` (both included), per manager in scope."""
    now = now or timezone.now()
    zone = zone_of(viewer)
    since, until = day_bounds(start, zone)[0], day_bounds(end, zone)[1]
    # Users with a role do the work; an account without one (a service user) has no row.
    managers = (
        people_in_scope(viewer, MANAGER_REPORT)
        .exclude(role=None)
        .order_by("first_name", "last_name", "username")
    )
    if team is not None:
        managers = managers.filter(team=team)
    managers = list(managers)
    ids = [manager.pk for manager in managers]
    rows = {manager.pk: ManagerRow(manager) for manager in managers}
    held = Q(finishes_at__gte=since, occurs_at__lt=until)
    closed = Q(completed_at__gte=since, completed_at__lt=until)
    counts = (
        Activity.objects.visible_to(viewer)
        .filter(responsible_id__in=ids)
        .filter(held | closed)
        .values("responsible_id")
        .annotate(
            calls_out=Count("id", filter=held & Q(kind="call", direction="outgoing", status=DONE)),
            calls_in=Count("id", filter=held & Q(kind="call", direction="incoming", status=DONE)),
            meetings=Count("id", filter=held & Q(kind="meeting", status=DONE)),
            tasks_done=Count("id", filter=closed & Q(kind="task", status=DONE)),
            tasks_overdue=Count(
                "id",
                filter=held & Q(kind="task", status=Activity.Status.PLANNED, finishes_at__lte=now),
            ),
        )
        .order_by()
    )
    for item in counts:
        row = rows[item["responsible_id"]]
        for name in FIGURES:
            setattr(row, name, item[name])
    logged = (
        TimeEntry.objects.visible_to(viewer)
        .filter(user_id__in=ids)
        .in_days(start, end)
        .values("user_id")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    for item in logged:
        rows[item["user_id"]].minutes_logged = item["total"] or 0
    return ManagerReport(start=start, end=end, rows=[rows[pk] for pk in ids])


def drill_down_url(figure: str, *, manager, start: datetime.date, end: datetime.date) -> str:
    """The list that shows the activities (or time entries) behind one number of the report."""
    if figure == "minutes_logged":
        query = {"user": manager.pk, "since": start.isoformat(), "until": end.isoformat()}
        return f"{reverse('worktime:entries')}?{urlencode(query)}"
    filters = dict(LIST_FILTERS[figure])
    period = filters.pop("period")
    prefix = "closed_" if period == "closed" else ""
    filters.update(
        {
            "responsible": manager.pk,
            f"{prefix}since": start.isoformat(),
            f"{prefix}until": end.isoformat(),
        }
    )
    return f"{reverse('activities:list')}?{urlencode(filters)}"


def report_xlsx(report: ManagerReport) -> bytes:
    """The report as a workbook: one row per manager, then the totals."""
    from io import BytesIO

    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Manager activity")[:31]
    sheet.append([_("Period"), report.start, report.end])
    sheet.append([])
    sheet.append(
        [
            _("Manager"),
            _("Calls made"),
            _("Calls received"),
            _("Meetings held"),
            _("Tasks done"),
            _("Tasks overdue"),
            _("Hours logged"),
        ]
    )
    for row in [*report.rows, report.totals]:
        sheet.append(
            [
                str(row.manager) if row.manager is not None else _("Total"),
                row.calls_out,
                row.calls_in,
                row.meetings,
                row.tasks_done,
                row.tasks_overdue,
                round(row.minutes_logged / 60, 2),
            ]
        )
    for cell in sheet[1][1:]:
        cell.number_format = "yyyy-mm-dd"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
