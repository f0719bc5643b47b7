"""The private calendar feed: read back with icalendar, a wrong token is a 404, only what the
owner may see; the address is made, remade and turned off from the profile and the API."""

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from klientela.activities import feeds, services
from klientela.activities.models import ActivityPreferences

from .conftest import at

pytestmark = pytest.mark.django_db


def _feed(client, token):
    response = client.get(reverse("activities:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _soon(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.now().date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def test_the_feed_lists_the_owners_activities_as_events_and_todos(company, clients, client):
    owner = company["n_manager1"]
    meeting = services.create_activity(
        actor=owner,
        kind="meeting",
        subject="Licence review",
        description="Bring the contract",
        starts_at=_soon(2),
        ends_at=_soon(2, 10),
        place="Acme office",
        organization=clients["north"],
    )
    task = services.create_activity(
        actor=owner, kind="task", subject="Send the offer", due_at=_soon(3, 12)
    )
    old = services.create_activity(
        actor=owner, kind="call", subject="Long ago", starts_at=_soon(-61)
    )
    cancelled = services.create_activity(
        actor=owner, kind="call", subject="Called off", starts_at=_soon(1)
    )
    services.cancel_activity(actor=owner, activity=cancelled)
    token = feeds.regenerate_feed(actor=owner, user=owner)
    client.logout()  # no session needed
    calendar = _feed(client, token)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Klientela" in str(calendar["PRODID"])
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    todos = {str(todo["SUMMARY"]): todo for todo in calendar.walk("VTODO")}
    assert set(events) == {"Licence review", "Called off"}
    assert set(todos) == {"Send the offer"}
    review = events["Licence review"]
    assert str(review["UID"]) == feeds.uid_of(meeting)
    assert review.decoded("DTSTART") == _soon(2)
    assert review.decoded("DTEND") == _soon(2, 10)
    assert review["DTSTART"].to_ical().endswith(b"Z")  # UTC, no VTIMEZONE needed
    assert str(review["LOCATION"]) == "Acme office"
    assert str(review["STATUS"]) == "CONFIRMED"
    assert "Acme North" in str(review["DESCRIPTION"])
    assert "Bring the contract" in str(review["DESCRIPTION"])
    assert str(events["Called off"]["STATUS"]) == "CANCELLED"
    offer = todos["Send the offer"]
    assert offer.decoded("DUE") == _soon(3, 12)
    assert str(offer["STATUS"]) == "NEEDS-ACTION"
    assert str(offer["UID"]) == feeds.uid_of(task)
    assert feeds.uid_of(old) not in {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_an_all_day_activity_is_a_date_in_the_owners_days(company, client):
    owner = company["n_manager1"]
    owner.timezone = "Europe/Warsaw"
    owner.save(update_fields=["timezone"])
    services.create_activity(
        actor=owner,
        kind="meeting",
        subject="Trade fair",
        starts_at=at("2026-03-10T08:00+01:00"),
        ends_at=at("2026-03-11T18:00+01:00"),
        is_all_day=True,
    )
    token = feeds.regenerate_feed(actor=owner, user=owner)
    calendar = icalendar.Calendar.from_ical(feeds.feed(owner, now=at("2026-03-01T00:00+00:00")))
    assert token
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2026, 3, 10)
    assert event.decoded("DTEND") == datetime.date(2026, 3, 12)


def test_a_wrong_or_old_token_is_a_404(company, client):
    owner = company["n_manager1"]
    first = feeds.regenerate_feed(actor=owner, user=owner)
    assert client.get(reverse("activities:feed", args=["not-the-token"])).status_code == 404
    second = feeds.regenerate_feed(actor=owner, user=owner)
    assert second != first
    assert client.get(reverse("activities:feed", args=[first])).status_code == 404
    assert client.get(reverse("activities:feed", args=[second])).status_code == 200
    feeds.stop_feed(actor=owner, user=owner)
    assert client.get(reverse("activities:feed", args=[second])).status_code == 404


def test_an_inactive_owners_feed_is_a_404(company, client):
    owner = company["n_manager1"]
    token = feeds.regenerate_feed(actor=owner, user=owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(reverse("activities:feed", args=[token])).status_code == 404


def test_the_feed_shows_only_what_the_owner_may_see(company, roles, client):
    owner = company["n_manager1"]
    mine = services.create_activity(actor=owner, kind="call", subject="Mine", starts_at=_soon(1))
    colleague = services.create_activity(
        actor=company["n_manager2"], kind="call", subject="A colleague's", starts_at=_soon(1)
    )
    invited = services.create_activity(
        actor=company["s_manager1"],
        kind="meeting",
        subject="Another team's, with me",
        starts_at=_soon(1),
        participants=[owner],
    )
    token = feeds.regenerate_feed(actor=owner, user=owner)
    summaries = {str(event["SUMMARY"]) for event in _feed(client, token).walk("VEVENT")}
    # The owner's own agenda: theirs and those they take part in, not the team's others.
    assert summaries == {mine.subject, invited.subject}
    assert colleague.subject not in summaries
    # A role that no longer lets them see activities empties the feed.
    owner.role = roles["admin"].__class__.objects.create(name="No activities", code="none-acts")
    owner.save(update_fields=["role"])
    assert list(_feed(client, token).walk("VEVENT")) == []


def test_the_profile_makes_remakes_and_turns_off_the_address(company, client):
    owner = company["n_manager1"]
    client.force_login(owner)
    page = client.get(reverse("accounts:profile"))
    assert b"Create the feed address" in page.content
    client.post(reverse("activities:feed_regenerate"))
    token = ActivityPreferences.objects.get(user=owner).feed_token
    page = client.get(reverse("accounts:profile"))
    assert token.encode() in page.content
    client.post(reverse("activities:feed_regenerate"))
    assert ActivityPreferences.objects.get(user=owner).feed_token != token
    client.post(reverse("activities:feed_stop"))
    assert ActivityPreferences.objects.get(user=owner).feed_token is None


def test_the_profile_saves_the_reminder_default(company, client):
    owner = company["n_manager1"]
    client.force_login(owner)
    client.post(
        reverse("activities:reminder_preferences"), {"remind_minutes": "60", "email_reminders": ""}
    )
    preferences = ActivityPreferences.objects.get(user=owner)
    assert (preferences.remind_minutes, preferences.email_reminders) == (60, False)
    client.post(reverse("activities:reminder_preferences"), {"remind_minutes": "7"})
    assert ActivityPreferences.objects.get(user=owner).remind_minutes == 60


def test_the_address_is_made_only_by_its_signed_in_owner(company, client):
    assert client.post(reverse("activities:feed_regenerate")).status_code == 302
    assert client.post(reverse("activities:feed_stop")).status_code == 302
    assert not ActivityPreferences.objects.filter(feed_token__isnull=False).exists()
    assert client.get("/api/v1/me/calendar-feed").status_code == 401
    assert client.post("/api/v1/me/calendar-feed").status_code in (401, 403)
    assert not ActivityPreferences.objects.filter(feed_token__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        feeds.regenerate_feed(actor=company["n_head"], user=company["n_manager1"])


def test_the_feed_is_a_published_calendar(company, client):
    owner = company["n_manager1"]
    token = feeds.regenerate_feed(actor=owner, user=owner)
    assert str(_feed(client, token)["METHOD"]) == "PUBLISH"
