"""Background work of activities: the reminders due this minute (run by the beat schedule)."""

from celery import shared_task

from klientela.notifications import services as notifications

from . import reminders


@shared_task(name="klientela.activities.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Hand out the due reminders (bell and outbox), then send the outbox."""
    handed_out = reminders.queue_due_reminders()
    notifications.send_pending_emails()
    return handed_out
