"""The one access-control core: which records of an entity a user may see or act on.

Every entity that holds business records registers here with the field that names its owner.
A role grants, per entity and action, a scope (none / own / team / all). ``restrict`` narrows a
queryset to that scope and ``can`` checks one record with the same rule, so lists, cards, search,
exports, reports and the API cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from klientela.accounts.models import User


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class Scope(models.TextChoices):
    NONE = "none", _("None")
    OWN = "own", _("Own")
    TEAM = "team", _("Team")
    ALL = "all", _("All")


SCOPE_RANK = {Scope.NONE: 0, Scope.OWN: 1, Scope.TEAM: 2, Scope.ALL: 3}


@dataclass(frozen=True)
class Entity:
    """A kind of business record that roles grant access to."""

    key: str
    label: str | Promise
    model: type[models.Model] | None = None
    owner_field: str = "responsible"
    actions: tuple[str, ...] = tuple(Action.values)
    # Scope each built-in role gets on a new installation: {"manager": {"view": "team", ...}}.
    default_scopes: dict[str, dict[str, str]] = field(default_factory=dict)
    # Optional copy of the owner's team on the record (a ForeignKey to the team). Big tables keep
    # it so "my team's records, sorted by name" walks one index instead of joining the owners.
    team_field: str = ""


_registry: dict[str, Entity] = {}


def register_entity(
    key: str,
    *,
    label: str | Promise,
    model: type[models.Model] | None = None,
    owner_field: str = "responsible",
    actions: tuple[str, ...] = tuple(Action.values),
    default_scopes: dict[str, dict[str, str]] | None = None,
    team_field: str = "",
) -> Entity:
    entity = Entity(key, label, model, owner_field, actions, default_scopes or {}, team_field)
    _registry[key] = entity
    if model is not None:
        model.access_entity = key
    return entity


def unregister_entity(key: str) -> None:
    _registry.pop(key, None)


def entities() -> list[Entity]:
    return sorted(_registry.values(), key=lambda entity: entity.key)


def get_entity(key_or_model: str | type[models.Model] | models.Model) -> Entity:
    if isinstance(key_or_model, str):
        key = key_or_model
    else:
        key = getattr(key_or_model, "access_entity", None)
        if key is None:
            raise LookupError(f"{key_or_model!r} is not registered with the access core")
    return _registry[key]


def scope_for(user: User | Any, entity: str | Entity, action: str) -> Scope:
    """The widest scope the user's role grants for this action on this entity."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.NONE
    key = entity.key if isinstance(entity, Entity) else entity
    if user.is_superuser:
        return Scope.ALL
    return user.permission_table().get((key, action), Scope.NONE)


def restrict(queryset: models.QuerySet, user: User | Any, action: str = Action.VIEW):
    """Narrow ``queryset`` to the records ``user`` may ``action``. The single list filter."""
    entity = get_entity(queryset.model)
    scope = scope_for(user, entity, action)
    if scope == Scope.ALL:
        return queryset
    if scope == Scope.TEAM and user.team_id is not None:
        if entity.team_field:
            return queryset.filter(**{f"{entity.team_field}_id": user.team_id})
        return queryset.filter(**{f"{entity.owner_field}__team_id": user.team_id})
    if scope in (Scope.OWN, Scope.TEAM):
        return queryset.filter(**{f"{entity.owner_field}_id": user.pk})
    return queryset.none()


def owner_values(model: type[models.Model], owner: User | None) -> dict[str, Any]:
    """The fields to write when ``owner`` becomes the owner of records of ``model``."""
    entity = get_entity(model)
    values: dict[str, Any] = {entity.owner_field: owner}
    if entity.team_field:
        values[f"{entity.team_field}_id"] = owner.team_id if owner is not None else None
    return values


def sync_owner_team(record: models.Model) -> None:
    """Set a record's copy of its owner's team (called before it is saved)."""
    entity = get_entity(record)
    if not entity.team_field:
        return
    owner_id = getattr(record, f"{entity.owner_field}_id")
    team_id = None
    if owner_id is not None:
        owner = getattr(record, entity.owner_field)
        team_id = owner.team_id
    setattr(record, f"{entity.team_field}_id", team_id)


def refresh_owner_teams(owner: User) -> int:
    """After ``owner`` changed team: their records of every entity that keeps the team follow."""
    changed = 0
    for entity in _registry.values():
        if entity.model is not None and entity.team_field:
            changed += (
                entity.model._default_manager.filter(**{f"{entity.owner_field}_id": owner.pk})
                .exclude(**{f"{entity.team_field}_id": owner.team_id})
                .update(**{f"{entity.team_field}_id": owner.team_id})
            )
    return changed


def can(user: User | Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """May ``user`` do ``action`` on this record (or, given a model class, on any record)?"""
    entity = get_entity(obj)
    scope = scope_for(user, entity, action)
    if isinstance(obj, type) or scope in (Scope.ALL, Scope.NONE):
        return scope != Scope.NONE
    owner_id = getattr(obj, f"{entity.owner_field}_id")
    if owner_id == user.pk:
        return True
    if scope == Scope.TEAM and user.team_id is not None and owner_id is not None:
        return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
    return False


def can_assign(user: User | Any, entity: str | Entity, action: str, owner: User | None) -> bool:
    """May ``user`` create or edit a record that ends up owned by ``owner``?"""
    scope = scope_for(user, entity, action)
    if scope == Scope.ALL:
        return True
    if owner is None:
        return False
    if scope == Scope.TEAM and user.team_id is not None:
        return owner.team_id == user.team_id
    return scope in (Scope.OWN, Scope.TEAM) and owner.pk == user.pk


def require(user: User | Any, action: str, obj: models.Model | type[models.Model]) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_admin(user) -> None:
    """Settings, catalogs and other shared set-up are the administrators'. ``None`` is the
    system itself (migrations, jobs, demo data)."""
    if user is not None and not getattr(user, "is_admin", False):
        raise PermissionDenied(_("Only an administrator can do this."))


class AccessQuerySet(models.QuerySet):
    """Base queryset for registered entities: ``Model.objects.visible_to(user, "edit")``."""

    def visible_to(self, user, action: str = Action.VIEW):
        return restrict(self, user, action)
