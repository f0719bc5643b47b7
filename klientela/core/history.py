"""Whose audit history a user may read: one source of records per entity key.

Every entity registered with the access core has its history readable by whoever may view the
record, with no further setup. Other kinds of records (users, teams, roles) register a source
here: a function ``records(actor=user)`` returning the queryset the user may read the history
of, or raising PermissionDenied when the user may read none of that kind.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from . import access
from .audit import history_for

RecordSource = Callable[..., models.QuerySet]

_sources: dict[str, RecordSource] = {}


def register_history(key: str, records: RecordSource) -> None:
    _sources[key] = records


def unregister_history(key: str) -> None:
    _sources.pop(key, None)


def _visible_records(key: str, *, actor) -> models.QuerySet:
    try:
        entity = access.get_entity(key)
    except KeyError:
        raise Http404(key) from None
    if entity.model is None:
        raise Http404(key)
    return access.restrict(entity.model._default_manager.all(), actor, access.Action.VIEW)


def record_for_history(*, actor, key: str, object_id: str) -> models.Model:
    """The record whose history ``actor`` asks for; 404 when missing or out of view scope."""
    source = _sources.get(key)
    records = source(actor=actor) if source else _visible_records(key, actor=actor)
    try:
        return records.get(pk=object_id)
    except (records.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(key) from None


def history_of(*, actor, key: str, object_id: str) -> models.QuerySet:
    return history_for(record_for_history(actor=actor, key=key, object_id=object_id))
