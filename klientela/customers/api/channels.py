"""Contact channels of a card, one sub-resource per kind: ``/organizations/{record_id}/phones``,
``/emails``, ``/messengers``, ``/websites``, ``/addresses`` and the same under ``/people``.

Each kind has its own fields, so each is its own resource with its own schema rather than one
resource with a ``type``: list, add, change and delete. One channel per kind is primary; making
another primary moves the mark, and the first channel added is primary.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from .. import services
from ..models import Organization, Person
from .common import visible
from .schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    EmailIn,
    EmailOut,
    EmailPatch,
    MessengerIn,
    MessengerOut,
    MessengerPatch,
    PhoneIn,
    PhoneOut,
    PhonePatch,
    WebsiteIn,
    WebsiteOut,
    WebsitePatch,
)

router = Router(tags=["channels"])

ABOUT = (
    "Each kind of channel (phones, emails, messengers, websites, addresses) is its own "
    "resource under the card. One channel of a kind is primary: the first one added, or the "
    "one last marked `is_primary`. Changing channels needs edit on the card."
)


@dataclass(frozen=True)
class ChannelKind:
    key: str  # the path segment and the services' channel type
    output: type[Schema]
    create: type[Schema]
    patch: type[Schema]


KINDS = (
    ChannelKind("phones", PhoneOut, PhoneIn, PhonePatch),
    ChannelKind("emails", EmailOut, EmailIn, EmailPatch),
    ChannelKind("messengers", MessengerOut, MessengerIn, MessengerPatch),
    ChannelKind("websites", WebsiteOut, WebsiteIn, WebsitePatch),
    ChannelKind("addresses", AddressOut, AddressIn, AddressPatch),
)
OWNERS = {"organizations": (Organization, "an organization"), "people": (Person, "a person")}


def add_routes(owners: str, kind: ChannelKind) -> None:
    model, owner_noun = OWNERS[owners]
    singular = kind.output.__name__.removesuffix("Out").lower()
    one = f"{'an' if singular[0] in 'aeiou' else 'a'} {singular}"
    path = f"/{owners}/{{int:record_id}}/{kind.key}"
    operation = f"{owners}_{kind.key}"

    def owner(request, record_id: int):
        return get_object_or_404(visible(request, model), pk=record_id)

    def channel(request, record_id: int, channel_id: int):
        return get_object_or_404(getattr(owner(request, record_id), kind.key), pk=channel_id)

    @router.get(
        path,
        response=list[kind.output],
        operation_id=f"list_{operation}",
        summary=f"The {kind.key} of {owner_noun}",
        description=ABOUT,
    )
    def list_channels(request, record_id: int):
        return list(getattr(owner(request, record_id), kind.key).all())

    @router.post(
        path,
        response={201: kind.output},
        operation_id=f"add_{operation}",
        summary=f"Add {one} to {owner_noun}",
        description=ABOUT,
    )
    def add(request, record_id: int, payload: kind.create):
        added = services.add_channel(
            actor=request.auth,
            owner=owner(request, record_id),
            channel_type=kind.key,
            data=payload.dict(exclude_unset=True),
        )
        return Status(201, added)

    @router.patch(
        f"{path}/{{int:channel_id}}",
        response=kind.output,
        operation_id=f"change_{operation}",
        summary=f"Change {one} of {owner_noun}",
    )
    def change(request, record_id: int, channel_id: int, payload: kind.patch):
        changed = services.update_channel(
            actor=request.auth,
            channel=channel(request, record_id, channel_id),
            data=payload.dict(exclude_unset=True),
        )
        return changed

    @router.delete(
        f"{path}/{{int:channel_id}}",
        response={204: None},
        operation_id=f"delete_{operation}",
        summary=f"Delete {one} of {owner_noun}",
    )
    def delete(request, record_id: int, channel_id: int):
        services.delete_channel(actor=request.auth, channel=channel(request, record_id, channel_id))
        return Status(204, None)


for owners in OWNERS:
    for kind in KINDS:
        add_routes(owners, kind)
