"""Handing cards to another manager, one or many at once, optionally with their open work.

The history stays with the card: only the responsible changes, with an audit entry on each card.
Apps with open work linked to cards (deals, tasks...) join through
``register_handover_participant``; with ``include_open_work`` each participant hands over its part
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.models import AuditEntry

from ..models import Organization, Person
from .common import require_assign


@dataclass(frozen=True)
class HandOver:
    """What a participant is told: these cards of ``model`` now belong to ``new_owner``."""

    actor: object
    model: type[models.Model]
    record_ids: list[int]
    # Who was responsible for each card before, so work of exactly that manager can follow.
    previous_owner_ids: dict[int, int | None]
    new_owner: object


# participant(hand_over) -> number of items it handed over.
Participant = Callable[[HandOver], int]

_participants: dict[str, Participant] = {}


def register_handover_participant(key: str, participant: Participant) -> None:
    _participants[key] = participant


def unregister_handover_participant(key: str) -> None:
    _participants.pop(key, None)


def _group(records: Iterable[models.Model]) -> dict[type[models.Model], list[int]]:
    groups: dict[type[models.Model], list[int]] = {}
    for record in records:
        model = type(record)
        if model not in (Organization, Person):
            raise ValidationError(_("Only organizations and people can be handed over."))
        groups.setdefault(model, []).append(record.pk)
    return groups


def _hand_over_model(actor, model, ids: list[int], new_owner, include_open_work: bool) -> int:
    entity = model.access_entity
    if actor is not None:
        allowed = access.restrict(model.objects.filter(pk__in=ids), actor, access.Action.EDIT)
        if allowed.count() != len(set(ids)):
            raise PermissionDenied(_("You may not change the responsible of some of these."))
        require_assign(actor, entity, access.Action.EDIT, new_owner)
    rows = list(model.objects.filter(pk__in=ids).select_related("responsible"))
    changed = [row for row in rows if row.responsible_id != new_owner.pk]
    if not changed:
        return 0
    model.objects.filter(pk__in=[row.pk for row in changed]).update(
        **access.owner_values(model, new_owner), updated_at=timezone.now()
    )
    label = str(model._meta.get_field("responsible").verbose_name)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=content_type,
            object_id=str(row.pk),
            object_repr=str(row)[:255],
            kind=AuditEntry.Kind.UPDATE,
            actor=actor if getattr(actor, "pk", None) else None,
            changes={
                "responsible": {
                    "label": label,
                    "old": str(row.responsible) if row.responsible else None,
                    "new": str(new_owner),
                }
            },
        )
        for row in changed
    )
    if include_open_work:
        hand_over_data = HandOver(
            actor=actor,
            model=model,
            record_ids=[row.pk for row in changed],
            previous_owner_ids={row.pk: row.responsible_id for row in changed},
            new_owner=new_owner,
        )
        for participant in _participants.values():
            participant(hand_over_data)
    return len(changed)


@transaction.atomic
def hand_over(*, actor, records, new_owner, include_open_work: bool = False) -> int:
    """Make ``new_owner`` responsible for ``records`` (organizations and/or people).

    All or nothing: if the actor may not edit one of them, or may not give cards to
    ``new_owner``, nothing changes. Returns the number of cards whose owner changed.
    """
    if new_owner is None or not new_owner.is_active:
        raise ValidationError({"new_owner": [_("Choose an active user.")]})
    groups = _group(records)
    return sum(
        _hand_over_model(actor, model, ids, new_owner, include_open_work)
        for model, ids in groups.items()
    )
