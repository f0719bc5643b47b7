"""``klientela reminders [--loop]``: hand out the due reminders and send the outbox once (for
cron), or every minute; for installations without a Celery broker, where no beat runs."""

import time

from django.core.management.base import BaseCommand

from klientela.notifications import services as notifications

from ... import reminders


class Command(BaseCommand):
    help = "Send the reminders that are due and the e-mails waiting in the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep going, once a minute")

    def handle(self, *args, loop=False, **options):
        while True:
            handed_out = reminders.queue_due_reminders()
            sent = notifications.send_pending_emails()
            self.stdout.write(
                f"{handed_out} reminder(s) handed out, {sent.sent} e-mail(s) sent, "
                f"{sent.failed} failed (to be retried)."
            )
            if not loop:
                return
            time.sleep(60)
