"""Contact channels of a card: phones, emails, messengers, websites and addresses.

Each row belongs to exactly one organization or one person (a check constraint). One row per
channel type and card may be primary (a partial unique index, on both databases); the services
keep it so, and mark the first channel primary when none is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klientela.core.phones import PhoneFieldsMixin

from .records import Organization, Person


def owner_keys(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
    )
    return organization, person


def channel_constraints(name: str) -> list:
    return [
        models.CheckConstraint(
            condition=(
                models.Q(organization__isnull=False, person__isnull=True)
                | models.Q(organization__isnull=True, person__isnull=False)
            ),
            name=f"{name}_one_owner",
        ),
        models.UniqueConstraint(
            fields=["organization"],
            condition=models.Q(is_primary=True, organization__isnull=False),
            name=f"{name}_one_primary_per_organization",
        ),
        models.UniqueConstraint(
            fields=["person"],
            condition=models.Q(is_primary=True, person__isnull=False),
            name=f"{name}_one_primary_per_person",
        ),
    ]


class Channel(models.Model):
    is_primary = models.BooleanField(_("primary"), default=False)
    comment = models.CharField(_("comment"), max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["-is_primary", "id"]

    @property
    def owner(self):
        return self.organization if self.organization_id else self.person

    @property
    def owner_field(self) -> str:
        return "organization" if self.organization_id else "person"


class Phone(PhoneFieldsMixin, Channel):
    class Kind(models.TextChoices):
        WORK = "work", _("Work")
        MOBILE = "mobile", _("Mobile")
        HOME = "home", _("Home")
        FAX = "fax", _("Fax")
        OTHER = "other", _("Other")

    organization, person = owner_keys("phones")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.WORK)

    class Meta(Channel.Meta):
        constraints = channel_constraints("phone")
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.display


class Email(Channel):
    class Kind(models.TextChoices):
        WORK = "work", _("Work")
        PERSONAL = "personal", _("Personal")

    organization, person = owner_keys("emails")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.WORK)
    # Stored trimmed and lower-cased, so equal addresses are equal strings (and one index lookup).
    address = models.EmailField(_("email"), max_length=254, db_index=True)

    class Meta(Channel.Meta):
        constraints = channel_constraints("email")
        verbose_name = _("email")
        verbose_name_plural = _("emails")

    def __str__(self) -> str:
        return self.address


class Messenger(Channel):
    class Kind(models.TextChoices):
        TELEGRAM = "telegram", "Telegram"
        WHATSAPP = "whatsapp", "WhatsApp"
        VIBER = "viber", "Viber"
        SIGNAL = "signal", "Signal"
        SKYPE = "skype", "Skype"
        OTHER = "other", _("Other")

    organization, person = owner_keys("messengers")
    kind = models.CharField(_("messenger"), max_length=10, choices=Kind, default=Kind.TELEGRAM)
    handle = models.CharField(_("handle"), max_length=200)

    class Meta(Channel.Meta):
        constraints = channel_constraints("messenger")
        indexes = [models.Index(fields=["kind", "handle"], name="messenger_handle")]
        verbose_name = _("messenger")
        verbose_name_plural = _("messengers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.handle}"


class Website(Channel):
    class Kind(models.TextChoices):
        MAIN = "main", pgettext_lazy("website kind", "Main")
        SHOP = "shop", _("Shop")
        SOCIAL = "social", _("Social network")
        OTHER = "other", _("Other")

    organization, person = owner_keys("websites")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MAIN)
    # Always with its scheme: "example.com" is stored as "https://example.com".
    url = models.URLField(_("website"), max_length=500)

    class Meta(Channel.Meta):
        constraints = channel_constraints("website")
        verbose_name = _("website")
        verbose_name_plural = _("websites")

    def __str__(self) -> str:
        return self.url


class Address(Channel):
    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal")
        POSTAL = "postal", _("Postal")
        OFFICE = "office", _("Office")
        WAREHOUSE = "warehouse", _("Warehouse")
        HOME = "home", _("Home")

    organization, person = owner_keys("addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OFFICE)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO code"))
    region = models.CharField(_("region"), max_length=150, blank=True)
    city = models.CharField(_("city"), max_length=150, blank=True, db_index=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    street = models.CharField(_("street"), max_length=255, blank=True)
    # The whole address as one line, as typed or composed from the parts.
    line = models.CharField(_("address"), max_length=500, blank=True)

    class Meta(Channel.Meta):
        constraints = channel_constraints("address")
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return self.line or ", ".join(
            part for part in (self.street, self.postal_code, self.city, self.country) if part
        )
