"""API for the signed-in user (/me and own tokens) and, for administrators, users, teams, roles.

Every write goes through ``services``, which checks the administrator and writes the audit.
"""

import zoneinfo
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from klientela.core import access
from klientela.core.api import ErrorOut, LimitOffset

from . import services
from .filters import UserFilter
from .models import Role, Team, User

router = Router()

CONFLICT = {409: ErrorOut}


# --- Schemas ----------------------------------------------------------------------------------


class TeamRef(Schema):
    id: int
    name: str


class RoleRef(Schema):
    id: int
    code: str
    name: str


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str
    timezone: str
    is_active: bool
    is_admin: bool
    team: TeamRef | None
    role: RoleRef | None
    last_login: datetime | None
    date_joined: datetime


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_timezone(value: str | None) -> str | None:
    if value is not None and value not in _timezones():
        raise ValueError(_("Unknown time zone."))
    return value


class ProfileIn(Schema):
    """What people change on their own profile; fields left out stay as they are."""

    first_name: str = Field(None, max_length=150)
    last_name: str = Field(None, max_length=150)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    language: str = Field(None, description="One of: en, ru, pl, sl.")
    timezone: str = Field(None, description="An IANA time zone, e.g. Europe/Ljubljana.")

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str | None) -> str | None:
        return _known_timezone(value)


class UserPatch(ProfileIn):
    username: str = Field(None, max_length=150)
    team_id: int | None = None
    role_id: int | None = None
    is_active: bool = None


class UserIn(Schema):
    username: str = Field(..., max_length=150)
    password: str | None = Field(None, description="Left out: the user cannot sign in yet.")
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    language: str = settings.LANGUAGE_CODE
    timezone: str = settings.TIME_ZONE
    team_id: int | None = None
    role_id: int | None = None

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str | None) -> str | None:
        return _known_timezone(value)


class PasswordIn(Schema):
    password: str


class UserFilters(Schema):
    """The query of the users list; the same FilterSet as the settings page applies it."""

    q: str | None = Field(None, description="Words found in the user name, name, email, phone.")
    team: str | None = Field(None, description="A team id, or `null` for users without a team.")
    role: str | None = Field(None, description="A role id, or `null` for users without a role.")
    is_active: bool | None = None


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The first characters of the key.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    key: str = Field(..., description="The secret key: shown only in this response.")


class TokenIn(Schema):
    name: str = Field("", max_length=100)
    expires_at: datetime | None = None

    @field_validator("expires_at")
    @classmethod
    def in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= timezone.now():
            raise ValueError(_("The expiry date must be in the future."))
        return value


class TeamOut(Schema):
    id: int
    name: str
    description: str
    head_id: int | None
    member_ids: list[int]
    created_at: datetime

    @staticmethod
    def resolve_member_ids(team: Team) -> list[int]:
        return sorted(member.pk for member in team.members.all())


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    description: str = ""
    head_id: int | None = None
    member_ids: list[int] = []


class TeamPatch(Schema):
    name: str = Field(None, min_length=1, max_length=150)
    description: str = None
    head_id: int | None = None
    member_ids: list[int] = Field(None, description="Replaces the members when given.")


class RoleOut(Schema):
    id: int
    code: str
    name: str
    description: str
    is_admin: bool
    is_builtin: bool


class RoleIn(Schema):
    code: str = Field(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=50)
    name: str = Field(..., min_length=1, max_length=150)
    description: str = ""
    is_admin: bool = False


class RolePatch(Schema):
    name: str = Field(None, min_length=1, max_length=150)
    description: str = None
    is_admin: bool = None


class PermissionRow(Schema):
    entity: str
    action: str
    scope: str = Field(..., description="none, own, team or all.")


class ChoiceOut(Schema):
    key: str
    label: str


class EntityOut(Schema):
    key: str
    label: str
    actions: list[ChoiceOut]


# --- Helpers ----------------------------------------------------------------------------------


def _admin_records(request, model: type[models.Model]):
    return services.records_for_admin(actor=request.auth, model=model)


def _one(model: type[models.Model], pk: int | None, field: str):
    """The record a given id names, or a 422 on the input field that named it."""
    if pk is None:
        return None
    record = model._default_manager.filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: _("There is no record with id %(id)s.") % {"id": pk}})
    return record


def _users(ids: list[int], field: str) -> list[User]:
    users = list(User.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {user.pk for user in users})
    if missing:
        listed = ", ".join(map(str, missing))
        raise ValidationError({field: _("There are no users with ids %(ids)s.") % {"ids": listed}})
    return users


def _user_fields(data: dict) -> dict:
    if "team_id" in data:
        data["team"] = _one(Team, data.pop("team_id"), "team_id")
    if "role_id" in data:
        data["role"] = _one(Role, data.pop("role_id"), "role_id")
    return data


def _team_fields(data: dict) -> dict:
    if "head_id" in data:
        data["head"] = _one(User, data.pop("head_id"), "head_id")
    if data.get("member_ids") is not None:
        data["members"] = _users(data.pop("member_ids"), "member_ids")
    data.pop("member_ids", None)
    return data


def _permission_table(role: Role) -> list[dict]:
    stored = {(row.entity, row.action): row.scope for row in role.permissions.all()}
    return [
        {"entity": entity.key, "action": action, "scope": stored.get((entity.key, action), "none")}
        for entity in access.entities()
        for action in entity.actions
    ]


def _conflict(error: ValidationError) -> HttpError:
    return HttpError(409, " ".join(error.messages))


# --- The signed-in user -----------------------------------------------------------------------


@router.get("/me", response=UserOut, tags=["me"], summary="The signed-in user")
def me(request):
    return request.auth


@router.patch("/me", response=UserOut, tags=["me"], summary="Change your own profile")
def update_me(request, payload: ProfileIn):
    return services.update_user(
        actor=request.auth, user=request.auth, **payload.dict(exclude_unset=True)
    )


@router.get("/me/tokens", response=list[TokenOut], tags=["me"], summary="Your API tokens")
@paginate(LimitOffset)
def my_tokens(request):
    return request.auth.api_tokens.order_by("-created_at", "-pk")


@router.post(
    "/me/tokens", response={201: TokenCreatedOut}, tags=["me"], summary="Create an API token"
)
def create_token(request, payload: TokenIn):
    token, key = services.issue_token(
        actor=request.auth, user=request.auth, name=payload.name, expires_at=payload.expires_at
    )
    token.key = key
    return Status(201, token)


@router.delete("/me/tokens/{token_id}", response={204: None}, tags=["me"], summary="Revoke a token")
def revoke_token(request, token_id: int):
    token = get_object_or_404(request.auth.api_tokens, pk=token_id)
    services.revoke_token(actor=request.auth, token=token)
    return Status(204, None)


# --- Users (administrators) -------------------------------------------------------------------


@router.get("/users", response=list[UserOut], tags=["users"], summary="Users")
@paginate(LimitOffset)
def list_users(request, filters: Query[UserFilters]):
    users = _admin_records(request, User).select_related("team", "role")
    filterset = UserFilter(filters.dict(exclude_none=True), queryset=users)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    return filterset.qs


@router.get("/users/{user_id}", response=UserOut, tags=["users"], summary="One user")
def get_user(request, user_id: int):
    return get_object_or_404(_admin_records(request, User), pk=user_id)


@router.post("/users", response={201: UserOut}, tags=["users"], summary="Create a user")
def create_user(request, payload: UserIn):
    services.require_admin(request.auth)
    user = services.create_user(actor=request.auth, **_user_fields(payload.dict()))
    return Status(201, user)


@router.patch("/users/{user_id}", response=UserOut, tags=["users"], summary="Change a user")
def update_user(request, user_id: int, payload: UserPatch):
    user = get_object_or_404(_admin_records(request, User), pk=user_id)
    fields = _user_fields(payload.dict(exclude_unset=True))
    return services.update_user(actor=request.auth, user=user, **fields)


@router.post(
    "/users/{user_id}/password", response={204: None}, tags=["users"], summary="Set a password"
)
def set_password(request, user_id: int, payload: PasswordIn):
    user = get_object_or_404(_admin_records(request, User), pk=user_id)
    services.set_password(actor=request.auth, user=user, password=payload.password)
    return Status(204, None)


@router.delete(
    "/users/{user_id}",
    response={204: None},
    tags=["users"],
    summary="Deactivate a user",
    description="Users are never deleted: this sets `is_active` to false and keeps the history.",
)
def deactivate_user(request, user_id: int):
    user = get_object_or_404(_admin_records(request, User), pk=user_id)
    services.update_user(actor=request.auth, user=user, is_active=False)
    return Status(204, None)


# --- Teams (administrators) -------------------------------------------------------------------


@router.get("/teams", response=list[TeamOut], tags=["teams"], summary="Teams")
@paginate(LimitOffset)
def list_teams(request):
    return _admin_records(request, Team).prefetch_related("members")


@router.get("/teams/{team_id}", response=TeamOut, tags=["teams"], summary="One team")
def get_team(request, team_id: int):
    return get_object_or_404(_admin_records(request, Team), pk=team_id)


@router.post("/teams", response={201: TeamOut}, tags=["teams"], summary="Create a team")
def create_team(request, payload: TeamIn):
    services.require_admin(request.auth)
    team = services.create_team(actor=request.auth, **_team_fields(payload.dict()))
    return Status(201, team)


@router.patch("/teams/{team_id}", response=TeamOut, tags=["teams"], summary="Change a team")
def update_team(request, team_id: int, payload: TeamPatch):
    team = get_object_or_404(_admin_records(request, Team), pk=team_id)
    fields = _team_fields(payload.dict(exclude_unset=True))
    return services.update_team(actor=request.auth, team=team, **fields)


@router.delete(
    "/teams/{team_id}",
    response={204: None},
    tags=["teams"],
    summary="Delete a team",
    description="Its members stay, without a team.",
)
def delete_team(request, team_id: int):
    team = get_object_or_404(_admin_records(request, Team), pk=team_id)
    services.delete_team(actor=request.auth, team=team)
    return Status(204, None)


# --- Roles and their permission table (administrators) ----------------------------------------


@router.get("/roles", response=list[RoleOut], tags=["roles"], summary="Roles")
@paginate(LimitOffset)
def list_roles(request):
    return _admin_records(request, Role).order_by("-is_admin", "name", "pk")


@router.get("/roles/{role_id}", response=RoleOut, tags=["roles"], summary="One role")
def get_role(request, role_id: int):
    return get_object_or_404(_admin_records(request, Role), pk=role_id)


@router.post("/roles", response={201: RoleOut}, tags=["roles"], summary="Create a role")
def create_role(request, payload: RoleIn):
    services.require_admin(request.auth)
    return Status(201, services.create_role(actor=request.auth, **payload.dict()))


@router.patch("/roles/{role_id}", response=RoleOut, tags=["roles"], summary="Change a role")
def update_role(request, role_id: int, payload: RolePatch):
    role = get_object_or_404(_admin_records(request, Role), pk=role_id)
    return services.update_role(actor=request.auth, role=role, **payload.dict(exclude_unset=True))


@router.delete(
    "/roles/{role_id}",
    response={204: None, **CONFLICT},
    tags=["roles"],
    summary="Delete a role",
    description="Built-in roles and roles still given to users cannot be deleted (409).",
)
def delete_role(request, role_id: int):
    role = get_object_or_404(_admin_records(request, Role), pk=role_id)
    try:
        services.delete_role(actor=request.auth, role=role)
    except ValidationError as error:
        raise _conflict(error) from error
    return Status(204, None)


@router.get(
    "/roles/{role_id}/permissions",
    response=list[PermissionRow],
    tags=["roles"],
    summary="The permission table of a role",
    description="One row per registered entity and action. Administrator roles ignore it.",
)
def role_permissions(request, role_id: int):
    return _permission_table(get_object_or_404(_admin_records(request, Role), pk=role_id))


@router.put(
    "/roles/{role_id}/permissions",
    response=list[PermissionRow],
    tags=["roles"],
    summary="Replace the permission table of a role",
    description="Pairs of entity and action left out are set to `none`. An unknown entity, "
    "action or scope refuses the whole table.",
)
def replace_role_permissions(request, role_id: int, rows: list[PermissionRow]):
    role = get_object_or_404(_admin_records(request, Role), pk=role_id)
    scopes = {(row["entity"], row["action"]): "none" for row in _permission_table(role)}
    scopes.update({(row.entity, row.action): row.scope for row in rows})
    services.set_role_scopes(actor=request.auth, role=role, scopes=scopes)
    return _permission_table(role)


@router.get(
    "/access/entities",
    response=list[EntityOut],
    tags=["access"],
    summary="Entities and actions that roles grant",
)
def access_entities(request):
    services.require_admin(request.auth)
    return [
        {
            "key": entity.key,
            "label": str(entity.label),
            "actions": [
                {"key": action, "label": _action_label(action)} for action in entity.actions
            ],
        }
        for entity in access.entities()
    ]


def _action_label(action: str) -> str:
    return str(access.Action(action).label) if action in access.Action.values else action
