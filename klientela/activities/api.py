"""Activities through the API: plan, change, complete (with a follow-up), cancel; calendar range.

The same services and the same access as the pages: a record the caller may not see is a 404.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset
from klientela.customers.models import Organization, Person
from klientela.sales.models import Deal

from . import bookings, feeds, reminders, services
from .filters import ActivityFilter
from .models import Activity, ChecklistItem, Reminder, Room

router = Router(tags=["activities"])

KINDS = "call, meeting, task or email"
REMINDERS = (
    "Minutes before it that the reminder goes out: 0 (at the time), 5, 15, 30, 60 or 1440; "
    "null: no reminder."
)


class ChecklistItemOut(Schema):
    id: int
    text: str
    is_done: bool


class ActivityOut(Schema):
    id: int
    kind: str = Field(description=KINDS)
    subject: str
    description: str
    starts_at: datetime | None = Field(description="Calls, meetings and emails.")
    ends_at: datetime | None
    due_at: datetime | None = Field(description="Tasks.")
    is_all_day: bool
    occurs_at: datetime = Field(description="Where it sits in a calendar: start, or due.")
    finishes_at: datetime = Field(description="When it should be over by (overdue after).")
    is_overdue: bool
    priority: str = Field(description="low, normal or high")
    status: str = Field(description="planned, done or cancelled")
    result: str
    completed_at: datetime | None
    direction: str = Field(description="Calls: incoming or outgoing.")
    phone: str
    duration_minutes: int | None
    place: str
    organization_id: int | None
    person_id: int | None
    deal_id: int | None
    responsible_id: int | None
    participant_ids: list[int]
    contact_ids: list[int] = Field(description="People of the client who take part.")
    parent_id: int | None = Field(description="The task this one is a subtask of.")
    follow_up_of_id: int | None
    checklist: list[ChecklistItemOut]
    remind_minutes: int | None = Field(description=REMINDERS)
    remind_at: datetime | None = Field(description="When the reminder goes out (while planned).")
    reminded_at: datetime | None = Field(description="When it went out, if it has.")
    room_id: int | None = Field(description="The room the meeting booked.")

    @staticmethod
    def resolve_room_id(activity):
        return services.booked_room_id(activity)

    @staticmethod
    def resolve_is_overdue(activity):
        return activity.status == Activity.Status.PLANNED and activity.finishes_at <= timezone.now()

    @staticmethod
    def resolve_participant_ids(activity):
        return [user.pk for user in activity.participants.all()]

    @staticmethod
    def resolve_contact_ids(activity):
        return [person.pk for person in activity.contacts.all()]

    @staticmethod
    def resolve_checklist(activity):
        return list(activity.checklist.all())


class ActivityIn(Schema):
    kind: str = Field(description=KINDS)
    subject: str
    description: str = ""
    starts_at: datetime | None = Field(None, description="Needed by calls, meetings, emails.")
    ends_at: datetime | None = None
    due_at: datetime | None = Field(None, description="Needed by tasks.")
    is_all_day: bool = False
    priority: str = "normal"
    direction: str = "outgoing"
    phone: str = ""
    duration_minutes: int | None = Field(None, ge=0)
    place: str = ""
    organization_id: int | None = None
    person_id: int | None = None
    deal_id: int | None = Field(None, description="Its client is linked too unless given.")
    responsible_id: int | None = Field(None, description="Default: you.")
    participant_ids: list[int] = []
    contact_ids: list[int] = []
    parent_id: int | None = None
    checklist: list[str] = Field([], description="Tasks: the checklist's items.")
    remind_minutes: int | None = Field(
        None, description=REMINDERS + " Left out: the responsible's default reminder."
    )
    room_id: int | None = Field(None, description="Meetings: the room to book for their time.")


class ActivityPatch(Schema):
    kind: str | None = None
    subject: str | None = None
    description: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    due_at: datetime | None = None
    is_all_day: bool | None = None
    priority: str | None = None
    direction: str | None = None
    phone: str | None = None
    duration_minutes: int | None = Field(None, ge=0)
    place: str | None = None
    organization_id: int | None = None
    person_id: int | None = None
    deal_id: int | None = None
    responsible_id: int | None = None
    participant_ids: list[int] | None = None
    contact_ids: list[int] | None = None
    parent_id: int | None = None
    remind_minutes: int | None = Field(None, description=REMINDERS)
    room_id: int | None = Field(None, description="Another room; null gives the room up.")


class FollowUpIn(Schema):
    kind: str | None = Field(None, description="Default: the completed activity's kind.")
    subject: str | None = Field(None, description="Default: the completed activity's subject.")
    description: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    due_at: datetime | None = None
    is_all_day: bool = False
    responsible_id: int | None = Field(None, description="Default: the same responsible.")


class CompleteIn(Schema):
    result: str
    duration_minutes: int | None = Field(None, ge=0)
    time_spent_minutes: int | None = Field(
        None, ge=1, le=24 * 60, description="Logged in your timesheet for the day it is completed."
    )
    follow_up: FollowUpIn | None = Field(
        None, description="The next activity, planned in the same step (same client and deal)."
    )


class CompleteOut(Schema):
    activity: ActivityOut
    follow_up: ActivityOut | None


class CancelIn(Schema):
    reason: str = ""


class ChecklistItemIn(Schema):
    text: str


class ChecklistItemPatch(Schema):
    is_done: bool


class ActivityFilters(Schema):
    start: datetime | None = Field(
        None, description="With `end`: those taking place, at least partly, in [start, end)."
    )
    end: datetime | None = None
    kind: list[str] | None = None
    status: list[str] | None = None
    responsible: list[int] | None = None
    overdue: bool | None = None
    organization: int | None = None
    person: int | None = None
    deal: int | None = None


def _visible(request, action: str = "view"):
    return (
        Activity.objects.visible_to(request.auth, action)
        .select_related("booking")
        .prefetch_related("participants", "contacts", "checklist")
    )


def _one(request, activity_id: int, action: str = "view") -> Activity:
    return get_object_or_404(_visible(request, action), pk=activity_id)


def _fields(request, data: dict) -> dict:
    """The payload with ids turned into records the caller may see (a hidden one is a 404)."""
    fields = {}
    for name, model in (("organization", Organization), ("person", Person), ("deal", Deal)):
        if f"{name}_id" in data:
            pk = data.pop(f"{name}_id")
            fields[name] = (
                None
                if pk is None
                else get_object_or_404(model.objects.visible_to(request.auth), pk=pk)
            )
    users = get_user_model().objects.filter(is_active=True)
    if "responsible_id" in data:
        pk = data.pop("responsible_id")
        if pk is not None:
            fields["responsible"] = get_object_or_404(users, pk=pk)
    if "parent_id" in data:
        pk = data.pop("parent_id")
        fields["parent"] = None if pk is None else _one(request, pk)
    if "participant_ids" in data:
        ids = data.pop("participant_ids")
        if ids is not None:
            fields["participants"] = list(users.filter(pk__in=ids))
            if len(fields["participants"]) != len(set(ids)):
                raise ValidationError({"participant_ids": _("Choose active users.")})
    if "contact_ids" in data:
        ids = data.pop("contact_ids")
        if ids is not None:
            fields["contacts"] = [
                get_object_or_404(Person.objects.visible_to(request.auth), pk=pk) for pk in ids
            ]
    if "room_id" in data:
        pk = data.pop("room_id")
        fields["room"] = None if pk is None else get_object_or_404(Room, pk=pk)
    if "duration_minutes" in data:
        minutes = data.pop("duration_minutes")
        fields["duration"] = timedelta(minutes=minutes) if minutes is not None else None
    return fields


def _checked(value: str, choices, name: str) -> str:
    if value not in choices:
        raise ValidationError(
            {name: _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}}
        )
    return value


def _check_choices(data: dict) -> None:
    for name, choices in (
        ("kind", Activity.Kind.values),
        ("priority", Activity.Priority.values),
        ("direction", Activity.Direction.values),
    ):
        if data.get(name) is not None:
            _checked(data[name], choices, name)
    if data.get("remind_minutes") is not None and data["remind_minutes"] not in Reminder.values:
        _checked(
            str(data["remind_minutes"]), [str(value) for value in Reminder.values], "remind_minutes"
        )


@router.get(
    "/activities",
    response=list[ActivityOut],
    summary="Activities",
    description="Filters combine. `start` and `end` give a calendar's range: the activities "
    "that take place in it at least partly, in the order they occur.",
)
@paginate(LimitOffset)
def list_activities(request, filters: Query[ActivityFilters]):
    activities = _visible(request).order_by("occurs_at", "id")
    if filters.start is not None or filters.end is not None:
        if filters.start is None or filters.end is None or filters.end <= filters.start:
            raise ValidationError({"end": _("Give both start and end, the end after the start.")})
        activities = activities.overlapping(filters.start, filters.end)
    data = {}
    for name in ("kind", "status", "responsible"):
        values = getattr(filters, name)
        if values:
            data[name] = values
    if filters.overdue is not None:
        data["overdue"] = str(filters.overdue).lower()
    filterset = ActivityFilter(_query(data), queryset=activities, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    activities = filterset.qs
    for name in ("organization", "person", "deal"):
        pk = getattr(filters, name)
        if pk is not None:
            activities = activities.filter(**{f"{name}_id": pk})
    return activities


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, [str(item) for item in value])
        else:
            query[name] = value
    return query


@router.get("/activities/{activity_id}", response=ActivityOut, summary="An activity")
def get_activity(request, activity_id: int):
    return _one(request, activity_id)


@router.post("/activities", response={201: ActivityOut}, summary="Plan an activity")
def create_activity(request, payload: ActivityIn):
    data = payload.dict()
    if "remind_minutes" not in payload.model_fields_set:
        data.pop("remind_minutes")
    _check_choices(data)
    fields = _fields(request, data)
    activity = services.create_activity(actor=request.auth, **data, **fields)
    return Status(201, _one(request, activity.pk))


@router.patch("/activities/{activity_id}", response=ActivityOut, summary="Change an activity")
def update_activity(request, activity_id: int, payload: ActivityPatch):
    activity = _one(request, activity_id, "edit")
    data = payload.dict(exclude_unset=True)
    _check_choices(data)
    fields = _fields(request, data)
    services.update_activity(actor=request.auth, activity=activity, **data, **fields)
    return _one(request, activity_id)


@router.delete("/activities/{activity_id}", response={204: None}, summary="Delete an activity")
def delete_activity(request, activity_id: int):
    services.delete_activity(actor=request.auth, activity=_one(request, activity_id, "delete"))
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/complete",
    response=CompleteOut,
    summary="Complete an activity",
    description="Records the result; with `follow_up`, plans the next activity in the same step "
    "(both or neither).",
)
def complete_activity(request, activity_id: int, payload: CompleteIn):
    activity = _one(request, activity_id, "edit")
    follow_up = None
    if payload.follow_up is not None:
        follow_up = {
            name: value
            for name, value in payload.follow_up.dict().items()
            if value is not None and name != "responsible_id"
        }
        _check_choices(follow_up)
        if payload.follow_up.responsible_id is not None:
            follow_up["responsible"] = get_object_or_404(
                get_user_model().objects.filter(is_active=True),
                pk=payload.follow_up.responsible_id,
            )
    minutes = payload.duration_minutes
    completed = services.complete_activity(
        actor=request.auth,
        activity=activity,
        result=payload.result,
        duration=timedelta(minutes=minutes) if minutes is not None else None,
        follow_up=follow_up,
        time_spent=timedelta(minutes=payload.time_spent_minutes)
        if payload.time_spent_minutes
        else None,
    )
    return {
        "activity": _one(request, activity_id),
        "follow_up": _one(request, completed.follow_up.pk) if completed.follow_up else None,
    }


@router.post("/activities/{activity_id}/cancel", response=ActivityOut, summary="Cancel")
def cancel_activity(request, activity_id: int, payload: CancelIn):
    activity = _one(request, activity_id, "edit")
    services.cancel_activity(actor=request.auth, activity=activity, reason=payload.reason)
    return _one(request, activity_id)


@router.post(
    "/activities/{activity_id}/checklist",
    response={201: ChecklistItemOut},
    summary="Add a checklist item",
)
def add_checklist_item(request, activity_id: int, payload: ChecklistItemIn):
    activity = _one(request, activity_id, "edit")
    item = services.add_checklist_item(actor=request.auth, activity=activity, text=payload.text)
    return Status(201, item)


def _item(request, activity_id: int, item_id: int) -> ChecklistItem:
    activity = _one(request, activity_id, "edit")
    return get_object_or_404(activity.checklist.select_related("activity"), pk=item_id)


@router.patch(
    "/activities/{activity_id}/checklist/{item_id}",
    response=ChecklistItemOut,
    summary="Tick or untick a checklist item",
)
def set_checklist_item(request, activity_id: int, item_id: int, payload: ChecklistItemPatch):
    item = _item(request, activity_id, item_id)
    return services.set_checklist_item_done(actor=request.auth, item=item, is_done=payload.is_done)


@router.delete(
    "/activities/{activity_id}/checklist/{item_id}",
    response={204: None},
    summary="Remove a checklist item",
)
def remove_checklist_item(request, activity_id: int, item_id: int):
    services.remove_checklist_item(actor=request.auth, item=_item(request, activity_id, item_id))
    return Status(204, None)


# --- Reminder settings and the calendar feed: the caller's own ---------------------------------


class ReminderSettings(Schema):
    remind_minutes: int | None = Field(description="The default reminder. " + REMINDERS)
    email_reminders: bool = Field(description="Reminders also come by e-mail.")


class FeedOut(Schema):
    url: str | None = Field(
        description="The private iCalendar address of your activities; null while turned off."
    )


@router.get("/me/reminders", response=ReminderSettings, summary="Your reminder settings")
def get_reminder_settings(request):
    preferences = reminders.preferences_of(request.auth)
    return {
        "remind_minutes": preferences.remind_minutes,
        "email_reminders": preferences.email_reminders,
    }


@router.put("/me/reminders", response=ReminderSettings, summary="Change your reminder settings")
def put_reminder_settings(request, payload: ReminderSettings):
    preferences = reminders.update_preferences(
        actor=request.auth,
        user=request.auth,
        remind_minutes=payload.remind_minutes,
        email_reminders=payload.email_reminders,
    )
    return {
        "remind_minutes": preferences.remind_minutes,
        "email_reminders": preferences.email_reminders,
    }


def _feed_url(request, token: str) -> str | None:
    if not token:
        return None
    return request.build_absolute_uri(reverse("activities:feed", args=[token]))


@router.get("/me/calendar-feed", response=FeedOut, summary="Your calendar feed's address")
def get_feed(request):
    return {"url": _feed_url(request, feeds.feed_token_of(request.auth))}


@router.post(
    "/me/calendar-feed",
    response=FeedOut,
    summary="Make a new calendar feed address",
    description="The previous address, if any, stops working.",
)
def regenerate_feed(request):
    token = feeds.regenerate_feed(actor=request.auth, user=request.auth)
    return {"url": _feed_url(request, token)}


@router.delete("/me/calendar-feed", response={204: None}, summary="Turn the calendar feed off")
def stop_feed(request):
    feeds.stop_feed(actor=request.auth, user=request.auth)


# --- Calendar ---------------------------------------------------------------------------------


class CalendarEventOut(Schema):
    id: int
    kind: str = Field(description=KINDS)
    subject: str
    status: str
    is_all_day: bool
    occurs_at: datetime
    finishes_at: datetime
    is_overdue: bool
    responsible_id: int | None
    room_id: int | None
    may_change: bool = Field(description="Whether the caller may move it.")

    @staticmethod
    def resolve_is_overdue(activity):
        return bool(activity.lateness)

    @staticmethod
    def resolve_room_id(activity):
        return activity.room.pk if activity.room is not None else None


class CalendarUserOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(user):
        return user.get_full_name() or user.username


@router.get(
    "/calendar",
    response=list[CalendarEventOut],
    summary="A calendar",
    description="The activities in [start, end) of the given users (yours by default: those "
    "you are responsible for or take part in), or booked in a room. A colleague's calendar "
    "is open to those whose role sees the colleague's activities (403 otherwise). Cancelled "
    "ones are left out.",
)
def calendar(
    request,
    start: datetime,
    end: datetime,
    user: Query[list[int]] = None,
    room: int | None = None,
):
    chosen = get_object_or_404(Room, pk=room) if room is not None else None
    return services.calendar(request.auth, start=start, end=end, people=user or None, room=chosen)


@router.get(
    "/calendar/users",
    response=list[CalendarUserOut],
    summary="Whose calendars you may open",
)
def calendar_users(request):
    return services.calendar_users(request.auth)


# --- Rooms ------------------------------------------------------------------------------------


class RoomOut(Schema):
    id: int
    name: str
    capacity: int | None
    location: str
    is_active: bool


class RoomIn(Schema):
    name: str
    capacity: int | None = Field(None, ge=0)
    location: str = ""
    is_active: bool = True


@router.get("/rooms", response=list[RoomOut], summary="Rooms and resources", tags=["rooms"])
@paginate(LimitOffset)
def list_rooms(request, active: bool | None = None):
    rooms = Room.objects.order_by("name", "id")
    return rooms if active is None else rooms.filter(is_active=active)


@router.get("/rooms/{room_id}", response=RoomOut, summary="A room", tags=["rooms"])
def get_room(request, room_id: int):
    return get_object_or_404(Room, pk=room_id)


@router.post(
    "/rooms", response={201: RoomOut}, summary="Add a room (administrators)", tags=["rooms"]
)
def create_room(request, payload: RoomIn):
    return Status(201, bookings.save_room(actor=request.auth, **payload.dict()))


@router.put(
    "/rooms/{room_id}", response=RoomOut, summary="Change a room (administrators)", tags=["rooms"]
)
def update_room(request, room_id: int, payload: RoomIn):
    room = get_object_or_404(Room, pk=room_id)
    return bookings.save_room(actor=request.auth, room=room, **payload.dict())


@router.delete(
    "/rooms/{room_id}",
    response={204: None},
    summary="Delete a room never booked (administrators)",
    tags=["rooms"],
)
def delete_room(request, room_id: int):
    bookings.delete_room(actor=request.auth, room=get_object_or_404(Room, pk=room_id))
    return Status(204, None)
