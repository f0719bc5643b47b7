"""People through the API: list, card, create, change, delete, export, duplicates, merge,
hand-over and the organizations they are linked to."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset

from .. import services
from ..exports import export_response, exportable_records
from ..filters import PersonFilter, filter_records, order_records, ordering_keys
from ..models import Person
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
from .organizations import CUSTOM_FILTERS, EXPORT_CONTENT, CardFilters
from .schemas import (
    DuplicateOut,
    HandOverIn,
    HandOverOut,
    MergeIn,
    PersonCandidateIn,
    PersonIn,
    PersonItem,
    PersonOut,
    PersonPatch,
    WorkplaceOut,
)

router = Router(tags=["people"])


class PersonFilters(CardFilters):
    ordering: str | None = Field(
        None,
        description="Comma-separated, `-` for descending: "
        f"{', '.join(ordering_keys(Person))} or `custom.<key>`.",
    )


def person_card(request, person_id: int) -> Person:
    """The full card of a visible person (404 otherwise), as ``PersonOut`` reads it."""
    records = (
        visible(request, Person)
        .select_related("responsible", "source")
        .prefetch_related(*CHANNELS, "tags", visible_links_prefetch(request, Person))
    )
    return get_object_or_404(records, pk=person_id)


def filtered(request, records, filters: PersonFilters):
    # The FilterSet reads the query itself: custom field filters are named per installation.
    records = filter_records(PersonFilter, request.GET, records, request=request)
    return order_records(records, filters.ordering)


@router.get(
    "/people",
    response=list[PersonItem],
    summary="People",
    description="The people you may see, filtered and sorted. " + CUSTOM_FILTERS,
)
@paginate(LimitOffset)
def list_people(request, filters: Query[PersonFilters]):
    people = filtered(request, visible(request, Person), filters)
    return (
        people.select_related("responsible", "source")
        .with_primary_channels()
        .prefetch_related("tags", visible_links_prefetch(request, Person))
    )


@router.get(
    "/people/export",
    summary="Export people",
    description="The people you may see and export, filtered and sorted as the list, with every "
    "column and custom field. Needs the export permission.",
    openapi_extra={"responses": {200: {"description": "The file.", "content": EXPORT_CONTENT}}},
)
def export_people(
    request,
    filters: Query[PersonFilters],
    file_format: Literal["csv", "xlsx"] = Query("csv", alias="format"),
):
    records = exportable_records(request.auth, Person)
    return export_response(filtered(request, records, filters), file_format)


@router.post(
    "/people",
    response={201: PersonOut},
    summary="Create a person",
    description="A first or a last name is needed. Channels are lists per kind; "
    "`memberships` links the person to organizations.",
)
def create_person(request, payload: PersonIn):
    with api_field_names():
        data = card_changes(payload)
        person = services.create_person(actor=request.auth, **data)
    return Status(201, person_card(request, person.pk))


@router.get("/people/{int:person_id}", response=PersonOut, summary="One person")
def get_person(request, person_id: int):
    return person_card(request, person_id)


@router.patch(
    "/people/{int:person_id}",
    response=PersonOut,
    summary="Change a person",
    description="Only the fields given change. Organizations are linked through /memberships.",
)
def update_person(request, person_id: int, payload: PersonPatch):
    person = get_object_or_404(visible(request, Person), pk=person_id)
    with api_field_names():
        data = card_changes(payload)
        services.update_person(actor=request.auth, person=person, **data)
    return person_card(request, person_id)


@router.delete(
    "/people/{int:person_id}",
    response={204: None},
    summary="Delete a person",
    description="Their channels, links and notes go with them.",
)
def delete_person(request, person_id: int):
    person = get_object_or_404(visible(request, Person), pk=person_id)
    services.delete_person(actor=request.auth, person=person)
    return Status(204, None)


@router.get(
    "/people/{int:person_id}/organizations",
    response=list[WorkplaceOut],
    summary="Organizations of a person",
    description="The organizations you may see that the person is linked to, with the role.",
)
@paginate(LimitOffset)
def person_organizations(request, person_id: int):
    person = get_object_or_404(visible(request, Person), pk=person_id)
    return links_of(request, person)


@router.post(
    "/people/duplicates",
    response=list[DuplicateOut],
    summary="People who may be the one described",
    description="Same phone or email, or a very similar name in the same city. A match you "
    "may not see is reported without its data: `id` is null, `owner` says whom to ask.",
)
def person_duplicates(request, payload: PersonCandidateIn):
    require_view_or_create(request, Person)
    data = payload.dict()
    exclude_id = data.pop("exclude_id")
    return services.find_duplicates(
        entity="person", data=data, user=request.auth, exclude_id=exclude_id
    )


@router.post(
    "/people/{int:person_id}/merge",
    response=PersonOut,
    summary="Merge a duplicate into this person",
    description="Everything linked to the duplicate moves here; the duplicate is deleted. "
    "Needs edit on this card and delete on the duplicate.",
)
def merge_people(request, person_id: int, payload: MergeIn):
    survivor = get_object_or_404(visible(request, Person), pk=person_id)
    duplicate = referenced(visible(request, Person), payload.duplicate_id, "duplicate_id")
    services.merge(
        actor=request.auth,
        survivor=survivor,
        duplicate=duplicate,
        field_choices=payload.field_choices,
    )
    return person_card(request, person_id)


@router.post(
    "/people/hand-over",
    response=HandOverOut,
    summary="Hand people to another manager",
    description="All or nothing: the history stays with each card.",
)
def hand_over_people(request, payload: HandOverIn):
    return {"count": hand_over_records(request, Person, payload)}
