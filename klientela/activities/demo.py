"""Demo activities: for every demo user, a month of calls, meetings, tasks and emails behind them
(done, with results, a few cancelled or left overdue) and the next two weeks planned, about their
clients and deals, in working hours of the user's own time zone.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from klientela.core.demodata import DemoLoader
from klientela.customers.models import Membership, Organization
from klientela.sales.models import Deal

from . import bookings
from .models import Activity, ChecklistItem, Room, RoomBooking
from .services import day_bounds, zone_of

SEED = 2026
PAST_PER_USER = 24
OVERDUE_PER_USER = 3
TODAY_PER_USER = 4
FUTURE_PER_USER = 14

SUBJECTS = {
    "call": [
        "Call about the proposal",
        "Clarify the delivery terms",
        "Call back about pricing",
        "Check the invoice was received",
        "Introductory call",
        "Discuss the renewal",
    ],
    "meeting": [
        "Product demo",
        "Meeting at the client's office",
        "Contract negotiation",
        "Quarterly review",
        "Kick-off of the implementation",
    ],
    "task": [
        "Prepare the commercial offer",
        "Send the contract for approval",
        "Update the price calculation",
        "Collect the client's requirements",
        "Check the payment",
    ],
    "email": [
        "Send the presentation",
        "Send the price list",
        "Follow-up email after the meeting",
        "Send the meeting minutes",
    ],
}
RESULTS = [
    "Interested; asked for a detailed offer by Friday.",
    "Agreed on the delivery date, the contract goes to their lawyer.",
    "Not the right person: got the purchaser's contact.",
    "Decision postponed to next month, call back then.",
    "Price accepted with a 5% discount for a yearly contract.",
    "Sent; they confirmed it arrived.",
    "Demo went well, two more departments want to see it.",
    "Budget approved, waiting for the signed order.",
]
CANCEL_REASONS = ["The client asked to reschedule.", "Duplicate of another meeting."]
PLACES = ["Client's office", "Our office, room 2", "Video call", "Café near the client"]
CHECKLIST = ["Check the prices", "Attach the specification", "Get the head's approval"]
KIND_WEIGHTS = {"call": 5, "meeting": 2, "task": 3, "email": 2}
DURATIONS = {"call": (5, 30), "meeting": (45, 120), "task": (0, 0), "email": (0, 0)}


def is_loaded() -> bool:
    return Activity.objects.exists()


class Planner:
    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        self.rows: list[Activity] = []
        self.participants: list[tuple[Activity, int]] = []
        self.contacts: list[tuple[Activity, int]] = []
        self.checklists: list[tuple[Activity, list[str]]] = []

    def kind(self) -> str:
        return self.rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]

    def moment(self, user, day: datetime.date, earliest: int = 9) -> datetime.datetime:
        start, _end = day_bounds(day, zone_of(user))
        hour = self.rng.randint(earliest, 17)
        return start + datetime.timedelta(hours=hour, minutes=self.rng.choice([0, 15, 30, 45]))

    def add(self, user, day: datetime.date, clients: list, status: str, teammates: list) -> None:
        rng = self.rng
        kind = self.kind()
        when = self.moment(user, day)
        client = rng.choice(clients) if clients else {}
        lo, hi = DURATIONS[kind]
        length = datetime.timedelta(minutes=rng.randint(lo, hi)) if hi else None
        activity = Activity(
            kind=kind,
            subject=rng.choice(SUBJECTS[kind]),
            responsible=user,
            responsible_team_id=user.team_id,
            created_by=user,
            priority=rng.choices(["low", "normal", "high"], weights=[1, 6, 2])[0],
            status=status,
            organization_id=client.get("organization"),
            person_id=client.get("person"),
            deal_id=client.get("deal"),
            direction=rng.choice(["outgoing", "outgoing", "incoming"]) if kind == "call" else "",
            place=rng.choice(PLACES) if kind == "meeting" else "",
        )
        if kind == "task":
            activity.due_at = activity.occurs_at = activity.finishes_at = when
        else:
            activity.starts_at = activity.occurs_at = when
            activity.ends_at = when + length if length and kind == "meeting" else None
            activity.finishes_at = activity.ends_at or when
        if status == "done":
            activity.result = rng.choice(RESULTS)
            activity.completed_at = activity.finishes_at + datetime.timedelta(minutes=20)
            activity.completed_by = user
            activity.duration = length
        elif status == "cancelled":
            activity.result = rng.choice(CANCEL_REASONS)
            activity.completed_at = when - datetime.timedelta(hours=3)
            activity.completed_by = user
        self.rows.append(activity)
        if kind == "meeting" and teammates and rng.random() < 0.5:
            self.participants.append((activity, rng.choice(teammates).pk))
        if kind in ("call", "meeting") and client.get("contact"):
            self.contacts.append((activity, client["contact"]))
        if kind == "task" and rng.random() < 0.5:
            self.checklists.append((activity, rng.sample(CHECKLIST, rng.randint(2, 3))))


def _clients(organizations) -> list[dict]:
    """Clients to call and meet: organizations, each with a contact and a deal if it has them."""
    organizations = list(organizations.order_by("id").values_list("pk", flat=True)[:40])
    deals = {}
    for deal_id, organization_id, person_id in Deal.objects.filter(
        organization_id__in=organizations
    ).values_list("pk", "organization_id", "person_id"):
        deals.setdefault(organization_id, (deal_id, person_id))
    contacts = {}
    for organization_id, person_id in Membership.objects.filter(
        organization_id__in=organizations
    ).values_list("organization_id", "person_id"):
        contacts.setdefault(organization_id, person_id)
    clients = []
    for organization_id in organizations:
        deal_id, deal_person = deals.get(organization_id, (None, None))
        clients.append(
            {
                "organization": organization_id,
                "person": deal_person or contacts.get(organization_id),
                "contact": contacts.get(organization_id),
                "deal": deal_id,
            }
        )
    return clients


def load_activities(context: dict) -> None:
    rng = random.Random(SEED)
    now = timezone.now()
    users = list(get_user_model().objects.filter(is_active=True, role__isnull=False))
    planner = Planner(rng, now)
    for user in users:
        today = now.astimezone(zone_of(user)).date()
        teammates = [other for other in users if other.team_id == user.team_id and other != user]
        # Someone with no clients of their own (the administrator) works with those they see.
        clients = (
            _clients(Organization.objects.filter(responsible=user))
            or _clients(Organization.objects.visible_to(user))
            or [{}]
        )
        for _step in range(PAST_PER_USER):
            day = today - datetime.timedelta(days=rng.randint(1, 30))
            status = rng.choices(["done", "cancelled"], weights=[10, 1])[0]
            planner.add(user, day, clients, status, teammates)
        for _step in range(OVERDUE_PER_USER):
            planner.add(
                user, today - datetime.timedelta(days=rng.randint(1, 6)), clients, "planned", []
            )
        for _step in range(TODAY_PER_USER):
            planner.add(user, today, clients, "planned", teammates)
        for _step in range(FUTURE_PER_USER):
            day = today + datetime.timedelta(days=rng.randint(1, 14))
            planner.add(user, day, clients, "planned", teammates)
    Activity.objects.bulk_create(planner.rows, batch_size=500)
    through = Activity.participants.through
    through.objects.bulk_create(
        through(activity_id=activity.pk, user_id=user_id)
        for activity, user_id in planner.participants
    )
    through = Activity.contacts.through
    through.objects.bulk_create(
        through(activity_id=activity.pk, person_id=person_id)
        for activity, person_id in planner.contacts
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(activity_id=activity.pk, text=text, order=order, is_done=not activity.is_open)
        for activity, texts in planner.checklists
        for order, text in enumerate(texts)
    )
    _link_follow_ups(planner.rows)
    _book_rooms(rng)


# Meeting rooms and resources of the demo office; planned meetings book them when free.
ROOMS = (
    ("Blue room", 8, "1st floor"),
    ("Green room", 4, "1st floor"),
    ("Conference hall", 30, "2nd floor"),
    ("Projector", None, "Reception"),
)


def _book_rooms(rng: random.Random) -> None:
    rooms = [
        Room.objects.get_or_create(name=name, defaults={"capacity": size, "location": where})[0]
        for name, size, where in ROOMS
    ]
    meetings = Activity.objects.filter(kind=Activity.Kind.MEETING).exclude(
        status=Activity.Status.CANCELLED
    )
    for meeting in meetings.filter(finishes_at__gt=models.F("occurs_at")).order_by("occurs_at"):
        if rng.random() < 0.4:
            continue
        room = rng.choice(rooms[:3])
        if bookings.room_is_free(room, meeting.occurs_at, meeting.finishes_at):
            RoomBooking.objects.create(
                room=room,
                activity=meeting,
                starts_at=meeting.occurs_at,
                ends_at=meeting.finishes_at,
            )


def _link_follow_ups(rows: list[Activity]) -> None:
    """A done activity and the next planned one about the same deal: the second follows it."""
    last_done: dict[tuple, Activity] = {}
    links = []
    for activity in sorted(rows, key=lambda row: row.occurs_at):
        key = (activity.responsible_id, activity.deal_id)
        if activity.deal_id is None:
            continue
        if activity.status == "done":
            last_done[key] = activity
        elif activity.status == "planned" and key in last_done:
            activity.follow_up_of = last_done.pop(key)
            links.append(activity)
    Activity.objects.bulk_update(links, ["follow_up_of"])


DEMO = DemoLoader(key="activities", order=40, load=load_activities, is_loaded=is_loaded)
