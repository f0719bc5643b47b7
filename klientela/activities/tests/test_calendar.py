"""The calendar: whose calendars one may open (page feed and API), events, rooms' pages and API."""

import pytest
from django.urls import reverse

from klientela.activities import bookings, services
from klientela.activities.models import Activity, Room, RoomBooking
from tests.apiclient import ApiClient, assert_documented

from .conftest import at

START, END = "2026-03-09T00:00:00+00:00", "2026-03-16T00:00:00+00:00"


@pytest.fixture
def week(company):
    """A call of every manager and head in the week of 9 March 2026; a meeting in the Blue room."""
    room = bookings.save_room(actor=company["admin"], name="Blue room", capacity=6)
    made = {}
    for key in ("n_manager1", "n_manager2", "n_head", "s_manager1"):
        made[key] = services.create_activity(
            actor=company[key],
            kind="call",
            subject=f"Call of {key}",
            starts_at=at("2026-03-10T09:00+00:00"),
        )
    made["meeting"] = services.create_activity(
        actor=company["s_manager1"],
        kind="meeting",
        subject="South meeting",
        starts_at=at("2026-03-11T10:00+00:00"),
        ends_at=at("2026-03-11T11:00+00:00"),
        room=room,
    )
    made["room"] = room
    return made


def feed(client, viewer, **params):
    client.force_login(viewer)
    return client.get(reverse("activities:calendar_events"), {"start": START, "end": END, **params})


def subjects(response) -> set[str]:
    return {event["title"].split(" · ")[0] for event in response.json()}


def test_the_calendar_page_loads_fullcalendar_under_the_csp(client, company, week):
    client.force_login(company["n_manager1"])
    response = client.get(reverse("activities:calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "build/calendar.js" in html and 'name="csp-nonce"' in html
    policy = response.headers["Content-Security-Policy"]
    nonce = html.split('name="csp-nonce" content="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in policy and "unsafe-inline" not in policy
    # Only the team's colleagues are offered.
    assert "n_manager2" in html and "s_manager1" not in html


def test_own_calendar_by_default_with_kind_and_overdue(client, company, week):
    response = feed(client, company["n_manager1"])
    assert response.status_code == 200
    (event,) = response.json()
    assert event["title"] == "Call of n_manager1"
    assert "calendar-kind-call" in event["classNames"]
    assert "calendar-overdue" in event["classNames"]  # 10 March 2026 is past
    assert event["editable"] is True


@pytest.mark.parametrize(
    ("viewer", "colleague", "allowed"),
    [
        ("n_manager1", "n_manager2", True),  # a manager sees the team's colleagues
        ("n_manager1", "n_head", True),
        ("n_manager1", "s_manager1", False),  # not another team's
        ("n_head", "n_manager2", True),
        ("n_head", "s_manager1", False),
        ("admin", "s_manager1", True),  # an administrator sees everyone
        ("nobody", "nobody", False),  # no role: no calendar at all
    ],
)
def test_colleagues_calendars_follow_the_access_rules(
    client, company, week, viewer, colleague, allowed
):
    response = feed(client, company[viewer], user=[company[colleague].pk])
    api = ApiClient(client, company[viewer]).get(
        "/calendar", start=START, end=END, user=company[colleague].pk
    )
    if allowed:
        assert response.status_code == 200
        assert subjects(response) == {f"Call of {colleague}"} | (
            {"South meeting"} if colleague == "s_manager1" else set()
        )
        assert api.status_code == 200, api.json()
        assert_documented(api, "/calendar")
        assert {e["subject"] for e in api.json()} == subjects(response)
    else:
        assert response.status_code == 403
        assert api.status_code == 403


def test_colleagues_side_by_side_are_coloured_and_named(client, company, week):
    users = [company["n_manager1"].pk, company["n_manager2"].pk]
    response = feed(client, company["n_manager1"], user=users)
    events = {event["title"]: event for event in response.json()}
    assert set(events) == {"Call of n_manager1 · n_manager1", "Call of n_manager2 · n_manager2"}
    # Coloured as on the page: n_head, n_manager1, n_manager2 in the list of the team.
    assert "calendar-person-2" in events["Call of n_manager2 · n_manager2"]["classNames"]
    # A colleague's activity is shown, not movable, for a manager who changes only their own.
    assert events["Call of n_manager2 · n_manager2"]["editable"] is False


def test_a_rooms_calendar_shows_hidden_meetings_as_busy(client, company, week):
    room = week["room"]
    north = feed(client, company["n_manager1"], room=room.pk).json()
    assert [(event["title"], event["editable"]) for event in north] == [("Booked", False)]
    south = feed(client, company["s_manager1"], room=room.pk).json()
    assert [event["title"] for event in south] == ["South meeting · s_manager1 · Blue room"]


def test_the_calendar_feed_reads_a_fixed_number_of_queries(
    client, company, week, django_assert_max_num_queries
):
    for number in range(20):
        services.create_activity(
            actor=company["n_manager1"],
            kind="meeting",
            subject=f"Meeting {number}",
            starts_at=at(f"2026-03-12T{8 + number % 10:02d}:00+00:00"),
            ends_at=at(f"2026-03-12T{8 + number % 10:02d}:30+00:00"),
        )
    client.force_login(company["n_manager1"])
    client.get(reverse("activities:calendar_events"), {"start": START, "end": END})
    with django_assert_max_num_queries(11):  # 11: the absences of the people shown
        response = client.get(reverse("activities:calendar_events"), {"start": START, "end": END})
    assert len(response.json()) == 21


def test_a_slot_opens_the_form_with_its_time_and_room(client, company, week):
    client.force_login(company["n_manager1"])
    room = week["room"]
    response = client.get(
        reverse("activities:create"),
        {
            "kind": "meeting",
            "when": "2026-03-12T14:00",
            "until": "2026-03-12T15:00",
            "room": room.pk,
        },
    )
    html = response.content.decode()
    assert 'value="2026-03-12T14:00"' in html and 'value="2026-03-12T15:00"' in html
    assert f'<option value="{room.pk}" selected>' in html


def test_booking_through_the_form_refuses_an_overlap_with_the_message(client, company, week):
    client.force_login(company["n_manager1"])
    response = client.post(
        reverse("activities:create"),
        {
            "kind": "meeting",
            "subject": "Clash",
            "when": "2026-03-11T10:30",
            "ends_at": "2026-03-11T11:30",
            "room": week["room"].pk,
        },
    )
    assert response.status_code == 200
    assert "Blue room is already booked at this time" in response.content.decode()
    assert not Activity.objects.filter(subject="Clash").exists()


def test_moving_through_the_api_is_refused_when_the_room_is_taken(client, company, week):
    api = ApiClient(client, company["s_manager1"])
    other = services.create_activity(
        actor=company["s_manager1"],
        kind="meeting",
        subject="Second",
        starts_at=at("2026-03-11T12:00+00:00"),
        ends_at=at("2026-03-11T13:00+00:00"),
        room=week["room"],
    )
    refused = api.patch(
        f"/activities/{other.pk}",
        {"starts_at": "2026-03-11T10:30:00Z", "ends_at": "2026-03-11T11:30:00Z"},
    )
    assert refused.status_code == 422
    assert "already booked" in refused.json()["error"]["fields"]["room"][0]
    moved = api.patch(
        f"/activities/{other.pk}",
        {"starts_at": "2026-03-12T10:30:00Z", "ends_at": "2026-03-12T11:30:00Z"},
    )
    assert moved.status_code == 200 and moved.json()["room_id"] == week["room"].pk
    assert RoomBooking.objects.get(activity=other).starts_at == at("2026-03-12T10:30+00:00")


def test_rooms_are_kept_by_administrators_through_pages_and_api(client, company):
    client.force_login(company["n_head"])
    assert client.get(reverse("activities:rooms")).status_code == 403
    assert client.post(reverse("activities:room_create"), {"name": "X"}).status_code == 403
    head_api = ApiClient(client, company["n_head"])
    assert head_api.post("/rooms", {"name": "X"}).status_code == 403
    assert not Room.objects.exists()

    client.force_login(company["admin"])
    assert client.get(reverse("activities:rooms")).status_code == 200
    response = client.post(
        reverse("activities:room_create"),
        {"name": "Green room", "capacity": "10", "location": "1st floor", "is_active": "on"},
    )
    assert response.status_code == 302
    room = Room.objects.get()
    assert (room.capacity, room.location) == (10, "1st floor")
    api = ApiClient(client, company["admin"])
    created = api.post("/rooms", {"name": "Projector"})
    assert created.status_code == 201
    assert_documented(created, "/rooms", "post")
    assert api.post("/rooms", {"name": "projector"}).status_code == 422
    changed = api.put(f"/rooms/{room.pk}", {"name": "Green room", "capacity": 12})
    assert changed.json()["capacity"] == 12
    listed = head_api.get("/rooms")
    assert [item["name"] for item in listed.json()["items"]] == ["Green room", "Projector"]
    assert api.delete(f"/rooms/{created.json()['id']}").status_code == 204


def test_without_a_role_there_is_no_calendar(client, company):
    client.force_login(company["nobody"])
    assert client.get(reverse("activities:calendar")).status_code == 403
    response = client.get(reverse("activities:calendar_events"), {"start": START, "end": END})
    assert response.status_code == 403


def test_a_range_is_required_and_ordered(client, company):
    client.force_login(company["n_manager1"])
    url = reverse("activities:calendar_events")
    assert client.get(url).status_code == 400
    assert client.get(url, {"start": END, "end": START}).status_code == 400


def test_the_room_list_reads_a_fixed_number_of_queries(
    client, company, django_assert_max_num_queries
):
    for number in range(30):
        bookings.save_room(actor=company["admin"], name=f"Room {number}", capacity=number)
    client.force_login(company["admin"])
    client.get(reverse("activities:rooms"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activities:rooms"))
    assert "Room 29" in response.content.decode() or "Room 9" in response.content.decode()


def test_the_activity_card_names_its_room(client, company, week):
    client.force_login(company["s_manager1"])
    response = client.get(week["meeting"].get_absolute_url())
    assert response.status_code == 200
    assert "Blue room" in response.content.decode()
