"""Notes written on an organization's or a person's card."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .records import Organization, Person


class Note(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Sanitized HTML (services.notes.sanitize): safe to render as it is.
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organization__isnull=False, person__isnull=True)
                    | models.Q(organization__isnull=True, person__isnull=False)
                ),
                name="note_one_owner",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="note_organization"),
            models.Index(fields=["person", "-created_at"], name="note_person"),
        ]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return Truncator(strip_tags(self.body)).chars(60)

    @property
    def record(self):
        return self.organization if self.organization_id else self.person
