"""Activity pages: the list with its filters, the card, the forms, completing and the checklist."""

from __future__ import annotations

import datetime

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from klientela.core import access
from klientela.core.cards import Card, CardAction, Field, Section, render_card
from klientela.core.display import badge
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.htmx import add_toast, wants_partial
from klientela.core.lists import Column, ListDefinition, render_list

from . import bookings, feeds, reminders, services
from .filters import ActivityFilter
from .forms import (
    FOLLOW_UP_ERRORS,
    FORM_ERRORS,
    ActivityForm,
    ChecklistItemForm,
    CompleteForm,
    ReminderPreferencesForm,
    RoomForm,
    kind_rules,
)
from .models import Activity, ChecklistItem, Room

FORM_TEMPLATE = "activities/activity_form.html"
STATUS_TONES = {"planned": "neutral", "done": "success", "cancelled": "muted"}


def status_badge(activity: Activity):
    return badge(activity.get_status_display(), STATUS_TONES[activity.status])


def _client_link(activity: Activity):
    return activity.organization or activity.person


ACTIVITIES = ListDefinition(
    key="activities.activities",
    columns=[
        Column("occurs_at", gettext_lazy("When"), sort="occurs_at"),
        Column("kind", gettext_lazy("Kind"), value=lambda a: a.get_kind_display(), sort="kind"),
        Column("subject", gettext_lazy("Subject"), sort="subject", link=True),
        Column(
            "client",
            gettext_lazy("Client"),
            value=_client_link,
            link=lambda a: _client_link(a).get_absolute_url() if _client_link(a) else "",
        ),
        Column(
            "deal",
            gettext_lazy("Deal"),
            link=lambda a: a.deal.get_absolute_url() if a.deal_id else "",
        ),
        Column("status", gettext_lazy("Status"), value=status_badge, sort="status"),
        Column(
            "priority",
            gettext_lazy("Priority"),
            value=lambda a: a.get_priority_display(),
            sort="priority",
        ),
        Column("responsible", gettext_lazy("Responsible"), sort="responsible__username"),
        Column("result", gettext_lazy("Result")),
    ],
    default_columns=["occurs_at", "kind", "subject", "client", "deal", "status", "responsible"],
    filterset=ActivityFilter,
    primary_filters=("kind", "status", "responsible", "period"),
    search_fields=("subject",),
    default_sort="-occurs_at",
    select_related=("organization", "person", "deal", "responsible"),
    empty_icon="square-check-big",
    empty_title=gettext_lazy("No activities yet"),
    empty_text=gettext_lazy("Plan calls, meetings and tasks from a client's card or here."),
)


def _next_url(request, fallback: str) -> str:
    """Where to go after a save: the page that sent the user here, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return fallback


@login_required
def activity_list(request):
    access.require(request.user, "view", Activity)
    activities = Activity.objects.visible_to(request.user)
    can_create = access.can(request.user, "create", Activity)
    return render_list(
        request,
        ACTIVITIES,
        activities,
        title=_("Activities"),
        create_url=reverse("activities:create") if can_create else "",
        create_label=_("Plan an activity"),
    )


def _visible(request, action: str = "view"):
    return Activity.objects.visible_to(request.user, action)


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(
        _visible(request).select_related(
            "organization", "person", "deal", "responsible", "parent", "completed_by"
        ),
        pk=pk,
    )
    may_edit = access.can(request.user, "edit", activity)
    actions = []
    if may_edit and activity.is_open:
        actions += [
            CardAction(
                _("Cancel it"),
                reverse("activities:cancel", args=[pk]),
                "circle-x",
                method="post",
                confirm=_("Cancel this activity?"),
            ),
            CardAction(_("Edit"), reverse("activities:edit", args=[pk]), "pencil"),
            CardAction(
                _("Complete"),
                reverse("activities:complete", args=[pk]),
                "circle-check",
                is_primary=True,
            ),
        ]
    elif may_edit:
        actions.append(CardAction(_("Edit"), reverse("activities:edit", args=[pk]), "pencil"))
    if access.can(request.user, "delete", activity):
        actions.insert(
            0,
            CardAction(
                _("Delete"),
                reverse("activities:delete", args=[pk]),
                "trash-2",
                method="post",
                confirm=_("Delete this activity? This cannot be undone."),
                is_dangerous=True,
            ),
        )
    client = activity.client
    lateness = services.lateness(activity, now=timezone.now(), zone=services.zone_of(request.user))
    card = Card(
        title=activity.subject,
        subtitle=activity.get_kind_display(),
        badges=[badge(lateness, "danger") if lateness else status_badge(activity)],
        back_url=reverse("activities:list"),
        back_label=_("Activities"),
        actions=actions,
        sections=[
            Section(
                _("Plan"),
                [
                    Field(_("When"), activity.starts_at or activity.due_at),
                    Field(_("Until"), activity.ends_at),
                    Field(_("All day"), activity.is_all_day or None),
                    Field(
                        _("Reminder"),
                        activity.get_remind_minutes_display() if activity.is_open else None,
                    ),
                    Field(_("Priority"), activity.get_priority_display()),
                    Field(_("Responsible"), activity.responsible, always=True),
                    Field(_("Direction"), activity.get_direction_display()),
                    Field(_("Phone"), activity.phone),
                    Field(_("Place"), activity.place),
                    Field(_("Room"), bookings.room_of(activity)),
                    Field(_("Client"), client, url=client.get_absolute_url() if client else ""),
                    Field(
                        _("Contact person"),
                        activity.person if activity.organization_id else None,
                        url=activity.person.get_absolute_url() if activity.person_id else "",
                    ),
                    Field(
                        _("Deal"),
                        activity.deal,
                        url=activity.deal.get_absolute_url() if activity.deal_id else "",
                    ),
                    Field(
                        _("Parent task"),
                        activity.parent,
                        url=activity.parent.get_absolute_url() if activity.parent_id else "",
                    ),
                    Field(_("Description"), activity.description),
                ],
            ),
            Section(
                _("Outcome"),
                [
                    Field(_("Result"), activity.result),
                    Field(_("Duration, minutes"), activity.duration_minutes),
                    Field(_("Closed"), activity.completed_at),
                    Field(_("Closed by"), activity.completed_by),
                ],
            ),
        ],
    )
    context = {
        "activity": activity,
        "may_edit": may_edit,
        "participants": activity.participants.all(),
        "contacts": activity.contacts.all(),
        "subtasks": activity.subtasks.select_related("responsible"),
        "follow_ups": activity.follow_ups.all(),
        **_checklist_context(activity, may_edit),
    }
    return render_card(
        request,
        card,
        obj=activity,
        template="activities/activity_detail.html",
        extra_context=context,
    )


def _checklist_context(activity: Activity, may_edit: bool, form=None) -> dict:
    return {
        "activity": activity,
        "checklist": list(activity.checklist.all()),
        "checklist_form": form or ChecklistItemForm(auto_id="checklist-%s"),
        "may_edit": may_edit,
    }


def _initial(request) -> dict:
    """What the page that sent the user here chose: the kind, the card or deal, the parent."""
    initial = {}
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        initial["kind"] = kind
    for name in ("organization", "person", "deal", "parent"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = value
    if "parent" in initial:
        initial["kind"] = Activity.Kind.TASK
    # A slot chosen in the calendar: its start, its end and the room shown there.
    for name, field in (("when", "when"), ("until", "ends_at")):
        value = parse_datetime(request.GET.get(name, ""))
        if value is not None:
            initial[field] = value
    room = request.GET.get("room", "")
    if room.isdigit():
        initial["room"] = room
    return initial


def _activity_form(request, activity: Activity | None):
    initial = _initial(request) if activity is None else {}
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, instance=activity, user=request.user, initial=initial or None)
    fallback = activity.get_absolute_url() if activity else reverse("activities:list")
    if data is not None and form.is_valid():
        fields = form.service_fields()
        try:
            if activity is None:
                saved = services.create_activity(actor=request.user, **fields)
            else:
                saved = services.update_activity(actor=request.user, activity=activity, **fields)
        except ValidationError as error:
            add_service_errors(form, error, FORM_ERRORS)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return success_redirect(
                request, _next_url(request, saved.get_absolute_url()), _("Activity saved.")
            )
    title = _("Plan an activity") if activity is None else _("Edit the activity")
    return render_form_page(
        request,
        form,
        title=title,
        template=FORM_TEMPLATE,
        history_of=activity,
        cancel_url=_next_url(request, fallback),
        back_url=_next_url(request, fallback),
        back_label=str(activity) if activity else _("Activities"),
        rules=kind_rules(),
        next_url=_next_url(request, ""),
    )


@login_required
def activity_create(request):
    access.require(request.user, "create", Activity)
    return _activity_form(request, None)


@login_required
def activity_edit(request, pk: int):
    return _activity_form(request, get_object_or_404(_visible(request, "edit"), pk=pk))


@login_required
def activity_complete(request, pk: int):
    activity = get_object_or_404(
        _visible(request, "edit").select_related("organization", "person", "deal"), pk=pk
    )
    fallback = activity.get_absolute_url()
    if not activity.is_open:
        messages.info(request, _("This activity is already closed."))
        return redirect(_next_url(request, fallback))
    data = request.POST if request.method == "POST" else None
    form = CompleteForm(data, activity=activity)
    if data is not None and form.is_valid():
        try:
            completed = services.complete_activity(
                actor=request.user, activity=activity, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error, FOLLOW_UP_ERRORS)
        else:
            message = _("Activity completed.")
            if completed.follow_up is not None:
                message = _("Activity completed; the follow-up is planned.")
            return success_redirect(request, _next_url(request, fallback), message)
    return render_form_page(
        request,
        form,
        title=_("Complete: %(subject)s") % {"subject": activity.subject},
        subtitle=activity.get_kind_display(),
        template=FORM_TEMPLATE,
        submit_label=_("Complete"),
        cancel_url=_next_url(request, fallback),
        back_url=_next_url(request, fallback),
        back_label=str(activity),
        rules=form.rules,
        next_url=_next_url(request, ""),
    )


@login_required
@require_POST
def activity_cancel(request, pk: int):
    activity = get_object_or_404(_visible(request, "edit"), pk=pk)
    try:
        services.cancel_activity(
            actor=request.user, activity=activity, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Activity cancelled."))
    return redirect(_next_url(request, activity.get_absolute_url()))


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = get_object_or_404(_visible(request, "delete"), pk=pk)
    services.delete_activity(actor=request.user, activity=activity)
    return success_redirect(
        request, _next_url(request, reverse("activities:list")), _("Activity deleted.")
    )


def _checklist_answer(request, activity: Activity, message: str = "", form=None):
    if not wants_partial(request):
        if message:
            messages.success(request, message)
        if form is not None:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect(activity)
    context = _checklist_context(activity, True, form)
    response = render(request, "activities/activity_detail.html#checklist", context)
    if form is not None and form.errors:
        text = " ".join(message for errors in form.errors.values() for message in errors)
        return add_toast(response, text, "error")
    return add_toast(response, message) if message else response


@login_required
@require_POST
def checklist_add(request, pk: int):
    activity = get_object_or_404(_visible(request, "edit"), pk=pk)
    form = ChecklistItemForm(request.POST, auto_id="checklist-%s")
    if form.is_valid():
        try:
            services.add_checklist_item(
                actor=request.user, activity=activity, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _checklist_answer(request, activity, _("Item added."))
    return _checklist_answer(request, activity, form=form)


def _visible_item(request, pk: int) -> ChecklistItem:
    return get_object_or_404(
        ChecklistItem.objects.filter(activity__in=_visible(request, "edit")).select_related(
            "activity"
        ),
        pk=pk,
    )


@login_required
@require_POST
def checklist_toggle(request, pk: int):
    item = _visible_item(request, pk)
    services.set_checklist_item_done(
        actor=request.user, item=item, is_done=request.POST.get("is_done") == "1"
    )
    return _checklist_answer(request, item.activity)


@login_required
@require_POST
def checklist_remove(request, pk: int):
    item = _visible_item(request, pk)
    services.remove_checklist_item(actor=request.user, item=item)
    return _checklist_answer(request, item.activity, _("Item removed."))


# --- Reminders and the calendar feed (the profile's panel) ------------------------------------

PROFILE_URL = "accounts:profile"


@login_required
@require_POST
def reminder_preferences(request):
    form = ReminderPreferencesForm(request.POST)
    if form.is_valid():
        try:
            reminders.update_preferences(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Reminder settings saved."))
    else:
        messages.error(request, _("Choose one of the offered reminders."))
    return redirect(PROFILE_URL)


@login_required
@require_POST
def feed_regenerate(request):
    had_one = bool(feeds.feed_token_of(request.user))
    feeds.regenerate_feed(actor=request.user, user=request.user)
    if had_one:
        messages.success(
            request, _("The calendar feed has a new address; the old one no longer works.")
        )
    else:
        messages.success(
            request, _("Your calendar feed is ready: add its address to your calendar.")
        )
    return redirect(reverse(PROFILE_URL) + "#calendar-feed-title")


@login_required
@require_POST
def feed_stop(request):
    feeds.stop_feed(actor=request.user, user=request.user)
    messages.success(request, _("The calendar feed is turned off."))
    return redirect(reverse(PROFILE_URL) + "#calendar-feed-title")


@require_GET
@never_cache
def feed(request, token: str):
    """The owner's activities as iCalendar; the secret in the address is the only key."""
    owner = feeds.feed_owner(token)
    if owner is None:
        raise Http404
    response = HttpResponse(feeds.feed(owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="klientela.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Calendar ---------------------------------------------------------------------------------

# FullCalendar (assets/calendar.js) adds its own style sheet: the page's nonce lets that one in
# while inline styles stay forbidden everywhere else.
CALENDAR_CSP = {"style-src": [NONCE]}
# Colleagues shown together get a colour each (app.css: .calendar-person-0 ... -5).
PERSON_COLOURS = 6


@login_required
@csp_update(CALENDAR_CSP)
def calendar(request):
    access.require(request.user, "view", Activity)
    colleagues = list(services.calendar_users(request.user))
    for index, colleague in enumerate(colleagues):
        colleague.colour = index % PERSON_COLOURS
    context = {
        "colleagues": colleagues,
        "rooms": Room.objects.filter(is_active=True),
        "can_create": access.can(request.user, "create", Activity),
        "kinds": Activity.Kind.choices,
    }
    return render(request, "activities/calendar.html", context)


def _moment(request, name: str):
    value = parse_datetime(request.GET.get(name, "").replace(" ", "+"))
    if value is None:
        raise ValidationError({name: _("Give the range as ISO date and time.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value, services.zone_of(request.user))
    return value


@login_required
def calendar_events(request):
    """The calendar's events in FullCalendar's shape, for [start, end) of the chosen people or
    room; a colleague one may not see is a 403, as in the API."""
    access.require(request.user, "view", Activity)
    try:
        start, end = _moment(request, "start"), _moment(request, "end")
        room = None
        if request.GET.get("room", "").isdigit():
            room = get_object_or_404(Room, pk=request.GET["room"])
        people = [int(pk) for pk in request.GET.getlist("user") if pk.isdigit()] or None
        activities = services.calendar(request.user, start=start, end=end, people=people, room=room)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    zone = services.zone_of(request.user)
    # The same colour per colleague as the page's checkboxes: by their place in the list.
    shown = set(people or [])
    colours = {
        pk: index % PERSON_COLOURS
        for index, pk in enumerate(
            services.calendar_users(request.user).values_list("pk", flat=True)
        )
        if pk in shown
    }
    events = [
        _event(activity, zone, colours, show_whose=bool(room) or len(colours) > 1)
        for activity in activities
    ]
    if room is None:
        events += _marks(request.user, people or [request.user.pk], start, end, zone, colours)
    if room is not None:
        busy = services.room_busy(request.user, room=room, start=start, end=end, shown=activities)
        events += [
            {
                "id": f"busy-{booking.pk}",
                "title": str(_("Booked")),
                "start": booking.starts_at.isoformat(),
                "end": booking.ends_at.isoformat(),
                "editable": False,
                "classNames": ["calendar-busy"],
            }
            for booking in busy
        ]
    return JsonResponse(events, safe=False)


def _marks(viewer, user_ids: list[int], start, end, zone, colours: dict) -> list[dict]:
    """Whole-day periods of other apps (absences) as all-day events that cannot be moved."""
    first = start.astimezone(zone).date()
    last = (end - datetime.timedelta(microseconds=1)).astimezone(zone).date()
    return [
        {
            "id": mark.key,
            "title": mark.title,
            "start": mark.starts.isoformat(),
            "end": (mark.ends + datetime.timedelta(days=1)).isoformat(),  # FullCalendar: exclusive
            "allDay": True,
            "editable": False,
            "classNames": ["calendar-absence"]
            + ([f"calendar-person-{colours[mark.user_id]}"] if mark.user_id in colours else []),
        }
        for mark in services.calendar_marks(viewer, user_ids, first, last)
    ]


def _event(activity: Activity, zone, colours: dict, *, show_whose: bool) -> dict:
    classes = [f"calendar-kind-{activity.kind}", f"calendar-status-{activity.status}"]
    if activity.lateness:
        classes.append("calendar-overdue")
    if activity.responsible_id in colours:
        classes.append(f"calendar-person-{colours[activity.responsible_id]}")
    title = activity.subject
    if show_whose and activity.responsible is not None:
        title = f"{title} · {activity.responsible}"
    if activity.room is not None:
        title = f"{title} · {activity.room}"
    has_end = activity.finishes_at > activity.occurs_at and activity.kind != Activity.Kind.TASK
    if activity.is_all_day:
        start = activity.occurs_at.astimezone(zone).date().isoformat()
        end = activity.finishes_at.astimezone(zone).date().isoformat()
    else:
        start = activity.occurs_at.isoformat()
        end = activity.finishes_at.isoformat() if has_end else None
    editable = activity.may_change and activity.status == Activity.Status.PLANNED
    return {
        "id": str(activity.pk),
        "title": title,
        "start": start,
        "end": end,
        "allDay": activity.is_all_day,
        "url": activity.get_absolute_url(),
        "editable": editable,
        "durationEditable": editable and activity.kind != Activity.Kind.TASK,
        "classNames": classes,
        "extendedProps": {
            "kind": activity.kind,
            "hasEnd": bool(activity.ends_at),
            "overdue": activity.lateness,
            "status": activity.get_status_display(),
        },
    }


# --- Rooms (administrators) -------------------------------------------------------------------

ROOMS = ListDefinition(
    key="activities.rooms",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("capacity", gettext_lazy("Capacity"), numeric=True, sort="capacity"),
        Column("location", gettext_lazy("Location"), sort="location"),
        Column("is_active", gettext_lazy("Active")),
    ],
    search_fields=("name", "location"),
    default_sort="name",
    empty_icon="map-pin",
    empty_title=gettext_lazy("No rooms yet"),
    empty_text=gettext_lazy("Add the meeting rooms and resources meetings may book."),
)


@login_required
def room_list(request):
    access.require_admin(request.user)
    return render_list(
        request,
        ROOMS,
        Room.objects.all(),
        title=_("Rooms and resources"),
        create_url=reverse("activities:room_create"),
        create_label=_("New room"),
    )


@login_required
def room_edit(request, pk: int | None = None):
    access.require_admin(request.user)
    room = get_object_or_404(Room, pk=pk) if pk is not None else None
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            bookings.save_room(actor=request.user, room=room, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return success_redirect(request, reverse("activities:rooms"), _("Room saved."))
    return render_form_page(
        request,
        form,
        title=str(room) if room else _("New room"),
        history_of=room,
        cancel_url=reverse("activities:rooms"),
        back_url=reverse("activities:rooms"),
        back_label=_("Rooms and resources"),
    )
