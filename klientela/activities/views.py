"""Activity pages: the list with its filters, the card, the forms, completing and the checklist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
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

from . import feeds, reminders, services
from .filters import ActivityFilter
from .forms import (
    FOLLOW_UP_ERRORS,
    FORM_ERRORS,
    ActivityForm,
    ChecklistItemForm,
    CompleteForm,
    ReminderPreferencesForm,
    kind_rules,
)
from .models import Activity, ChecklistItem

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
