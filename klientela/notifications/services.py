"""Notification rules: the bell (notify, read), the outbox (queue an e-mail, send what is due).

Sending claims one message at a time with an atomic UPDATE (``... WHERE status = 'pending' AND
the claim is free``): two workers running at once never take the same message, so each goes
out once. A message the mail server refused stays pending with the error and is tried again
later; after ``MAX_ATTEMPTS`` it is marked failed, kept with its last error for an operator.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from dataclasses import dataclass
from email import encoders
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, OutgoingEmail

log = logging.getLogger(__name__)

# How long a worker holds a message it took before another may take it (it died sending).
CLAIM_SECONDS = 300
MAX_ATTEMPTS = 12
SEND_BATCH = 200
MAIL_TIMEOUT = 30
# Sent e-mails and read notifications are kept this long, then removed by the sender's task.
KEEP_SENT_DAYS = 30
KEEP_READ_DAYS = 90


# --- The bell ---------------------------------------------------------------------------------


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(
        user=user, kind=kind, title=title[:300], body=body, url=url[:500]
    )


def notifications_of(user):
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, actor, notification: Notification) -> Notification:
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- The outbox -------------------------------------------------------------------------------


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    calendar: str = "",
    calendar_method: str = "",
    key: str = "",
    now: datetime.datetime | None = None,
) -> OutgoingEmail:
    """Put an e-mail in the outbox; it leaves with the next run of the sender (after commit)."""
    return OutgoingEmail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:300],
        body=body,
        calendar=calendar,
        calendar_method=calendar_method,
        key=key[:200],
        next_attempt_at=now or timezone.now(),
    )


def send_soon() -> None:
    """After commit, ask a worker to send the outbox now rather than on its next minute."""

    def _enqueue():
        from klientela.background import app

        if not app.conf.task_always_eager:
            app.send_task("klientela.notifications.send_emails")

    transaction.on_commit(_enqueue)


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0


def _message(email: OutgoingEmail, connection) -> EmailMessage:
    """The message; an invitation carries its event twice, as mail programs expect: as the
    text/calendar alternative of the text (Outlook and Thunderbird show Accept / Decline) and
    as an .ics file to open or save."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
    )
    if email.calendar:
        method = email.calendar_method
        mimetype = f"text/calendar; method={method}" if method else "text/calendar"
        message.attach_alternative(email.calendar, mimetype)
        part = MIMEBase("application", "ics")
        part.set_payload(email.calendar.encode())
        encoders.encode_base64(part)
        name = "cancel.ics" if method == "CANCEL" else "invite.ics"
        part.add_header("Content-Disposition", "attachment", filename=name)
        message.attach(part)
    return message


def _claim(pk: int, now: datetime.datetime) -> str | None:
    claim = uuid.uuid4().hex
    taken = (
        OutgoingEmail.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=pk,
            status=OutgoingEmail.Status.PENDING,
            next_attempt_at__lte=now,
        ).update(claim=claim, claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS))
        == 1
    )
    return claim if taken else None


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4, ... minutes after each failure, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_pending_emails(*, now: datetime.datetime | None = None, limit: int = SEND_BATCH) -> Sent:
    """Send the outbox's due messages, each by whichever worker claims it first."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            status=OutgoingEmail.Status.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    result = Sent()
    connection = None
    for pk in due:
        claim = _claim(pk, now)
        if claim is None:
            continue  # another worker took it
        email = OutgoingEmail.objects.get(pk=pk)
        if connection is None:
            connection = get_connection(timeout=MAIL_TIMEOUT)
        try:
            _message(email, connection).send()
        except Exception as error:  # any failure is recorded and retried
            log.warning("Sending e-mail %s to %s failed: %s", pk, email.to, error)
            attempts = email.attempts + 1
            OutgoingEmail.objects.filter(pk=pk, claim=claim).update(
                attempts=F("attempts") + 1,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=timezone.now() + retry_delay(attempts),
                status=(
                    OutgoingEmail.Status.FAILED
                    if attempts >= MAX_ATTEMPTS
                    else OutgoingEmail.Status.PENDING
                ),
                claim="",
                claimed_until=None,
            )
            result.failed += 1
            with contextlib.suppress(Exception):  # a broken connection is dropped either way
                connection.close()
            connection = None
        else:
            OutgoingEmail.objects.filter(pk=pk, claim=claim).update(
                status=OutgoingEmail.Status.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                last_error="",
                claimed_until=None,
            )
            result.sent += 1
    if connection is not None:
        connection.close()
    return result


def purge_old(*, now: datetime.datetime | None = None) -> int:
    """Remove sent e-mails and read notifications past their keeping time (failed ones stay)."""
    now = now or timezone.now()
    sent, _detail = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT,
        sent_at__lt=now - datetime.timedelta(days=KEEP_SENT_DAYS),
    ).delete()
    read, _detail = Notification.objects.filter(
        read_at__lt=now - datetime.timedelta(days=KEEP_READ_DAYS)
    ).delete()
    return sent + read
