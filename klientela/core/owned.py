"""The abstract model of a business record with an owner: who is responsible, their team, who
created it and when. The team is a copy (see access.Entity.team_field) kept here on save."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import access


class OwnedRecord(models.Model):
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The responsible's team: register the entity with team_field="responsible_team".
    responsible_team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        access.sync_owner_team(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "responsible" in update_fields:
            kwargs["update_fields"] = {*update_fields, "responsible_team"}
        super().save(*args, **kwargs)
