"""Working-time pages: the weekly timesheet, planned load, absences, the manager activity report.

Thin: each view fetches through the scoped querysets or ``services.people_in_scope``, cleans the
input with a form and calls a service; HTMX requests get the named partial back.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klientela.activities.models import Activity
from klientela.core import access
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.htmx import add_toast, render_page, wants_partial
from klientela.core.lists import Column, ListDefinition, render_list

from . import panels, reports, services
from .forms import AbsenceForm, LogTimeForm, ReportFilterForm, TimeEntryFilter, parse_time
from .models import Absence, TimeEntry


def worktime_tabs(request) -> dict:
    user = request.user
    tabs = []
    for label, name, visible in (
        (_("Timesheet"), "worktime:timesheet", access.can(user, "view", TimeEntry)),
        (_("Planned load"), "worktime:load", access.can(user, "view", TimeEntry)),
        (_("Absences"), "worktime:absences", access.can(user, "view", Absence)),
        (
            _("Manager activity"),
            "worktime:report",
            access.scope_for(user, services.MANAGER_REPORT, "view") != access.Scope.NONE,
        ),
    ):
        if visible:
            url = reverse(name)
            tabs.append({"label": label, "url": url, "active": request.path == url})
    return {"tabs": tabs, "tabs_label": _("Working time")}


def _day(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _person(request, entity: str = services.TIME_ENTRY):
    """The user whose page this is (``?user=``), one the reader may see; themselves by default."""
    raw = request.POST.get("user") or request.GET.get("user") or ""
    if not raw:
        return request.user
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(services.people_in_scope(request.user, entity), pk=raw)


# --- Timesheet --------------------------------------------------------------------------------


def _timesheet_context(request, person, day: datetime.date, form=None) -> dict:
    sheet = services.timesheet(request.user, person, day)
    may_edit = access.can_assign(request.user, services.TIME_ENTRY, "edit", person)
    may_log = access.can_assign(request.user, services.TIME_ENTRY, "create", person)
    # The person's activities of the week (and those already in the sheet) to log time on.
    zone = services.zone_of(request.user)
    start = services.day_bounds(sheet.first, zone)[0]
    end = services.day_bounds(sheet.last, zone)[1]
    choices = (
        Activity.objects.visible_to(request.user)
        .filter(responsible=person)
        .overlapping(start, end)
        .order_by("occurs_at")[:100]
    )
    return {
        **worktime_tabs(request),
        "sheet": sheet,
        "person": person,
        "people": services.people_in_scope(request.user).order_by(
            "first_name", "last_name", "username"
        ),
        "may_edit": may_edit,
        "may_log": may_log,
        "activity_choices": choices,
        "log_form": form or LogTimeForm(initial={"day": services.today_of(request.user)}),
        "absent": sheet.absent_on(),
        "today": services.today_of(request.user),
        "norm_minutes": services.working_hours_per_week() * 60,
    }


@login_required
def timesheet(request):
    access.require(request.user, "view", TimeEntry)
    person = _person(request)
    day = _day(request.GET.get("week"), services.today_of(request.user))
    context = _timesheet_context(request, person, day)
    return render_page(request, "worktime/timesheet.html", context, partial="sheet")


@login_required
@require_POST
def timesheet_cell(request):
    """One cell typed in: the person's time on an activity that day becomes what was typed."""
    person = _person(request)
    day = _day(request.POST.get("day"), services.today_of(request.user))
    activity = None
    if request.POST.get("activity"):
        activity = get_object_or_404(
            Activity.objects.visible_to(request.user), pk=request.POST["activity"]
        )
    message, level = _("Saved."), "success"
    try:
        minutes = parse_time(request.POST.get("time", ""))
        services.set_day_minutes(
            actor=request.user, user=person, day=day, minutes=minutes, activity=activity
        )
    except ValidationError as error:
        message, level = " ".join(error.messages), "error"
    except PermissionDenied as error:
        message, level = str(error), "error"
    if not wants_partial(request):
        messages.add_message(
            request, messages.ERROR if level == "error" else messages.SUCCESS, message
        )
        return redirect(f"{reverse('worktime:timesheet')}?user={person.pk}&week={day.isoformat()}")
    context = _timesheet_context(request, person, day)
    response = render(request, "worktime/timesheet.html#sheet", context)
    return add_toast(response, message, level)


@login_required
@require_POST
def timesheet_log(request):
    """The timesheet's "Log time" form: time on one of the week's activities or on other work."""
    person = _person(request)
    form = LogTimeForm(request.POST)
    day = services.today_of(request.user)
    if form.is_valid():
        day = form.cleaned_data["day"]
        activity = None
        if request.POST.get("activity"):
            activity = get_object_or_404(
                Activity.objects.visible_to(request.user), pk=request.POST["activity"]
            )
        try:
            services.log_time(
                actor=request.user,
                user=person,
                day=day,
                minutes=form.cleaned_data["time"],
                activity=activity,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"minutes": "time"})
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return success_redirect(
                request,
                f"{reverse('worktime:timesheet')}?user={person.pk}&week={day.isoformat()}",
                _("Time logged."),
            )
    context = _timesheet_context(request, person, day, form)
    return render_page(request, "worktime/timesheet.html", context, status=422)


@login_required
@require_POST
def log_on_activity(request, pk: int):
    """The activity card's panel: log the reader's own time on this activity."""
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    form = LogTimeForm(request.POST)
    message = ""
    if form.is_valid():
        try:
            services.log_time(
                actor=request.user,
                day=form.cleaned_data["day"],
                minutes=form.cleaned_data["time"],
                activity=activity,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"minutes": "time"})
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            message = _("Time logged.")
            form = None
    if not wants_partial(request):
        if message:
            messages.success(request, message)
        elif form is not None:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect(activity)
    context = panels.activity_panel(request, activity, form)
    response = render(request, "worktime/includes/activity_panel.html", context)
    if form is not None and form.errors:
        text = " ".join(text for errors in form.errors.values() for text in errors)
        return add_toast(response, text, "error")
    return add_toast(response, message)


@login_required
@require_POST
def entry_delete(request, pk: int):
    entry = get_object_or_404(TimeEntry.objects.visible_to(request.user, "delete"), pk=pk)
    services.delete_time_entry(actor=request.user, entry=entry)
    fallback = f"{reverse('worktime:entries')}?user={entry.user_id}"
    return success_redirect(request, fallback, _("Time entry deleted."))


def _entry_activity(entry: TimeEntry):
    return entry.activity or entry.note


ENTRIES = ListDefinition(
    key="worktime.entries",
    columns=[
        Column("day", gettext_lazy("Day"), sort="day"),
        Column("user", gettext_lazy("User"), sort="user__username"),
        Column(
            "hours",
            gettext_lazy("Time"),
            value=lambda entry: f"{entry.minutes // 60}:{entry.minutes % 60:02d}",
            sort="minutes",
            numeric=True,
        ),
        Column(
            "activity",
            gettext_lazy("Activity"),
            value=_entry_activity,
            link=lambda entry: entry.activity.get_absolute_url() if entry.activity_id else "",
        ),
        Column("organization", gettext_lazy("Client")),
        Column("note", gettext_lazy("Note")),
    ],
    filterset=TimeEntryFilter,
    primary_filters=("user", "since", "until"),
    search_fields=("note",),
    default_sort="-day",
    select_related=("user", "activity", "organization"),
    empty_icon="clock",
    empty_title=gettext_lazy("No time logged"),
    empty_text=gettext_lazy("Log time on an activity's card or in the timesheet."),
)


@login_required
def entry_list(request):
    """Time entries the reader may see: the drill-down of "hours logged" in the report."""
    access.require(request.user, "view", TimeEntry)
    return render_list(
        request,
        ENTRIES,
        TimeEntry.objects.visible_to(request.user),
        title=_("Time entries"),
    )


# --- Planned load -----------------------------------------------------------------------------


@login_required
def load(request):
    access.require(request.user, "view", TimeEntry)
    first = services.week_start(_day(request.GET.get("week"), services.today_of(request.user)))
    rows = services.planned_load(request.user, first=first)
    context = {
        **worktime_tabs(request),
        "rows": rows,
        "weeks": [week.first for week in rows[0].weeks] if rows else [],
        "first": first,
        "previous": first - datetime.timedelta(days=7 * services.LOAD_WEEKS),
        "next": first + datetime.timedelta(days=7 * services.LOAD_WEEKS),
        "norm_hours": services.working_hours_per_week(),
    }
    return render(request, "worktime/load.html", context)


# --- Absences ---------------------------------------------------------------------------------


@login_required
def absence_list(request):
    access.require(request.user, "view", Absence)
    today = services.today_of(request.user)
    show = request.GET.get("show", "coming")
    absences = Absence.objects.visible_to(request.user).select_related(
        "user", "approved_by", "user__team"
    )
    if show == "waiting":
        absences = absences.filter(is_approved=False, ends_on__gte=today)
    elif show == "past":
        absences = absences.filter(ends_on__lt=today).order_by("-starts_on", "-id")
    else:
        show = "coming"
        absences = absences.filter(ends_on__gte=today)
    absences = list(absences[:200])
    for absence in absences:
        absence.may_approve = services.may_approve(request.user, absence)
        absence.may_edit = services.may_act_on(request.user, "edit", absence)
        absence.may_delete = services.may_act_on(request.user, "delete", absence)
    context = {
        **worktime_tabs(request),
        "absences": absences,
        "show": show,
        "filters": [
            ("coming", _("Now and coming")),
            ("waiting", _("Waiting for approval")),
            ("past", _("Past")),
        ],
        "may_create": access.can(request.user, "create", Absence),
    }
    return render(request, "worktime/absences.html", context)


def _absence_form(request, absence: Absence | None):
    data = request.POST if request.method == "POST" else None
    form = AbsenceForm(data, instance=absence, actor=request.user)
    if data is not None and form.is_valid():
        fields = form.service_fields()
        try:
            if absence is None:
                saved = services.request_absence(
                    actor=request.user, **{**fields, "user": fields.get("user") or request.user}
                )
            else:
                saved = services.update_absence(actor=request.user, absence=absence, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            message = _("Absence saved.")
            if not saved.is_approved:
                message = _("Absence saved; it waits for approval.")
            return success_redirect(request, reverse("worktime:absences"), message)
    title = _("New absence") if absence is None else _("Edit the absence")
    return render_form_page(
        request,
        form,
        title=title,
        history_of=absence,
        cancel_url=reverse("worktime:absences"),
        back_url=reverse("worktime:absences"),
        back_label=_("Absences"),
    )


@login_required
def absence_create(request):
    access.require(request.user, "create", Absence)
    return _absence_form(request, None)


@login_required
def absence_edit(request, pk: int):
    return _absence_form(
        request, get_object_or_404(Absence.objects.visible_to(request.user, "edit"), pk=pk)
    )


@login_required
@require_POST
def absence_approve(request, pk: int):
    absence = get_object_or_404(
        Absence.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    approve = request.POST.get("approve", "1") == "1"
    try:
        services.approve_absence(actor=request.user, absence=absence, is_approved=approve)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Absence approved.") if approve else _("Approval taken back."))
    return redirect(reverse("worktime:absences"))


@login_required
@require_POST
def absence_delete(request, pk: int):
    absence = get_object_or_404(Absence.objects.visible_to(request.user, "delete"), pk=pk)
    services.delete_absence(actor=request.user, absence=absence)
    return success_redirect(request, reverse("worktime:absences"), _("Absence deleted."))


# --- The manager activity report --------------------------------------------------------------


@login_required
def report(request):
    """Calls, meetings, tasks and hours per manager and period; each number opens its list."""
    scope = access.scope_for(request.user, services.MANAGER_REPORT, "view")
    if scope == access.Scope.NONE:
        raise PermissionDenied(_("You do not have permission to do this."))
    form = ReportFilterForm(request.GET or None, viewer=request.user)
    start, end = form.dates(services.today_of(request.user))
    team = form.cleaned_data.get("team") if form.is_bound and form.is_valid() else None
    result = reports.manager_report(request.user, start=start, end=end, team=team)
    may_export = (
        access.scope_for(request.user, services.MANAGER_REPORT, "export") != access.Scope.NONE
    )
    if request.GET.get("format") == "xlsx":
        if not may_export:
            raise PermissionDenied(_("You do not have permission to do this."))
        response = HttpResponse(
            reports.report_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="manager-activity-{start.isoformat()}-{end.isoformat()}.xlsx"'
        )
        return response
    rows = [
        {
            "row": row,
            "links": {
                name: reports.drill_down_url(name, manager=row.manager, start=start, end=end)
                for name in row.figures()
            },
        }
        for row in result.rows
    ]
    context = {
        **worktime_tabs(request),
        "report": result,
        "rows": rows,
        "form": form,
        "may_export": may_export,
        "export_query": _with_format(request),
    }
    return render(request, "worktime/report.html", context)


def _with_format(request) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    return query.urlencode()
