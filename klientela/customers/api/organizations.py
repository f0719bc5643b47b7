"""Organizations through the API: list, card, create, change, delete, export, duplicates, merge,
hand-over and their contact persons."""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset

from .. import services
from ..exports import export_response, exportable_records
from ..filters import OrganizationFilter, filter_records, order_records, ordering_keys
from ..models import Organization
from ..models.querysets import CHANNELS
from .common import (
    api_field_names,
    card_changes,
    hand_over_records,
    links_of,
    referenced,
    require_view_or_create,
    visible,
    visible_links_prefetch,
)
from .schemas import (
    ContactOut,
    DuplicateOut,
    HandOverIn,
    HandOverOut,
    MergeIn,
    OrganizationCandidateIn,
    OrganizationIn,
    OrganizationItem,
    OrganizationOut,
    OrganizationPatch,
)

router = Router(tags=["organizations"])

CUSTOM_FILTERS = (
    "Custom fields filter as `custom.<key>` (equals; repeat it for any of several choices or "
    "users), `custom.<key>__contains` (text), `custom.<key>__gte` / `__lte` (number, money, "
    "date), `custom.<key>__currency` (money) and `custom.<key>__isnull`. "
)
EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}


class CardFilters(Schema):
    q: str | None = Field(None, description="Part of a name, a phone typed any way, an email.")
    responsible: list[str] = Field(None, description="User ids; `null` for nobody.")
    team: int | None = Field(None, description="Cards of the members of this team.")
    tags: list[int] = Field(None, description="Tag ids: cards with any of them.")
    source: list[str] = Field(None, description="Item keys of the `sources` list.")
    city: str | None = Field(None, description="A city of one of the card's addresses.")
    created_after: date | None = None
    created_before: date | None = None
    has_phone: bool | None = None
    has_email: bool | None = None


class OrganizationFilters(CardFilters):
    type: list[str] = Field(None, description="Item keys of the `organization_types` list.")
    industry: list[str] = Field(None, description="Item keys of the `industries` list.")
    client_group: list[str] = Field(None, description="Item keys of the `client_groups` list.")
    ordering: str | None = Field(
        None,
        description="Comma-separated, `-` for descending: "
        f"{', '.join(ordering_keys(Organization))} or `custom.<key>`.",
    )


def organization_card(request, organization_id: int) -> Organization:
    """The full card of a visible organization (404 otherwise), as ``OrganizationOut`` reads it."""
    records = (
        visible(request, Organization)
        .select_related("responsible", "industry", "client_group", "source")
        .prefetch_related(*CHANNELS, "tags", "types", visible_links_prefetch(request, Organization))
    )
    organization = get_object_or_404(records, pk=organization_id)
    others = visible(request, Organization)
    organization.visible_parent = others.filter(pk=organization.parent_id).first()
    organization.branches_count = others.filter(parent=organization).count()
    return organization


def filtered(request, records, filters: OrganizationFilters):
    # The FilterSet reads the query itself: custom field filters are named per installation.
    records = filter_records(OrganizationFilter, request.GET, records, request=request)
    return order_records(records, filters.ordering)


@router.get(
    "/organizations",
    response=list[OrganizationItem],
    summary="Organizations",
    description="The organizations you may see, filtered and sorted. " + CUSTOM_FILTERS,
)
@paginate(LimitOffset)
def list_organizations(request, filters: Query[OrganizationFilters]):
    return filtered(request, visible(request, Organization), filters).for_list()


@router.get(
    "/organizations/export",
    summary="Export organizations",
    description="The organizations you may see and export, filtered and sorted as the list, "
    "with every column and custom field. Needs the export permission.",
    openapi_extra={"responses": {200: {"description": "The file.", "content": EXPORT_CONTENT}}},
)
def export_organizations(
    request,
    filters: Query[OrganizationFilters],
    file_format: Literal["csv", "xlsx"] = Query("csv", alias="format"),
):
    records = exportable_records(request.auth, Organization)
    return export_response(filtered(request, records, filters), file_format)


@router.post(
    "/organizations",
    response={201: OrganizationOut},
    summary="Create an organization",
    description="Channels are lists per kind; `memberships` links contact persons.",
)
def create_organization(request, payload: OrganizationIn):
    with api_field_names():
        data = card_changes(payload)
        organization = services.create_organization(actor=request.auth, **data)
    return Status(201, organization_card(request, organization.pk))


@router.get(
    "/organizations/{int:organization_id}", response=OrganizationOut, summary="One organization"
)
def get_organization(request, organization_id: int):
    return organization_card(request, organization_id)


@router.patch(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    summary="Change an organization",
    description="Only the fields given change. Contact persons are linked through /memberships.",
)
def update_organization(request, organization_id: int, payload: OrganizationPatch):
    organization = get_object_or_404(visible(request, Organization), pk=organization_id)
    with api_field_names():
        data = card_changes(payload)
        services.update_organization(actor=request.auth, organization=organization, **data)
    return organization_card(request, organization_id)


@router.delete(
    "/organizations/{int:organization_id}",
    response={204: None},
    summary="Delete an organization",
    description="Its channels, links and notes go with it; its branches lose their parent.",
)
def delete_organization(request, organization_id: int):
    organization = get_object_or_404(visible(request, Organization), pk=organization_id)
    services.delete_organization(actor=request.auth, organization=organization)
    return Status(204, None)


@router.get(
    "/organizations/{int:organization_id}/people",
    response=list[ContactOut],
    summary="Contact persons of an organization",
    description="The people you may see who are linked to it, with their role there.",
)
@paginate(LimitOffset)
def organization_people(request, organization_id: int):
    organization = get_object_or_404(visible(request, Organization), pk=organization_id)
    return links_of(request, organization)


@router.post(
    "/organizations/duplicates",
    response=list[DuplicateOut],
    summary="Organizations that may be the one described",
    description="Same phone, email or tax number, or a very similar name in the same city. "
    "A match you may not see is reported without its data: `id` is null, `owner` says whom "
    "to ask.",
)
def organization_duplicates(request, payload: OrganizationCandidateIn):
    require_view_or_create(request, Organization)
    data = payload.dict()
    exclude_id = data.pop("exclude_id")
    return services.find_duplicates(
        entity="organization", data=data, user=request.auth, exclude_id=exclude_id
    )


@router.post(
    "/organizations/{int:organization_id}/merge",
    response=OrganizationOut,
    summary="Merge a duplicate into this organization",
    description="Everything linked to the duplicate moves here; the duplicate is deleted. "
    "Needs edit on this card and delete on the duplicate.",
)
def merge_organizations(request, organization_id: int, payload: MergeIn):
    survivor = get_object_or_404(visible(request, Organization), pk=organization_id)
    duplicate = referenced(visible(request, Organization), payload.duplicate_id, "duplicate_id")
    services.merge(
        actor=request.auth,
        survivor=survivor,
        duplicate=duplicate,
        field_choices=payload.field_choices,
    )
    return organization_card(request, organization_id)


@router.post(
    "/organizations/hand-over",
    response=HandOverOut,
    summary="Hand organizations to another manager",
    description="All or nothing: the history stays with each card.",
)
def hand_over_organizations(request, payload: HandOverIn):
    return {"count": hand_over_records(request, Organization, payload)}
