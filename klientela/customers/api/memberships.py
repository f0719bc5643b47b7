"""Links between people and organizations: who works where, in which role.

A link is visible when both its person and its organization are; changing one needs edit on
either of them.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from .. import services
from ..models import Membership, Organization, Person
from .common import api_field_names, referenced, visible
from .schemas import MembershipIn, MembershipOut, MembershipPatch

router = Router(tags=["memberships"])


def visible_membership(request, membership_id: int) -> Membership:
    links = Membership.objects.filter(
        person__in=visible(request, Person), organization__in=visible(request, Organization)
    ).select_related("person", "organization", "role")
    return get_object_or_404(links, pk=membership_id)


@router.post(
    "/memberships",
    response={201: MembershipOut},
    summary="Link a person to an organization",
    description="`role` is an item key of the `contact_roles` reference list.",
)
def link_person(request, payload: MembershipIn):
    person = referenced(visible(request, Person), payload.person_id, "person_id")
    organization = referenced(
        visible(request, Organization), payload.organization_id, "organization_id"
    )
    with api_field_names():
        membership = services.link_person(
            actor=request.auth,
            person=person,
            organization=organization,
            role=payload.role,
            position=payload.position,
            is_primary=payload.is_primary,
        )
    return Status(201, visible_membership(request, membership.pk))


@router.patch("/memberships/{int:membership_id}", response=MembershipOut, summary="Change a link")
def update_link(request, membership_id: int, payload: MembershipPatch):
    membership = visible_membership(request, membership_id)
    services.update_link(
        actor=request.auth, membership=membership, **payload.dict(exclude_unset=True)
    )
    return visible_membership(request, membership_id)


@router.delete("/memberships/{int:membership_id}", response={204: None}, summary="Unlink a person")
def unlink_person(request, membership_id: int):
    membership = visible_membership(request, membership_id)
    services.unlink_person(actor=request.auth, membership=membership)
    return Status(204, None)
