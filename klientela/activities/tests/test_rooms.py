"""Rooms and bookings: a meeting books a room, never twice at once, not even in a race."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction

from klientela.activities import bookings, services
from klientela.activities.models import Activity, Room, RoomBooking

from .conftest import at

TEN = at("2026-03-10T10:00+00:00")
ELEVEN = at("2026-03-10T11:00+00:00")
NOON = at("2026-03-10T12:00+00:00")


@pytest.fixture
def room(company):
    return bookings.save_room(actor=company["admin"], name="Blue room", capacity=8)


def meeting(user, subject, starts_at, ends_at, room=None, **fields):
    return services.create_activity(
        actor=user,
        kind="meeting",
        subject=subject,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        **fields,
    )


def test_only_an_administrator_keeps_rooms(company, room):
    with pytest.raises(PermissionDenied):
        bookings.save_room(actor=company["n_head"], name="Red room")
    with pytest.raises(ValidationError) as error:
        bookings.save_room(actor=company["admin"], name=" blue ROOM ")
    assert "already exists" in str(error.value)
    changed = bookings.save_room(actor=company["admin"], room=room, location="2nd floor")
    assert (changed.location, Room.objects.count()) == ("2nd floor", 1)


def test_a_meeting_books_the_room_for_its_time(company, room):
    planned = meeting(company["n_manager1"], "Demo", TEN, ELEVEN, room)
    booking = RoomBooking.objects.get(activity=planned)
    assert (booking.room, booking.starts_at, booking.ends_at) == (room, TEN, ELEVEN)


def test_an_overlapping_booking_is_refused_and_nothing_is_saved(company, room):
    meeting(company["n_manager1"], "Demo", TEN, ELEVEN, room)
    with pytest.raises(ValidationError) as error:
        meeting(company["s_manager1"], "Review", at("2026-03-10T10:30+00:00"), NOON, room)
    assert error.value.message_dict["room"] == [
        "Blue room is already booked at this time. Choose another time or room."
    ]
    assert not Activity.objects.filter(subject="Review").exists()
    # Back to back is fine: a booking ends where the next one starts.
    meeting(company["s_manager1"], "Review", ELEVEN, NOON, room)
    assert RoomBooking.objects.count() == 2


def test_a_booking_follows_the_meeting_or_the_move_is_refused(company, room):
    manager = company["n_manager1"]
    first = meeting(manager, "Demo", TEN, ELEVEN, room)
    second = meeting(manager, "Review", ELEVEN, NOON, room)
    services.update_activity(
        actor=manager,
        activity=first,
        starts_at=at("2026-03-11T10:00+00:00"),
        ends_at=at("2026-03-11T11:00+00:00"),
    )
    assert RoomBooking.objects.get(activity=first).starts_at == at("2026-03-11T10:00+00:00")
    with pytest.raises(ValidationError):
        services.update_activity(
            actor=manager,
            activity=Activity.objects.get(pk=second.pk),
            starts_at=at("2026-03-11T10:30+00:00"),
            ends_at=at("2026-03-11T11:30+00:00"),
        )
    second.refresh_from_db()
    assert second.starts_at == ELEVEN


def test_a_cancelled_meeting_frees_the_room(company, room):
    manager = company["n_manager1"]
    first = meeting(manager, "Demo", TEN, ELEVEN, room)
    services.cancel_activity(actor=manager, activity=first)
    assert not RoomBooking.objects.exists()
    meeting(manager, "Another demo", TEN, ELEVEN, room)


def test_only_a_meeting_with_an_end_books_a_room(company, room):
    manager = company["n_manager1"]
    with pytest.raises(ValidationError) as error:
        services.create_activity(
            actor=manager, kind="call", subject="Call", starts_at=TEN, room=room
        )
    assert "Only a meeting" in str(error.value)
    with pytest.raises(ValidationError) as error:
        meeting(manager, "Open end", TEN, None, room)
    assert "until when" in str(error.value)


def test_a_room_with_bookings_is_not_deleted(company, room):
    meeting(company["n_manager1"], "Demo", TEN, ELEVEN, room)
    with pytest.raises(ValidationError):
        bookings.delete_room(actor=company["admin"], room=room)
    empty = bookings.save_room(actor=company["admin"], name="Car")
    bookings.delete_room(actor=company["admin"], room=empty)
    assert list(Room.objects.all()) == [room]


def test_the_database_itself_refuses_an_overlap(company, room):
    """Past the service's check (two requests that both found the room free): SQLite's trigger
    or PostgreSQL's exclusion constraint refuses the second booking."""
    manager = company["n_manager1"]
    first = meeting(manager, "Demo", TEN, ELEVEN)
    second = meeting(manager, "Review", TEN, ELEVEN)
    RoomBooking.objects.create(room=room, activity=first, starts_at=TEN, ends_at=ELEVEN)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        RoomBooking.objects.create(
            room=room, activity=second, starts_at=at("2026-03-10T10:59+00:00"), ends_at=NOON
        )
    assert bookings.OVERLAP in str(error.value)
    # Moving a booking onto another is refused the same way.
    later = RoomBooking.objects.create(room=room, activity=second, starts_at=ELEVEN, ends_at=NOON)
    later.starts_at = at("2026-03-10T10:30+00:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_slot_one_wins(company, room):
    """Two requests on two connections both pass the friendly check, then both insert: the
    exclusion constraint lets exactly one commit; the other is told the room is taken."""
    manager = company["n_manager1"]
    barrier = threading.Barrier(2, timeout=10)
    results = []
    original = bookings.room_is_free

    def checked_then_wait(*args, **kwargs):
        free = original(*args, **kwargs)
        barrier.wait()  # both have found the room free before either books it
        return free

    def book(subject):
        try:
            meeting(manager, subject, TEN, ELEVEN, room)
        except ValidationError as error:
            results.append(("refused", error.message_dict["room"][0]))
        else:
            results.append(("booked", subject))
        finally:
            close_old_connections()
            connection.close()

    bookings.room_is_free = checked_then_wait
    try:
        threads = [threading.Thread(target=book, args=(name,)) for name in ("Demo A", "Demo B")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        bookings.room_is_free = original
    assert sorted(kind for kind, _ in results) == ["booked", "refused"]
    assert "already booked" in dict(results)["refused"]
    assert RoomBooking.objects.count() == 1
    assert Activity.objects.filter(subject__startswith="Demo").count() == 1
