"""Where leads come in by themselves: web forms on the company's site, and phone calls."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klientela.core.models import ReferenceItem

# The lead fields a web form may ask for, in the order they are shown.
FORM_FIELDS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "company_name": _("Company"),
    "position": _("Position"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "description": _("Message"),
}


def new_token() -> str:
    return secrets.token_urlsafe(18)


class WebForm(models.Model):
    """A form published on a website; every submission becomes a lead of ``responsible``."""

    name = models.CharField(_("name"), max_length=100)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    fields = models.JSONField(_("fields"), default=list)  # keys of FORM_FIELDS
    required = models.JSONField(_("required fields"), default=list)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leads go to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.ForeignKey(
        ReferenceItem,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"reference_list__key": "sources"},
    )
    thank_you = models.CharField(_("thank-you text"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    submissions = models.PositiveIntegerField(_("submissions"), default=0)
    last_submitted_at = models.DateTimeField(_("last submission"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("capture:form_edit", args=[self.pk])

    def public_path(self) -> str:
        return reverse("capture:public", args=[self.token])
