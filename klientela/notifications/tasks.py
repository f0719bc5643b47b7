from celery import shared_task

from . import services


@shared_task(name="klientela.notifications.send_emails", ignore_result=True)
def send_emails() -> int:
    """Send the outbox's due e-mails (every minute, and soon after a change queues one)."""
    sent = services.send_pending_emails().sent
    services.purge_old()
    return sent
