"""Notes on cards: ``/organizations/{record_id}/notes`` and ``/people/{record_id}/notes``.

Anyone who may see a card may read and add notes; the author or an administrator changes one.
Bodies are HTML, sanitized to a small safe set of tags.
"""

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset

from .. import services
from ..models import Organization, Person
from .common import visible
from .schemas import NoteIn, NoteOut

router = Router(tags=["notes"])

OWNERS = {"organizations": (Organization, "an organization"), "people": (Person, "a person")}


def add_routes(owners: str) -> None:
    model, owner_noun = OWNERS[owners]
    path = f"/{owners}/{{int:record_id}}/notes"

    def owner(request, record_id: int):
        return get_object_or_404(visible(request, model), pk=record_id)

    def note(request, record_id: int, note_id: int):
        return get_object_or_404(owner(request, record_id).notes, pk=note_id)

    @router.get(
        path,
        response=list[NoteOut],
        operation_id=f"list_{owners}_notes",
        summary=f"Notes on {owner_noun}",
        description="Newest first.",
    )
    @paginate(LimitOffset)
    def list_notes(request, record_id: int):
        return owner(request, record_id).notes.select_related("author")

    @router.post(
        path,
        response={201: NoteOut},
        operation_id=f"add_{owners}_note",
        summary=f"Add a note to {owner_noun}",
    )
    def add(request, record_id: int, payload: NoteIn):
        record = owner(request, record_id)
        added = services.add_note(actor=request.auth, record=record, body=payload.body)
        return Status(201, added)

    @router.patch(
        f"{path}/{{int:note_id}}",
        response=NoteOut,
        operation_id=f"change_{owners}_note",
        summary=f"Change a note on {owner_noun}",
    )
    def change(request, record_id: int, note_id: int, payload: NoteIn):
        found = note(request, record_id, note_id)
        return services.update_note(actor=request.auth, note=found, body=payload.body)

    @router.delete(
        f"{path}/{{int:note_id}}",
        response={204: None},
        operation_id=f"delete_{owners}_note",
        summary=f"Delete a note on {owner_noun}",
    )
    def delete(request, record_id: int, note_id: int):
        services.delete_note(actor=request.auth, note=note(request, record_id, note_id))
        return Status(204, None)


for owners in OWNERS:
    add_routes(owners)
