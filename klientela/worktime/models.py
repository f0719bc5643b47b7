"""Working time and absences: hours logged against activities, vacations and sick leave.

Why an app of its own beside ``activities``: time and absences are about people, not about
clients; they have their own access rules (a head sees the team's timesheets, a manager only
their own) and their own migrations, so the activities' schema moves on without them. The app
reads activities (what time is logged against, what is planned); activities never import it —
they call the completion hooks this app registers.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klientela.core.access import AccessQuerySet


class TimeEntryQuerySet(AccessQuerySet):
    def in_days(self, first: datetime.date, last: datetime.date):
        """Those logged from ``first`` to ``last``, both included."""
        return self.filter(day__gte=first, day__lte=last)


class TimeEntry(models.Model):
    """Minutes one user worked on one day, on an activity (or on other work, said in the note).

    ``organization`` is a copy of the activity's client, so a timesheet keeps its client rows when
    the activity is relinked or deleted. ``work_item`` is where other apps hang time on their
    own records (a project's phase, later): a content type and an id, empty for activities.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="time_entries",
        db_index=False,  # the (user, day) index starts with it
    )
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_entries",
    )
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_item_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    work_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    work_item = GenericForeignKey("work_item_type", "work_item_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            # A user's week (the timesheet) and the report's sums per user.
            models.Index(fields=["user", "day"], name="timeentry_user_day"),
            models.Index(fields=["day"], name="timeentry_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="timeentry_minutes"),
        ]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")

    def __str__(self) -> str:
        return f"{self.user} {self.day}: {self.minutes}"

    def get_absolute_url(self) -> str:
        return reverse("worktime:timesheet") + f"?user={self.user_id}&week={self.day.isoformat()}"

    @property
    def hours(self) -> float:
        return self.minutes / 60


class Absence(models.Model):
    """A user away for whole days, ``starts_on`` to ``ends_on`` inclusive; approved or not yet."""

    class Kind(models.TextChoices):
        VACATION = "vacation", _("Vacation")
        SICK = "sick", _("Sick leave")
        BUSINESS_TRIP = "business_trip", _("Business trip")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="absences",
        db_index=False,  # the (user, starts_on) index starts with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.VACATION)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_approved = models.BooleanField(_("approved"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["user", "starts_on"], name="absence_user_start"),
            models.Index(fields=["starts_on", "ends_on"], name="absence_range"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after"
            ),
        ]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.starts_on} - {self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("worktime:absence_edit", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on
