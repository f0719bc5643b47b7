"""Reminders on a real Celery worker with Redis (skipped when Redis is not reachable): the beat
entry's task, sent through the broker, delivers the reminder to a real SMTP server once."""

import datetime
import socket
import time

import pytest
from django.conf import settings
from django.utils import timezone

from klientela.accounts.models import User
from klientela.activities import services
from klientela.activities.models import Reminder
from klientela.notifications.models import OutgoingEmail
from klientela.notifications.tests.smtp import smtp_server  # noqa: F401 - the "smtp" fixture


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_the_beat_schedule_runs_the_reminders_and_the_outbox_every_minute():
    from klientela.background import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["activities-reminders"]["task"] == "klientela.activities.send_reminders"
    assert schedule["activities-reminders"]["schedule"] == 60.0
    assert schedule["notifications-outbox"]["task"] == "klientela.notifications.send_emails"
    app.loader.import_default_modules()
    assert "klientela.activities.send_reminders" in app.tasks
    assert "klientela.notifications.send_emails" in app.tasks


@pytest.mark.skipif(not _redis_up(), reason="Redis at 127.0.0.1:6379 is not reachable")
@pytest.mark.django_db(transaction=True)
def test_reminders_are_sent_by_a_celery_worker(company, smtp):
    from klientela.activities import tasks
    from klientela.jobs.testing import celery_worker

    manager = company["n_manager1"]
    User.objects.filter(pk=manager.pk).update(email="anna@example.com")
    manager.refresh_from_db()
    services.create_activity(
        actor=manager,
        kind="call",
        subject="Call Acme",
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        remind_minutes=Reminder.AT_TIME,
    )
    with celery_worker("redis://127.0.0.1:6379/14"):
        tasks.send_reminders.delay()
        tasks.send_reminders.delay()  # a second run, as the next minute's: nothing more
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp.messages:
            time.sleep(0.2)
        time.sleep(1)
    assert [message["To"] for message in smtp.messages] == ["anna@example.com"]
    assert "Call Acme" in smtp.messages[0]["Subject"]
    assert OutgoingEmail.objects.get().status == "sent"
