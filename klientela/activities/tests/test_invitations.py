"""Invitations to meetings: e-mails with an .ics attachment (REQUEST, CANCEL) through the outbox
to a real SMTP server; the attachment read back with icalendar."""

import icalendar
import pytest

from klientela.accounts.models import User
from klientela.activities import services
from klientela.customers.tests.factories import EmailFactory
from klientela.notifications.models import Notification, OutgoingEmail
from klientela.notifications.services import send_pending_emails
from klientela.notifications.tests.smtp import smtp_server  # noqa: F401 - the "smtp" fixture

from .conftest import at

pytestmark = pytest.mark.django_db


def _event(message):
    """The METHOD and the VEVENT of the message's calendar, checked to be the same in its
    text/calendar alternative and its .ics attachment."""
    alternatives = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    files = [part for part in message.walk() if part.get_filename(" ").endswith(".ics")]
    assert len(alternatives) == len(files) == 1
    assert alternatives[0].get_param("method") in ("REQUEST", "CANCEL")
    assert message.get_content_type() == "multipart/mixed"
    text = alternatives[0].get_content()
    assert files[0].get_content().decode() == text
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == alternatives[0].get_param("method")
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return str(calendar["METHOD"]), events[0]


def _attendees(event) -> set[str]:
    values = event.get("ATTENDEE")
    values = values if isinstance(values, list) else [values]
    return {str(value).removeprefix("mailto:") for value in values}


@pytest.fixture
def people(company, clients):
    organizer = company["n_manager1"]
    colleague = company["n_manager2"]
    User.objects.filter(pk=organizer.pk).update(email="anna@example.com")
    User.objects.filter(pk=colleague.pk).update(
        email="boris@example.com", language="ru", timezone="Europe/Moscow"
    )
    organizer.refresh_from_db()
    colleague.refresh_from_db()
    contact = clients["north_person"]
    EmailFactory(person=contact, address="olga@acme.example", is_primary=True)
    return {"organizer": organizer, "colleague": colleague, "contact": contact}


def _meeting(people, **fields):
    return services.create_activity(
        actor=people["organizer"],
        kind="meeting",
        subject="Licence review",
        starts_at=at("2026-03-10T09:00+00:00"),
        ends_at=at("2026-03-10T10:00+00:00"),
        place="Acme office, room 4",
        participants=[people["colleague"]],
        contacts=[people["contact"]],
        **fields,
    )


def test_a_new_meeting_invites_colleagues_and_contacts_with_an_ics(people, smtp):
    meeting = _meeting(people)
    assert send_pending_emails().sent == 2
    assert {message["To"] for message in smtp.messages} == {
        "boris@example.com",
        "olga@acme.example",
    }
    method, event = _event(smtp.to("olga@acme.example")[0])
    assert method == "REQUEST"
    assert str(event["UID"]).startswith(f"activity-{meeting.pk}@")
    assert event.decoded("DTSTART") == at("2026-03-10T09:00+00:00")
    assert event.decoded("DTEND") == at("2026-03-10T10:00+00:00")
    assert str(event["SUMMARY"]) == "Licence review"
    assert str(event["LOCATION"]) == "Acme office, room 4"
    assert str(event["ORGANIZER"]) == "mailto:anna@example.com"
    assert _attendees(event) == {"boris@example.com", "olga@acme.example"}
    assert int(event["SEQUENCE"]) == 0
    # The colleague reads it in Russian and Moscow time, and finds it in the bell too.
    russian = smtp.to("boris@example.com")[0]
    assert "12:00" in russian["Subject"]
    assert Notification.objects.filter(user=people["colleague"], kind="invitation").count() == 1


def test_rescheduling_sends_an_update_and_cancelling_a_cancel(people, smtp):
    meeting = _meeting(people)
    send_pending_emails()
    services.update_activity(
        actor=people["organizer"],
        activity=meeting,
        starts_at=at("2026-03-11T09:00+00:00"),
        ends_at=at("2026-03-11T10:00+00:00"),
    )
    send_pending_emails()
    method, event = _event(smtp.to("olga@acme.example")[-1])
    assert method == "REQUEST"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at("2026-03-11T09:00+00:00")
    services.cancel_activity(actor=people["organizer"], activity=meeting)
    send_pending_emails()
    method, event = _event(smtp.to("olga@acme.example")[-1])
    assert method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert len(smtp.to("boris@example.com")) == 3


def test_a_change_that_does_not_move_it_invites_only_new_people(people, smtp, company):
    meeting = _meeting(people)
    send_pending_emails()
    newcomer = company["n_head"]
    User.objects.filter(pk=newcomer.pk).update(email="head@example.com")
    newcomer.refresh_from_db()
    services.update_activity(
        actor=people["organizer"],
        activity=meeting,
        description="Bring the contract",
        participants=[newcomer],
    )
    send_pending_emails()
    # The new colleague is invited; the one taken off gets a cancellation; the contact nothing.
    assert _event(smtp.to("head@example.com")[-1])[0] == "REQUEST"
    assert _event(smtp.to("boris@example.com")[-1])[0] == "CANCEL"
    assert len(smtp.to("olga@acme.example")) == 1


def test_deleting_a_planned_meeting_cancels_it(people, smtp):
    meeting = _meeting(people)
    services.delete_activity(actor=people["organizer"], activity=meeting)
    send_pending_emails()
    method, event = _event(smtp.to("olga@acme.example")[-1])
    assert (method, int(event["SEQUENCE"])) == ("CANCEL", 1)


def test_calls_and_rolled_back_changes_invite_nobody(people, smtp):
    services.create_activity(
        actor=people["organizer"],
        kind="call",
        subject="Quick call",
        starts_at=at("2026-03-10T09:00+00:00"),
        participants=[people["colleague"]],
    )
    with pytest.raises(Exception, match="boom"):
        from django.db import transaction

        with transaction.atomic():
            _meeting(people)
            raise RuntimeError("boom")
    assert not OutgoingEmail.objects.exists()
