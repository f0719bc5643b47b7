"""Custom fields and reference lists through the API: everyone reads, administrators write.

Field definitions are read by whoever may view the entity they belong to; reference lists by
any signed-in user. Every write goes through ``customfields.services``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from klientela.core import access
from klientela.core.models import FieldDefinition, ReferenceItem, ReferenceList
from klientela.core.pagination import LimitOffset

from . import services
from .definitions import load_definitions
from .presentation import describe_definition
from .types import type_choices

router = Router()

# The error shape's schema is added to every API's components by ``core.api``.
CONFLICT = {
    "description": "In use: nothing was changed.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


# --- Schemas ----------------------------------------------------------------------------------


class ChoiceOut(Schema):
    key: str
    label: str


class FieldDefinitionOut(Schema):
    id: int
    entity: str
    key: str
    label: str = Field(..., description="In your language.")
    labels: dict[str, str] = Field(..., description='"default" and per language code.')
    type: str
    required: bool
    is_active: bool
    section: str
    order: int
    help_text: str
    options: dict[str, Any]
    lookups: list[str] = Field(..., description="How the API and lists can filter it.")
    sortable: bool
    reference_list: str | None = Field(..., description="The key of the list of choices.")
    choices: list[ChoiceOut] = Field(..., description="The active items of that list.")


def _type_description() -> str:
    return "One of: " + ", ".join(key for key, _label in type_choices()) + "."


class FieldDefinitionPatch(Schema):
    label: str = Field(None, min_length=1, max_length=150)
    labels: dict[str, str] = Field(None, description="Label per language code: ru, pl, sl.")
    required: bool = None
    is_active: bool = Field(None, description="Inactive fields are hidden; values are kept.")
    section: str = Field(None, max_length=100)
    order: int = Field(None, ge=0)
    reference_list: str | None = Field(None, description="The key of the list of choices.")
    help_text: str = Field(None, max_length=300)
    options: dict[str, Any] = Field(None, description="min/max, max_length, currencies.")


class FieldDefinitionIn(FieldDefinitionPatch):
    entity: str = Field(..., description="An entity key: organization, person...")
    key: str = Field(..., max_length=50, description="Values are stored under it; never changes.")
    label: str = Field(..., min_length=1, max_length=150)
    type: str = Field(..., description=_type_description())


class ReferenceItemOut(Schema):
    id: int
    key: str
    label: str = Field(..., description="In your language.")
    labels: dict[str, str] = Field(..., description='"default" and per language code.')
    order: int
    is_active: bool

    @staticmethod
    def resolve_label(item) -> str:
        return item.label_in(get_language())

    @staticmethod
    def resolve_labels(item) -> dict[str, str]:
        return {"default": item.label, **item.labels}


class ReferenceListOut(Schema):
    id: int
    key: str
    name: str = Field(..., description="In your language.")
    names: dict[str, str] = Field(..., description='"default" and per language code.')
    is_system: bool
    items: list[ReferenceItemOut]

    @staticmethod
    def resolve_name(reference_list) -> str:
        return reference_list.name_in(get_language())

    @staticmethod
    def resolve_names(reference_list) -> dict[str, str]:
        return {"default": reference_list.name, **reference_list.names}

    @staticmethod
    def resolve_items(reference_list) -> list:
        return list(reference_list.items.all())


class ReferenceListPatch(Schema):
    name: str = Field(None, min_length=1, max_length=150)
    names: dict[str, str] = Field(None, description="Name per language code: ru, pl, sl.")


class ReferenceListIn(ReferenceListPatch):
    key: str = Field(..., max_length=50)
    name: str = Field(..., min_length=1, max_length=150)


class ReferenceItemPatch(Schema):
    label: str = Field(None, min_length=1, max_length=200)
    labels: dict[str, str] = Field(None, description="Label per language code: ru, pl, sl.")
    order: int = Field(None, ge=0)
    is_active: bool = Field(None, description="Retired items stay on the records holding them.")


class ReferenceItemIn(ReferenceItemPatch):
    key: str = Field(..., max_length=50)
    label: str = Field(..., min_length=1, max_length=200)


# --- Helpers ----------------------------------------------------------------------------------


def _describe(definition: FieldDefinition) -> dict:
    return {
        **describe_definition(definition, get_language()),
        "id": definition.pk,
        "entity": definition.entity,
        "is_active": definition.is_active,
    }


def _require_view(user, entity: str) -> None:
    try:
        registered = access.get_entity(entity)
    except KeyError:
        raise ValidationError({"entity": [_("Unknown entity.")]}) from None
    if access.scope_for(user, registered, access.Action.VIEW) == access.Scope.NONE:
        raise PermissionDenied(_("You do not have permission to do this."))


def _definition(definition_id: int) -> FieldDefinition:
    records = FieldDefinition.objects.select_related("reference_list").prefetch_related(
        "reference_list__items"
    )
    return get_object_or_404(records, pk=definition_id)


def _definition_fields(data: dict) -> dict:
    if "reference_list" in data and data["reference_list"] is not None:
        key = data["reference_list"]
        data["reference_list"] = ReferenceList.objects.filter(key=key).first()
        if data["reference_list"] is None:
            raise ValidationError({"reference_list": [_("There is no such reference list.")]})
    return data


def _lists():
    return ReferenceList.objects.prefetch_related("items").order_by("key")


def _conflict(error: ValidationError) -> HttpError:
    return HttpError(409, " ".join(error.messages))


# --- Custom fields ----------------------------------------------------------------------------


@router.get(
    "/custom-fields",
    response=list[FieldDefinitionOut],
    tags=["custom fields"],
    summary="Custom fields of an entity",
    description="For whoever may view the entity's records, in display order.",
)
def list_custom_fields(request, entity: str, include_inactive: bool = False):
    _require_view(request.auth, entity)
    definitions = load_definitions(entity, include_inactive=include_inactive)
    return [_describe(definition) for definition in definitions]


@router.post(
    "/custom-fields",
    response={201: FieldDefinitionOut},
    tags=["custom fields"],
    summary="Add a custom field",
    description="Administrators only.",
)
def create_custom_field(request, payload: FieldDefinitionIn):
    services.require_admin(request.auth)
    fields = _definition_fields(payload.dict(exclude_unset=True))
    definition = services.create_field_definition(actor=request.auth, **fields)
    return Status(201, _describe(_definition(definition.pk)))


@router.patch(
    "/custom-fields/{int:definition_id}",
    response=FieldDefinitionOut,
    tags=["custom fields"],
    summary="Change a custom field",
    description="Administrators only. The entity, key and type never change.",
)
def update_custom_field(request, definition_id: int, payload: FieldDefinitionPatch):
    services.require_admin(request.auth)
    definition = _definition(definition_id)
    fields = _definition_fields(payload.dict(exclude_unset=True))
    services.update_field_definition(actor=request.auth, definition=definition, **fields)
    return _describe(_definition(definition_id))


@router.delete(
    "/custom-fields/{int:definition_id}",
    response={204: None},
    tags=["custom fields"],
    summary="Delete a custom field",
    description="Administrators only. Its stored values are removed from every record; to keep "
    "them, set `is_active` to false instead.",
)
def delete_custom_field(request, definition_id: int):
    services.require_admin(request.auth)
    services.delete_field_definition(actor=request.auth, definition=_definition(definition_id))
    return Status(204, None)


# --- Reference lists --------------------------------------------------------------------------


@router.get(
    "/reference-lists",
    response=list[ReferenceListOut],
    tags=["reference lists"],
    summary="Reference lists with their items",
)
@paginate(LimitOffset)
def list_reference_lists(request):
    return _lists()


@router.get(
    "/reference-lists/{key}",
    response=ReferenceListOut,
    tags=["reference lists"],
    summary="One reference list with its items",
)
def get_reference_list(request, key: str):
    return get_object_or_404(_lists(), key=key)


@router.post(
    "/reference-lists",
    response={201: ReferenceListOut},
    tags=["reference lists"],
    summary="Add a reference list",
    description="Administrators only.",
)
def create_reference_list(request, payload: ReferenceListIn):
    services.require_admin(request.auth)
    created = services.create_reference_list(actor=request.auth, **payload.dict(exclude_unset=True))
    return Status(201, get_object_or_404(_lists(), pk=created.pk))


@router.patch(
    "/reference-lists/{key}",
    response=ReferenceListOut,
    tags=["reference lists"],
    summary="Rename a reference list",
    description="Administrators only.",
)
def update_reference_list(request, key: str, payload: ReferenceListPatch):
    services.require_admin(request.auth)
    reference_list = get_object_or_404(ReferenceList, key=key)
    services.update_reference_list(
        actor=request.auth, reference_list=reference_list, **payload.dict(exclude_unset=True)
    )
    return get_object_or_404(_lists(), key=key)


@router.delete(
    "/reference-lists/{key}",
    response={204: None},
    openapi_extra={"responses": {409: CONFLICT}},
    tags=["reference lists"],
    summary="Delete a reference list",
    description="Administrators only. System lists and lists that custom fields use cannot be "
    "deleted (409).",
)
def delete_reference_list(request, key: str):
    services.require_admin(request.auth)
    reference_list = get_object_or_404(ReferenceList, key=key)
    try:
        services.delete_reference_list(actor=request.auth, reference_list=reference_list)
    except ValidationError as error:
        raise _conflict(error) from error
    return Status(204, None)


@router.get(
    "/reference-lists/{key}/items",
    response=list[ReferenceItemOut],
    tags=["reference lists"],
    summary="Items of a reference list",
    description="Retired items too (`is_active` false): records may still hold them.",
)
@paginate(LimitOffset)
def list_reference_items(request, key: str):
    return get_object_or_404(ReferenceList, key=key).items.order_by("order", "id")


@router.post(
    "/reference-lists/{key}/items",
    response={201: ReferenceItemOut},
    tags=["reference lists"],
    summary="Add an item to a reference list",
    description="Administrators only. Items are never deleted: retire one with `is_active`.",
)
def add_reference_item(request, key: str, payload: ReferenceItemIn):
    services.require_admin(request.auth)
    reference_list = get_object_or_404(ReferenceList, key=key)
    item = services.add_reference_item(
        actor=request.auth, reference_list=reference_list, **payload.dict(exclude_unset=True)
    )
    return Status(201, item)


@router.patch(
    "/reference-lists/{key}/items/{item_key}",
    response=ReferenceItemOut,
    tags=["reference lists"],
    summary="Change an item of a reference list",
    description="Administrators only: relabel, reorder or retire it.",
)
def update_reference_item(request, key: str, item_key: str, payload: ReferenceItemPatch):
    services.require_admin(request.auth)
    item = get_object_or_404(ReferenceItem, reference_list__key=key, key=item_key)
    return services.update_reference_item(
        actor=request.auth, item=item, **payload.dict(exclude_unset=True)
    )
