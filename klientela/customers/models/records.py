# ruff: noqa: RUF001 (names in Russian and typographic dashes are meant)
"""Organizations, people, the links between them, and tags."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klientela.core.customfields.mixins import CustomFieldsMixin
from klientela.core.models import ReferenceItem
from klientela.core.owned import OwnedRecord

from .querysets import OrganizationQuerySet, PersonQuerySet

# Keys of the reference lists the customer base relies on (created by services.references).
INDUSTRIES = "industries"
CLIENT_GROUPS = "client_groups"
SOURCES = "sources"
ORGANIZATION_TYPES = "organization_types"
CONTACT_ROLES = "contact_roles"


def reference_key(list_key: str, *, related_name: str = "+", **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        ReferenceItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"reference_list__key": list_key},
        **kwargs,
    )


def detail_url(url_name: str, pk: int) -> str:
    # The pages are built separately; until their URL exists a record simply has no link.
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:
        return ""


class Tag(models.Model):
    """A label on organizations and people. Colours come from a fixed palette: the strict CSP
    forbids inline styles, so each colour is a CSS class (``tag-<colour>``) in assets/app.css."""

    class Colour(models.TextChoices):
        GREY = "grey", _("Grey")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        TEAL = "teal", _("Teal")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")
        PINK = "pink", _("Pink")

    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour, default=Colour.GREY)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="unique_tag_name")]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Card(OwnedRecord, CustomFieldsMixin):
    """What organizations and people share: owner, tags, source, notes text and timestamps."""

    source = reference_key(SOURCES, verbose_name=_("source"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def derive_fields(self) -> None:
        """Fields computed from others before saving (bulk inserts call it too)."""

    def _first_primary(self, name: str):
        prefetched = getattr(self, f"_primary_{name}", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return getattr(self, name).filter(is_primary=True).first()

    @property
    def primary_phone(self):
        return self._first_primary("phones")

    @property
    def primary_email(self):
        return self._first_primary("emails")


class Organization(Card):
    class Size(models.TextChoices):
        MICRO = "1-10", _("1–10 employees")
        SMALL = "11-50", _("11–50 employees")
        MEDIUM = "51-250", _("51–250 employees")
        LARGE = "251-1000", _("251–1000 employees")
        ENTERPRISE = "1000+", _("over 1000 employees")

    legal_name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=255, blank=True)
    # short_name or legal_name, kept by save(): what lists sort by and show.
    name = models.CharField(_("name"), max_length=255, editable=False)
    # Stored as letters and digits only, upper case ("PL 123-456-32-18" -> "PL1234563218").
    tax_number = models.CharField(_("tax number"), max_length=32, blank=True, db_index=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    industry = reference_key(INDUSTRIES, verbose_name=_("industry"))
    client_group = reference_key(CLIENT_GROUPS, verbose_name=_("client group"))
    size = models.CharField(_("size"), max_length=10, choices=Size, blank=True)
    types = models.ManyToManyField(
        ReferenceItem,
        verbose_name=_("type"),
        blank=True,
        related_name="+",
        limit_choices_to={"reference_list__key": ORGANIZATION_TYPES},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
    )
    needs = models.TextField(_("needs"), blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="organizations"
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="organization_name"),
            # Looking a name up as typed (imports, "name__iexact") reads this one.
            models.Index(Upper("name"), name="organization_upper_name"),
            models.Index(fields=["responsible", "name", "id"], name="organization_owner_name"),
            models.Index(fields=["responsible_team", "name", "id"], name="organization_team_name"),
            models.Index(fields=["-created_at"], name="organization_created"),
            models.Index(fields=["-updated_at"], name="organization_updated"),
            models.Index(fields=["size"], name="organization_size"),
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name or self.legal_name

    def derive_fields(self) -> None:
        self.name = (self.short_name or self.legal_name).strip()

    def save(self, *args, **kwargs):
        self.derive_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"short_name", "legal_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return detail_url("customers:organization_detail", self.pk)


class Person(Card):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(
        _("middle name"), max_length=100, blank=True, help_text=_("Or patronymic.")
    )
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="people")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="person_name"),
            models.Index(
                fields=["responsible", "last_name", "first_name", "id"], name="person_owner_name"
            ),
            models.Index(
                fields=["responsible_team", "last_name", "first_name", "id"],
                name="person_team_name",
            ),
            models.Index(fields=["-created_at"], name="person_created"),
            models.Index(fields=["-updated_at"], name="person_updated"),
            models.Index(fields=["birthday"], name="person_birthday"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return detail_url("customers:person_detail", self.pk)

    def full_name_in(self, language: str | None) -> str:
        """Russian business usage writes "Last First Middle" (Иванов Иван Иванович); English,
        Polish and Slovenian write "First Last" and leave a middle name out."""
        if (language or "").startswith("ru"):
            parts = [self.last_name, self.first_name, self.middle_name]
        else:
            parts = [self.first_name, self.last_name]
        return " ".join(part for part in parts if part) or self.last_name or self.first_name

    @property
    def full_name(self) -> str:
        return self.full_name_in(get_language())


class Membership(models.Model):
    """A person works at (or for) an organization in a role; a person may have several."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = reference_key(CONTACT_ROLES, verbose_name=_("role"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"], name="unique_membership_role"
            ),
            # NULLs never collide in a unique index, so "no role" needs its own constraint.
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=models.Q(role__isnull=True),
                name="unique_membership_without_role",
            ),
        ]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"
