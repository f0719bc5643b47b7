"""Rooms and resources, and a meeting's booking of one for its time, never twice at once.

The friendly check here says which room is taken; the database (migration 0002) is what refuses
the second of two bookings made at the same moment, and its refusal reads the same.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from klientela.core.access import require_admin
from klientela.core.audit import record_delete, record_saved, snapshot

from .models import Activity, Room, RoomBooking

ROOM_FIELDS = ("name", "capacity", "location", "is_active")
# The name the database gives its refusal of an overlap (constraint or trigger).
OVERLAP = "roombooking_no_overlap"


# --- Rooms ------------------------------------------------------------------------------------


@transaction.atomic
def save_room(*, actor, room: Room | None = None, **fields) -> Room:
    """Add a room (``room`` None) or change one; administrators only."""
    require_admin(actor)
    unknown = set(fields) - set(ROOM_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    created = room is None
    room = room or Room()
    before = None if created else snapshot(room)
    for name, value in fields.items():
        setattr(room, name, value)
    room.name = (room.name or "").strip()
    room.location = (room.location or "").strip()
    if not room.name:
        raise ValidationError({"name": _("Give the room a name.")})
    if Room.objects.filter(name__iexact=room.name).exclude(pk=room.pk).exists():
        raise ValidationError({"name": _("A room with this name already exists.")})
    room.full_clean()
    room.save()
    record_saved(room, before, actor=actor)
    return room


@transaction.atomic
def delete_room(*, actor, room: Room) -> None:
    """Remove a room that was never booked; one with bookings is made inactive instead."""
    require_admin(actor)
    if room.bookings.exists():
        raise ValidationError(
            _("This room has bookings: make it inactive instead of deleting it."), code="booked"
        )
    record_delete(room, actor=actor)
    room.delete()


# --- Bookings ---------------------------------------------------------------------------------


def _taken_message(room: Room) -> str:
    return _("%(room)s is already booked at this time. Choose another time or room.") % {
        "room": room
    }


def room_is_free(room: Room, starts_at, ends_at, *, exclude_activity=None) -> bool:
    others = RoomBooking.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_activity is not None and exclude_activity.pk:
        others = others.exclude(activity_id=exclude_activity.pk)
    return not others.exists()


def book_room(activity: Activity, room: Room | None) -> RoomBooking | None:
    """Hold ``room`` for the meeting's time, move its booking, or give it up (``room`` None).

    Called by the activity services inside their transaction after the activity is saved: a
    refusal (``ValidationError`` on ``room``) undoes the whole change.
    """
    current = RoomBooking.objects.filter(activity_id=activity.pk).select_related("room").first()
    if room is None or activity.status == Activity.Status.CANCELLED:
        if current is not None:
            current.delete()
        return None
    if activity.kind != Activity.Kind.MEETING:
        raise ValidationError({"room": _("Only a meeting books a room.")})
    if not room.is_active and (current is None or current.room_id != room.pk):
        raise ValidationError({"room": _("This room is not in use any more.")})
    starts_at, ends_at = activity.occurs_at, activity.finishes_at
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Say until when the room is needed.")})
    if not room_is_free(room, starts_at, ends_at, exclude_activity=activity):
        raise ValidationError({"room": _taken_message(room)}, code="room_taken")
    booking = current or RoomBooking(activity=activity)
    booking.room, booking.starts_at, booking.ends_at = room, starts_at, ends_at
    try:
        # A savepoint: the database's refusal must not break the caller's transaction before
        # it can say why.
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if OVERLAP in str(error):
            raise ValidationError({"room": _taken_message(room)}, code="room_taken") from error
        raise
    return booking


def follow_times(activity: Activity) -> None:
    """After the meeting moved: its booking moves with it (or is refused), cancelled frees it."""
    current = RoomBooking.objects.filter(activity_id=activity.pk).select_related("room").first()
    if current is not None:
        book_room(activity, current.room)


def room_of(activity: Activity) -> Room | None:
    booking = RoomBooking.objects.filter(activity_id=activity.pk).select_related("room").first()
    return booking.room if booking is not None else None
