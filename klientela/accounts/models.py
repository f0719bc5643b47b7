"""Users, teams, roles with their permission table, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klientela.core.access import Action, Scope

from .defaults import BUILTIN_ROLES


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. Europe/Warsaw)."), params={"value": value}
        )


class Team(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_teams",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:team_edit", args=[self.pk])


class Role(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    is_admin = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Administrators see and change everything, including settings."),
    )
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)

    class Meta:
        ordering = ["-is_admin", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        # A built-in role nobody renamed speaks the reader's language.
        builtin = BUILTIN_ROLES.get(self.code) if self.is_builtin else None
        if builtin and self.name == builtin["name"]:
            return gettext(self.name)
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:role_edit", args=[self.pk])


class RolePermission(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="permissions")
    entity = models.CharField(_("entity"), max_length=50)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.NONE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["role", "entity", "action"], name="unique_role_entity_action"
            )
        ]
        verbose_name = _("role permission")
        verbose_name_plural = _("role permissions")

    def __str__(self) -> str:
        return f"{self.role}: {self.entity}.{self.action} = {self.scope}"


class User(AbstractUser):
    email = models.EmailField(_("email address"), blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    role = models.ForeignKey(
        Role,
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_edit", args=[self.pk])

    @property
    def is_admin(self) -> bool:
        return self.is_active and (
            self.is_superuser or (self.role is not None and self.role.is_admin)
        )

    def permission_table(self) -> dict[tuple[str, str], str]:
        """(entity, action) -> scope for this user's role, loaded once per user object."""
        cached = getattr(self, "_permission_table", None)
        if cached is None:
            if self.role_id is None:
                cached = {}
            elif self.role.is_admin:
                cached = _AllScopes()
            else:
                cached = {
                    (entity, action): scope
                    for entity, action, scope in RolePermission.objects.filter(
                        role_id=self.role_id
                    ).values_list("entity", "action", "scope")
                }
            self._permission_table = cached
        return cached

    def forget_permissions(self) -> None:
        self.__dict__.pop("_permission_table", None)


class _AllScopes(dict):
    """The administrator's table: every entity and action at scope ``all``."""

    def get(self, key, default=None):
        return Scope.ALL


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the key is shown once, when created."""

    PREFIX = "kl_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
