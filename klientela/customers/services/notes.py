"""Notes on cards: rich text kept to a safe set of tags; their author or an administrator edits.

Anyone who may view a card may add a note to it: a note records work with the client, it does
not change the card.
"""

from __future__ import annotations

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from klientela.core.audit import record_create, record_delete, record_update, snapshot
from klientela.core.timeline import TimelineItem

from ..models import Note, Organization, Person
from .channels import owner_field

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_LENGTH = 100_000


def sanitize(body: str) -> str:
    """Only the allowed tags and link attributes survive; links get rel="noopener ..."."""
    return nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _clean_body(body: str) -> str:
    if len(body or "") > MAX_LENGTH:
        raise ValidationError({"body": [_("The note is too long.")]})
    cleaned = sanitize(body)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"body": [_("Write something.")]})
    return cleaned


def _require_view(actor, record: Organization | Person) -> None:
    if (
        actor is not None
        and not type(record).objects.visible_to(actor).filter(pk=record.pk).exists()
    ):
        raise PermissionDenied(_("You do not have permission to do this."))


def can_change_note(actor, note: Note) -> bool:
    return actor is None or note.author_id == actor.pk or getattr(actor, "is_admin", False)


def _require_change(actor, note: Note) -> None:
    _require_view(actor, note.record)
    if not can_change_note(actor, note):
        raise PermissionDenied(_("Only the author or an administrator can change a note."))


@transaction.atomic
def add_note(*, actor, record: Organization | Person, body: str) -> Note:
    _require_view(actor, record)
    note = Note(author=actor, body=_clean_body(body), **{owner_field(record): record})
    note.save()
    record_create(note, actor=actor, fields=["body"])
    return note


@transaction.atomic
def update_note(*, actor, note: Note, body: str) -> Note:
    _require_change(actor, note)
    before = snapshot(note, ["body"])
    note.body = _clean_body(body)
    note.save()
    record_update(note, before, actor=actor)
    return note


@transaction.atomic
def delete_note(*, actor, note: Note) -> None:
    _require_change(actor, note)
    record_delete(note, actor=actor)
    note.delete()


def note_items(record: Organization | Person, *, user, limit: int) -> list[TimelineItem]:
    """The timeline source of notes (the caller already checked the user may view the card)."""
    notes = record.notes.select_related("author")[:limit]
    return [
        TimelineItem(
            at=note.created_at,
            kind="note",
            title=_("Note"),
            actor=note.author,
            body=note.body,
            is_html=True,
            source_object=note,
            details={"can_change": can_change_note(user, note)},
        )
        for note in notes
    ]
