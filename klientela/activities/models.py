"""Activities: calls, meetings, tasks and emails, planned and done, linked to clients and deals.

``ActivityQuerySet`` says which ones a user sees and gives the slices the agenda, the calendar
and the cards ask for.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klientela.core import access
from klientela.core.access import AccessQuerySet
from klientela.core.owned import OwnedRecord


class ActivityQuerySet(AccessQuerySet):
    def visible_to(self, user, action: str = access.Action.VIEW):
        """The role's scope, and for viewing also the activities the user takes part in.

        A colleague invited to a meeting of another team sees it in their agenda and may open it;
        changing it stays with those the role allows.
        """
        scoped = access.restrict(self, user, action)
        if action != access.Action.VIEW or not getattr(user, "is_authenticated", False):
            return scoped
        if access.scope_for(user, "activity", action) == access.Scope.ALL:
            return scoped
        through = self.model.participants.through
        invited = through.objects.filter(user_id=user.pk).values("activity_id")
        return scoped | self.filter(pk__in=invited)

    def planned(self):
        return self.filter(status="planned")

    def overdue(self, now: datetime.datetime):
        """Planned, and should have been over by ``now``."""
        return self.filter(status="planned", finishes_at__lte=now)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime):
        """Those that take place, at least partly, in [start, end)."""
        # A moment (a call without an end, a task's due time) counts when it falls inside.
        touches = models.Q(finishes_at__gt=start) | models.Q(occurs_at__gte=start)
        return self.filter(touches, occurs_at__lt=end)

    def of_user(self, user):
        """Those the user is responsible for or takes part in (their own agenda)."""
        through = self.model.participants.through
        invited = through.objects.filter(user_id=user.pk).values("activity_id")
        return self.filter(models.Q(responsible=user) | models.Q(pk__in=invited))

    def about(self, record):
        """Those linked to an organization, a person (also as an external participant) or a deal."""
        link = record._meta.model_name
        if link == "person":
            through = self.model.contacts.through
            attended = through.objects.filter(person_id=record.pk).values("activity_id")
            return self.filter(models.Q(person=record) | models.Q(pk__in=attended))
        return self.filter(**{link: record})


class Reminder(models.IntegerChoices):
    """How long before an activity its reminder goes out (None: no reminder)."""

    AT_TIME = 0, _("At the time")
    MINUTES_5 = 5, _("5 minutes before")
    MINUTES_15 = 15, _("15 minutes before")
    MINUTES_30 = 30, _("30 minutes before")
    HOUR = 60, _("1 hour before")
    DAY = 1440, _("1 day before")


class Activity(OwnedRecord):
    """One call, meeting, task or email: planned for a time, then done (with a result) or cancelled.

    Calls, meetings and emails are planned from ``starts_at`` (meetings and calls may end at
    ``ends_at``); a task is due at ``due_at``. ``occurs_at`` and ``finishes_at`` are kept from
    those on save, so the agenda, the overdue list, the calendar range and the card timelines each
    read one index whatever the kind. An all-day activity starts at midnight of its first day and
    finishes at midnight after its last one, in its responsible's time zone.
    """

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        TASK = "task", _("Task")
        EMAIL = "email", _("Email")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing")
        INCOMING = "incoming", _("Incoming")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.CALL)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    is_all_day = models.BooleanField(_("all day"), default=False)
    # Where it sits on the agenda (start, or due for a task) and when it should be over by.
    occurs_at = models.DateTimeField(_("when"), editable=False)
    finishes_at = models.DateTimeField(_("finishes"), editable=False)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    result = models.TextField(_("result"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Calls.
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.OUTGOING, blank=True
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # How long the call or meeting took (known once done).
    duration = models.DurationField(_("duration"), null=True, blank=True)
    # Meetings. A booked meeting room will be a ForeignKey beside it.
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Whom and what it is about. One client and one deal per activity: a card's timeline then
    # reads the (link, occurs_at) index; other people who take part are the contacts.
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        db_index=False,  # the timeline index below starts with it
    )
    person = models.ForeignKey(
        "customers.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        db_index=False,  # the timeline index below starts with it
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        db_index=False,  # the timeline index below starts with it
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        blank=True,
        related_name="activities_taking_part",
    )
    contacts = models.ManyToManyField(
        "customers.Person",
        verbose_name=_("external participants"),
        blank=True,
        related_name="activities_taking_part",
    )
    # A subtask belongs to a task; a follow-up was planned when another activity was completed.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subtasks",
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        editable=False,
    )

    # Reminders: how long before, when it is due (kept on save while planned, cleared once
    # closed) and when the reminder for that moment went out; moving the activity re-arms it.
    remind_minutes = models.PositiveIntegerField(
        _("reminder"), choices=Reminder, null=True, blank=True
    )
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    # iCalendar SEQUENCE of the invitations: one more at each change of time or place.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["occurs_at", "id"]
        indexes = [
            # Agenda and calendar of one user, or of a team (the responsible's team copy).
            models.Index(fields=["responsible", "status", "occurs_at"], name="activity_owner_day"),
            models.Index(
                fields=["responsible_team", "status", "occurs_at"], name="activity_team_day"
            ),
            # Overdue: planned, and due before now.
            models.Index(
                fields=["responsible", "status", "finishes_at"], name="activity_owner_due"
            ),
            models.Index(fields=["status", "finishes_at"], name="activity_due"),
            models.Index(fields=["occurs_at"], name="activity_when"),
            # A card's timeline.
            models.Index(fields=["organization", "-occurs_at"], name="activity_organization"),
            models.Index(fields=["person", "-occurs_at"], name="activity_person"),
            models.Index(fields=["deal", "-occurs_at"], name="activity_deal"),
            # Reminders not sent yet, by when they are due.
            models.Index(
                fields=["remind_at"],
                name="activity_reminder_due",
                condition=models.Q(remind_at__isnull=False, reminded_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finishes_at__gte=models.F("occurs_at")),
                name="activity_finishes_after_start",
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def client(self):
        return self.organization or self.person

    @property
    def has_time_range(self) -> bool:
        return self.kind in (self.Kind.CALL, self.Kind.MEETING)

    @property
    def duration_minutes(self) -> int | None:
        if self.duration is None:
            return None
        return int(self.duration / datetime.timedelta(minutes=1))


class ChecklistItem(models.Model):
    """One point of a task's checklist."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("text"), max_length=300)
    is_done = models.BooleanField(_("done"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class ActivityPreferences(models.Model):
    """A user's reminder default and the secret of their calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="activity_preferences",
    )
    remind_minutes = models.PositiveIntegerField(
        _("default reminder"), choices=Reminder, null=True, blank=True, default=Reminder.MINUTES_15
    )
    email_reminders = models.BooleanField(_("also by e-mail"), default=True)
    # The secret in the address of the user's calendar feed (shown on the profile, so that it can
    # be added to another calendar later); a new one makes the old address stop working.
    feed_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("activity preferences")
        verbose_name_plural = _("activity preferences")

    def __str__(self) -> str:
        return str(self.user)


class Room(models.Model):
    """A meeting room or another resource a meeting books for its time (a projector, a car)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:room_edit", args=[self.pk])


class RoomBooking(models.Model):
    """A room taken by a meeting for [starts_at, ends_at).

    Two bookings of one room never overlap: the database refuses it (an exclusion constraint on
    PostgreSQL, triggers on SQLite, see migration 0002), so even two requests at the same moment
    cannot both win. A cancelled meeting gives its booking up.
    """

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    activity = models.OneToOneField(
        Activity, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="booking"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        indexes = [models.Index(fields=["room", "starts_at"], name="roombooking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="roombooking_ends_after_start",
            ),
        ]
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")

    def __str__(self) -> str:
        return f"{self.room}: {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
