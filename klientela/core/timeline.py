"""A record's timeline: dated items from every app (notes, changes, later calls, emails, deals).

An app registers a source: a function returning the items it holds about one record, newest
first. ``timeline_for`` asks every source that applies to the record's model and merges their
items by date. The caller has already checked that the user may view the record; a source may
narrow further what it shows to that user. The audit history is a source on every record.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .audit import history_for


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    # What it is, e.g. "note", "change", "call": pages choose how to show it by this.
    kind: str
    title: str | Promise
    actor: Any = None
    # Plain text, or HTML when ``is_html`` (only sources that sanitize may say so).
    body: str = ""
    is_html: bool = False
    # The row behind the item (a Note, an AuditEntry...), for links and edit buttons.
    source_object: Any = None
    # Extra facts for display, e.g. the changed fields of an audit entry.
    details: dict = field(default_factory=dict)
    # The template that shows the item on a timeline (with ``item`` in its context); empty: the
    # page shows it as a plain row of title, actor, time and body.
    template: str = ""


# items(record, user=..., limit=...) -> items, newest first.
ItemsFunction = Callable[..., Iterable[TimelineItem]]


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str | Promise
    items: ItemsFunction
    # The models the source has items for; empty means every model.
    models: tuple[type[models.Model], ...] = ()

    def applies_to(self, model: type[models.Model]) -> bool:
        return not self.models or issubclass(model, self.models)


_sources: dict[str, TimelineSource] = {}


def register_timeline_source(source: TimelineSource) -> None:
    _sources[source.key] = source


def unregister_timeline_source(key: str) -> None:
    _sources.pop(key, None)


def timeline_sources(model: type[models.Model]) -> list[TimelineSource]:
    return [source for source in _sources.values() if source.applies_to(model)]


def timeline_for(
    record: models.Model, *, user, limit: int = 50, kinds: Iterable[str] | None = None
) -> list[TimelineItem]:
    """The newest ``limit`` items about ``record`` from every source (or the ``kinds`` asked)."""
    wanted = set(kinds) if kinds is not None else None
    streams = [
        source.items(record, user=user, limit=limit)
        for source in timeline_sources(type(record))
        if wanted is None or source.key in wanted
    ]
    merged = heapq.merge(*streams, key=lambda item: item.at, reverse=True)
    return list(itertools.islice(merged, limit))


def audit_items(record: models.Model, *, user, limit: int) -> list[TimelineItem]:
    entries = history_for(record)[:limit]
    return [
        TimelineItem(
            at=entry.created_at,
            kind="change",
            title=entry.get_kind_display(),
            actor=entry.actor,
            source_object=entry,
            details=entry.changes,
        )
        for entry in entries
    ]


register_timeline_source(TimelineSource(key="changes", label=_("Changes"), items=audit_items))
