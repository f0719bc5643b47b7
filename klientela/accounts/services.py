"""Business rules for users, teams, roles and API tokens. Pages, API and commands call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.access import require_admin
from klientela.core.audit import record_create, record_delete, record_update, snapshot

from .defaults import BUILTIN_ROLES, default_scope
from .models import ApiToken, Role, RolePermission, Team, User, hash_token

USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "phone",
    "team",
    "role",
    "language",
    "timezone",
    "is_active",
]


# --- Roles ------------------------------------------------------------------------------------


def sync_default_roles() -> None:
    """Create missing built-in roles and permission rows; never overwrite what admins changed."""
    for code, spec in BUILTIN_ROLES.items():
        role, _created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "is_admin": spec["is_admin"],
                "is_builtin": True,
            },
        )
        if role.is_admin:
            continue
        existing = set(role.permissions.values_list("entity", "action"))
        RolePermission.objects.bulk_create(
            RolePermission(
                role=role,
                entity=entity.key,
                action=action,
                scope=default_scope(code, entity, action),
            )
            for entity in access.entities()
            for action in entity.actions
            if (entity.key, action) not in existing
        )


def sync_default_roles_after_migrate(**kwargs) -> None:
    sync_default_roles()


@transaction.atomic
def create_role(
    *, actor: User | None, code: str, name: str, description: str = "", is_admin: bool = False
) -> Role:
    require_admin(actor)
    if Role.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A role with this code already exists.")})
    role = Role.objects.create(code=code, name=name, description=description, is_admin=is_admin)
    record_create(role, actor=actor)
    return role


@transaction.atomic
def update_role(*, actor: User | None, role: Role, **fields) -> Role:
    require_admin(actor)
    before = snapshot(role, list(fields))
    for name, value in fields.items():
        setattr(role, name, value)
    if role.code == "admin" and not role.is_admin:
        raise ValidationError(
            {"is_admin": _("The built-in administrator role must stay an administrator.")}
        )
    role.full_clean()
    role.save()
    record_update(role, before, actor=actor)
    return role


@transaction.atomic
def set_role_scopes(*, actor: User | None, role: Role, scopes: dict[tuple[str, str], str]) -> Role:
    """Set the scope of (entity, action) pairs for a role; unknown pairs are refused whole."""
    require_admin(actor)
    known = {(entity.key, action) for entity in access.entities() for action in entity.actions}
    errors = [f"{entity}.{action}" for entity, action in scopes if (entity, action) not in known]
    errors += [
        f"{entity}.{action}={scope}"
        for (entity, action), scope in scopes.items()
        if scope not in access.Scope.values
    ]
    if errors:
        raise ValidationError(_("Unknown permissions: %(items)s") % {"items": ", ".join(errors)})
    current = {(row.entity, row.action): row for row in RolePermission.objects.filter(role=role)}
    changes = {}
    for (entity, action), scope in scopes.items():
        row = current.get((entity, action))
        old = row.scope if row else access.Scope.NONE
        if old == scope:
            continue
        RolePermission.objects.update_or_create(
            role=role, entity=entity, action=action, defaults={"scope": scope}
        )
        changes[f"{entity}.{action}"] = {
            "label": f"{access.get_entity(entity).label} / {access.Action(action).label}",
            "old": str(access.Scope(old).label),
            "new": str(access.Scope(scope).label),
        }
    if changes:
        record_update(role, {}, actor=actor, extra=changes)
    return role


@transaction.atomic
def save_role(
    *,
    actor: User | None,
    role: Role | None,
    name: str,
    description: str,
    is_admin: bool,
    scopes: dict[tuple[str, str], str],
    code: str = "",
) -> Role:
    """Create or change a role together with its permission table: one change, all or nothing."""
    if role is None:
        role = create_role(
            actor=actor, code=code, name=name, description=description, is_admin=is_admin
        )
    else:
        update_role(actor=actor, role=role, name=name, description=description, is_admin=is_admin)
    return set_role_scopes(actor=actor, role=role, scopes=scopes)


@transaction.atomic
def delete_role(*, actor: User | None, role: Role) -> None:
    require_admin(actor)
    if role.is_builtin:
        raise ValidationError(_("Built-in roles can be changed but not deleted."))
    if role.users.exists():
        raise ValidationError(_("This role is still given to users; give them another role first."))
    record_delete(role, actor=actor)
    role.delete()


# --- Teams ------------------------------------------------------------------------------------


@transaction.atomic
def create_team(
    *,
    actor: User | None,
    name: str,
    head: User | None = None,
    description: str = "",
    members: list[User] | None = None,
) -> Team:
    require_admin(actor)
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    team = Team.objects.create(name=name, head=head, description=description)
    record_create(team, actor=actor)
    _set_members(team, actor=actor, members=(members or []) + ([head] if head else []))
    return team


@transaction.atomic
def update_team(
    *, actor: User | None, team: Team, members: list[User] | None = None, **fields
) -> Team:
    require_admin(actor)
    name = fields.get("name")
    if name and Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    before = snapshot(team, list(fields))
    for field, value in fields.items():
        setattr(team, field, value)
    team.save()
    record_update(team, before, actor=actor)
    if members is not None:
        _set_members(team, actor=actor, members=members, replace=True)
    if team.head is not None and team.head.team_id != team.pk:
        _set_members(team, actor=actor, members=[team.head])
    return team


def _set_members(team: Team, *, actor, members: list[User], replace: bool = False) -> None:
    wanted = {user.pk for user in members}
    if replace:
        for user in team.members.exclude(pk__in=wanted):
            update_user(actor=actor, user=user, team=None)
    for user in User.objects.filter(pk__in=wanted).exclude(team=team):
        update_user(actor=actor, user=user, team=team)


@transaction.atomic
def delete_team(*, actor: User | None, team: Team) -> None:
    require_admin(actor)
    for user in team.members.all():
        update_user(actor=actor, user=user, team=None)
    record_delete(team, actor=actor)
    team.delete()


# --- Users ------------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str | None = None,
    role: Role | None = None,
    team: Team | None = None,
    **fields,
) -> User:
    """Create a user. ``actor=None`` means a trusted script (the command line, demo data)."""
    require_admin(actor)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with this name already exists.")})
    user = User(username=username, role=role, team=team, **fields)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_create(user, actor=actor, fields=USER_FIELDS)
    return user


@transaction.atomic
def update_user(*, actor: User | None, user: User, **fields) -> User:
    """Change a user's profile fields; admins may change anyone, others only their own profile."""
    self_service = {"first_name", "last_name", "email", "phone", "language", "timezone"}
    if (
        actor is not None
        and not actor.is_admin
        and (actor.pk != user.pk or set(fields) - self_service)
    ):
        raise PermissionDenied(_("Only an administrator can do this."))
    if "username" in fields:
        fields["username"] = fields["username"].strip()
        if User.objects.filter(username__iexact=fields["username"]).exclude(pk=user.pk).exists():
            raise ValidationError({"username": _("A user with this name already exists.")})
    if actor is not None and actor.pk == user.pk and fields.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
    if _removes_last_admin(user, fields):
        raise ValidationError(_("At least one active administrator must remain."))
    before = snapshot(user, USER_FIELDS)
    previous_team_id = user.team_id
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    user.forget_permissions()
    if user.team_id != previous_team_id:
        access.refresh_owner_teams(user)
    record_update(user, before, actor=actor)
    return user


def _removes_last_admin(user: User, fields: dict) -> bool:
    if not user.is_admin:
        return False
    new_role = fields.get("role", user.role)
    stays_admin = fields.get("is_active", user.is_active) and (
        user.is_superuser or (new_role is not None and new_role.is_admin)
    )
    if stays_admin:
        return False
    other_admins = User.objects.filter(is_active=True).exclude(pk=user.pk)
    return not (
        other_admins.filter(is_superuser=True).exists()
        or other_admins.filter(role__is_admin=True).exists()
    )


@transaction.atomic
def set_password(
    *, actor: User | None, user: User, password: str, old_password: str | None = None
) -> User:
    if actor is not None and actor.pk != user.pk:
        require_admin(actor)
    elif actor is not None and not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("Your current password is not correct.")})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    record_update(
        user,
        {},
        actor=actor,
        extra={"password": {"label": str(_("password")), "old": "•••", "new": str(_("changed"))}},
    )
    return user


# --- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def issue_token(
    *, actor: User | None, user: User, name: str, expires_at=None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with the key, which is never shown again."""
    if actor is not None and actor.pk != user.pk:
        require_admin(actor)
    name = (name or "").strip() or _("API token")
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(key), hint=key[:8], expires_at=expires_at
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        require_admin(actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(key: str) -> User | None:
    """The active user a presented key belongs to, or None; notes when the token was used."""
    token = (
        ApiToken.objects.select_related("user", "user__role", "user__team")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Reading ----------------------------------------------------------------------------------


def records_for_admin(*, actor: User | None, model: type[User | Team | Role]):
    """Users, teams and roles (and their history) are read by administrators only."""
    if actor is None or not actor.is_admin:
        raise PermissionDenied(_("Only an administrator can do this."))
    return model._default_manager.all()
