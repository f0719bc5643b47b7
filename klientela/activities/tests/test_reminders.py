"""Reminders: armed from the activity's time, re-armed and disarmed, handed out once by the real
task to a real SMTP server, in the reader's language and time zone; retried when sending fails."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from klientela.accounts.models import User
from klientela.activities import reminders, services, tasks
from klientela.activities.models import Activity, Reminder
from klientela.notifications.models import Notification, OutgoingEmail
from klientela.notifications.services import send_pending_emails
from klientela.notifications.tests.smtp import smtp_server  # noqa: F401 - the "smtp" fixture

from .conftest import at

pytestmark = pytest.mark.django_db


def _with_email(user, address, *, language="en", zone="UTC"):
    User.objects.filter(pk=user.pk).update(email=address, language=language, timezone=zone)
    user.refresh_from_db()
    return user


def _minutes_ago(minutes: int) -> str:
    return (timezone.now() - datetime.timedelta(minutes=minutes)).isoformat()


def _call(manager, starts: str, minutes=Reminder.MINUTES_15, **fields):
    return services.create_activity(
        actor=manager,
        kind="call",
        subject="Call Acme about the licences",
        starts_at=at(starts),
        remind_minutes=minutes,
        **fields,
    )


def test_a_reminder_is_armed_from_the_time_and_the_users_default(company):
    manager = company["n_manager1"]
    call = _call(manager, "2026-03-10T10:00+00:00", Reminder.HOUR)
    assert call.remind_at == at("2026-03-10T09:00+00:00")
    reminders.update_preferences(
        actor=manager, user=manager, remind_minutes=Reminder.DAY, email_reminders=True
    )
    task = services.create_activity(
        actor=manager, kind="task", subject="Send the offer", due_at=at("2026-03-12T12:00+00:00")
    )
    assert task.remind_minutes == Reminder.DAY
    assert task.remind_at == at("2026-03-11T12:00+00:00")
    silent = _call(manager, "2026-03-10T11:00+00:00", None)
    assert silent.remind_at is None


def test_rescheduling_re_arms_and_closing_disarms(company):
    manager = company["n_manager1"]
    call = _call(manager, "2026-03-10T10:00+00:00")
    assert reminders.queue_due_reminders(now=at("2026-03-10T09:46+00:00")) == 1
    call.refresh_from_db()
    assert call.reminded_at is not None
    # The subject alone changes: no second reminder.
    services.update_activity(actor=manager, activity=call, subject="Call Acme back")
    assert reminders.queue_due_reminders(now=at("2026-03-10T09:50+00:00")) == 0
    # Moved an hour later: armed again for 10:45.
    services.update_activity(actor=manager, activity=call, starts_at=at("2026-03-10T11:00+00:00"))
    call.refresh_from_db()
    assert (call.remind_at, call.reminded_at) == (at("2026-03-10T10:45+00:00"), None)
    assert reminders.queue_due_reminders(now=at("2026-03-10T10:40+00:00")) == 0
    assert reminders.queue_due_reminders(now=at("2026-03-10T10:45+00:00")) == 1
    assert Notification.objects.filter(user=manager, kind="reminder").count() == 2
    # Moved again, then completed before its reminder: nothing more.
    services.update_activity(actor=manager, activity=call, starts_at=at("2026-03-10T15:00+00:00"))
    services.complete_activity(actor=manager, activity=call, result="Agreed on Friday")
    call.refresh_from_db()
    assert call.remind_at is None
    assert reminders.queue_due_reminders(now=at("2026-03-10T16:00+00:00")) == 0


def test_cancelling_disarms(company):
    manager = company["n_manager1"]
    call = _call(manager, "2026-03-10T10:00+00:00")
    services.cancel_activity(actor=manager, activity=call)
    assert reminders.queue_due_reminders(now=at("2026-03-10T10:00+00:00")) == 0
    assert not Notification.objects.exists()


def test_a_reminder_found_long_after_is_dropped_not_sent(company):
    manager = company["n_manager1"]
    call = _call(manager, "2026-03-10T10:00+00:00")
    assert reminders.queue_due_reminders(now=at("2026-03-10T12:00+00:00")) == 0
    call.refresh_from_db()
    assert call.reminded_at is not None
    assert not Notification.objects.exists()


def test_the_task_sends_each_reminder_once_by_email_and_to_the_bell(company, smtp):
    manager = _with_email(company["n_manager1"], "anna@example.com")
    colleague = _with_email(company["n_manager2"], "boris@example.com")
    _call(manager, _minutes_ago(1), Reminder.AT_TIME, participants=[colleague])
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0  # the task runs again: nothing new
    assert sorted(message["To"] for message in smtp.messages) == [
        "anna@example.com",
        "boris@example.com",
    ]
    assert send_pending_emails().sent == 0
    assert len(smtp.messages) == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "n_manager1",
        "n_manager2",
    }
    assert OutgoingEmail.objects.filter(status="sent").count() == 2


def test_the_email_is_in_the_readers_language_and_time_zone(company, smtp):
    manager = _with_email(
        company["n_manager1"], "olga@example.com", language="ru", zone="Asia/Vladivostok"
    )
    colleague = _with_email(
        company["n_manager2"], "jan@example.com", language="pl", zone="Europe/Warsaw"
    )
    _call(manager, "2026-03-10T02:00+00:00", Reminder.MINUTES_30, participants=[colleague])
    assert reminders.queue_due_reminders(now=at("2026-03-10T01:30+00:00")) == 1
    send_pending_emails()
    russian = smtp.to("olga@example.com")[0]
    # 02:00 UTC is noon in Vladivostok, 03:00 in Warsaw; the day and its name in each language.
    assert (
        russian["Subject"].strip().startswith("Напоминание: Call Acme about the licences, вторник")
    )
    assert "12:00" in russian["Subject"]
    assert "Asia/Vladivostok" in russian.get_content()
    polish = smtp.to("jan@example.com")[0]
    assert polish["Subject"].strip().startswith("Przypomnienie: Call Acme")
    assert "03:00" in polish["Subject"] and "wtorek" in polish["Subject"]
    assert "Europe/Warsaw" in polish.get_content()


def test_a_failed_send_is_recorded_and_retried(company, smtp, settings):
    manager = _with_email(company["n_manager1"], "anna@example.com")
    _call(manager, "2026-03-10T10:00+00:00", Reminder.AT_TIME)
    reminders.queue_due_reminders(now=at("2026-03-10T10:00+00:00"))
    settings.EMAIL_PORT = smtp.port + 1 if smtp.port < 65535 else smtp.port - 1  # nobody there
    result = send_pending_emails()
    assert (result.sent, result.failed) == (0, 1)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error
    assert smtp.messages == []
    settings.EMAIL_PORT = smtp.port
    assert send_pending_emails().sent == 0  # not due again yet
    later = email.next_attempt_at + datetime.timedelta(seconds=1)
    assert send_pending_emails(now=later).sent == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(smtp.messages) == 1


def test_page_loads_do_not_send_reminders(company, client):
    manager = company["n_manager1"]
    _call(manager, _minutes_ago(1), Reminder.AT_TIME)
    client.force_login(manager)
    assert client.get("/").status_code == 200
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads share no in-memory SQLite database"
)
def test_two_workers_at_once_send_each_reminder_once(company, smtp):
    manager = _with_email(company["n_manager1"], "anna@example.com")
    for minute in range(6):
        _call(manager, f"2026-03-10T16:0{minute}+00:00", Reminder.AT_TIME)
    now = at("2026-03-10T16:10+00:00")
    start = threading.Barrier(2)
    handed_out = []
    errors = []

    def work():
        try:
            start.wait()
            handed_out.append(reminders.queue_due_reminders(now=now))
            send_pending_emails(now=now)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors
    sent = OutgoingEmail.objects.filter(status="sent").count()
    assert sum(handed_out) == sent == len(smtp.messages) == 6
    assert Notification.objects.count() == sent
    assert Activity.objects.filter(reminded_at__isnull=True).count() == 0


def test_the_command_sends_without_a_broker(company, smtp):
    from io import StringIO

    from django.core.management import call_command

    manager = _with_email(company["n_manager1"], "anna@example.com")
    _call(manager, _minutes_ago(1), Reminder.AT_TIME)
    out = StringIO()
    call_command("reminders", stdout=out)
    assert "1 reminder(s) handed out, 1 e-mail(s) sent" in out.getvalue()
    assert len(smtp.messages) == 1


def test_the_form_offers_the_users_default_and_saves_the_choice(company, client):
    from django.urls import reverse

    manager = company["n_manager1"]
    reminders.update_preferences(
        actor=manager, user=manager, remind_minutes=Reminder.HOUR, email_reminders=True
    )
    client.force_login(manager)
    page = client.get(reverse("activities:create"))
    assert '<option value="60" selected>1 hour before</option>' in page.text
    for posted, saved in (("1440", Reminder.DAY), ("", None)):
        subject = f"Call {posted or 'without'}"
        response = client.post(
            reverse("activities:create"),
            {
                "kind": "call",
                "subject": subject,
                "when": "2026-03-11T09:00",
                "remind_minutes": posted,
            },
        )
        assert response.status_code == 302
        assert Activity.objects.get(subject=subject).remind_minutes == saved
    # The card's quick form has no such field: the default applies.
    client.post(
        reverse("activities:create"),
        {"kind": "call", "subject": "Quick", "when": "2026-03-11T09:00"},
    )
    assert Activity.objects.get(subject="Quick").remind_minutes == Reminder.HOUR
