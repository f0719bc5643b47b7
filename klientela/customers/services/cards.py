"""Creating, changing and deleting organizations and people: the rules both kinds of card share.

``organizations`` and ``people`` describe their fields with a ``CardSpec`` and call these.
All input is validated before anything is written; errors come back together, keyed by field
(``legal_name``, ``emails.1.address``, ``custom.revenue``, ``memberships.0.person``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import record_create, record_delete, record_update, snapshot
from klientela.core.bulk import bulk_insert, bulk_save
from klientela.core.fulltext import index_record, reindex, unindex_record

from ..models import Organization
from .channels import (
    CHANNEL_MODELS,
    build_channels,
    channel_changes,
    describe_channels,
    owner_field,
    save_channels,
)
from .common import (
    Errors,
    names,
    normalize_tax_number,
    require_assign,
    resolve_reference,
    resolve_references,
    resolve_tags,
    visible_record,
)
from .memberships import (
    Membership,
    build_memberships,
    describe_membership,
    describe_memberships,
    memberships_change,
    save_memberships,
)

RELATED_KEYS = {"custom", "tags", *CHANNEL_MODELS, "memberships"}


@dataclass(frozen=True)
class CardSpec:
    model: type[models.Model]
    # Plain fields set from input as they are (after trimming text).
    fields: tuple[str, ...]
    # Foreign keys to reference items: field -> list key.
    references: dict[str, str] = field(default_factory=dict)
    # Many-to-many to reference items: field -> list key.
    multi_references: dict[str, str] = field(default_factory=dict)
    # check(record, errors): rules across fields, run before anything is written.
    check: Callable[[models.Model, Errors], None] | None = None

    @property
    def entity(self) -> str:
        return self.model.access_entity

    @property
    def keys(self) -> set[str]:
        links = {"parent"} if self.model is Organization else set()
        return {
            *self.fields,
            *self.references,
            *self.multi_references,
            *links,
            "responsible",
            *RELATED_KEYS,
        }

    @property
    def audited(self) -> list[str]:
        links = ["parent"] if self.model is Organization else []
        return [*self.fields, *self.references, *links, "responsible", "custom"]


def require(actor, action: str, obj) -> None:
    """``actor=None`` is the system itself (data loaders, migrations)."""
    if actor is not None:
        access.require(actor, action, obj)


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _apply_fields(spec: CardSpec, record, data: dict, *, actor, errors: Errors) -> None:
    for name in spec.fields:
        if name in data:
            value = _clean_text(data[name])
            if name == "tax_number":
                value = normalize_tax_number(value)
            setattr(record, name, "" if value is None and name != "birthday" else value)
    for name, list_key in spec.references.items():
        if name in data:
            current = getattr(record, f"{name}_id")
            item = resolve_reference(
                list_key, data[name], field=name, errors=errors, current_id=current
            )
            setattr(record, name, item)
    if "parent" in data:
        _apply_parent(record, data["parent"], actor=actor, errors=errors)


def _apply_parent(record, value: Any, *, actor, errors: Errors) -> None:
    parent = visible_record(Organization, value, actor=actor, field="parent", errors=errors)
    ancestor = parent
    while ancestor is not None:
        if record.pk and ancestor.pk == record.pk:
            errors.add("parent", _("An organization cannot be a branch of itself."))
            return
        ancestor = ancestor.parent
    if value in (None, "") or parent is not None:
        record.parent = parent


def _check_unknown(spec: CardSpec, data: dict) -> None:
    unknown = set(data) - spec.keys
    if unknown:
        raise TypeError(f"Unknown fields for {spec.entity}: {', '.join(sorted(unknown))}")


def _clean_record(spec: CardSpec, record, errors: Errors) -> None:
    # "name" is derived in save(); custom values were checked by their own validator.
    excluded = [name for name in errors if "." not in name]
    try:
        record.full_clean(
            exclude=[*excluded, *_fetched_relations(record), "custom", "name"],
            validate_unique=False,
        )
    except ValidationError as error:
        errors.merge(error)


def _fetched_relations(record) -> list[str]:
    """Foreign keys set to rows just read (every service resolves them so): full_clean would
    read each one again, and the database's constraint guards them anyway."""
    return [
        field.name
        for field in record._meta.concrete_fields
        if field.is_relation and field.is_cached(record)
    ]


def _set_custom(record, custom: Any, *, partial: bool, errors: Errors) -> None:
    try:
        record.set_custom_values(custom, partial=partial)
    except ValidationError as error:
        errors.merge(error)


def _related_changes(record, before: dict) -> dict:
    """Audit entries' extra items for tags, types, channels and links that changed."""
    changes = {}
    for name in ("tags", "types"):
        if name in before:
            after = names(getattr(record, name).all())
            if after != before[name]:
                label = str(type(record)._meta.get_field(name).verbose_name)
                changes[name] = {"label": label, "old": before[name], "new": after}
    if "channels" in before:
        changes.update(channel_changes(before["channels"], describe_channels(record)))
    if "memberships" in before:
        changes.update(memberships_change(before["memberships"], describe_memberships(record)))
    return changes


def _related_before(record, spec: CardSpec) -> dict:
    if not record.pk:
        return {
            "tags": [],
            **{name: [] for name in spec.multi_references},
            "channels": {name: [] for name in CHANNEL_MODELS},
            "memberships": [],
        }
    return {
        "tags": names(record.tags.all()),
        **{name: names(getattr(record, name).all()) for name in spec.multi_references},
        "channels": describe_channels(record),
        "memberships": describe_memberships(record),
    }


def _validate(spec: CardSpec, record, data: dict, *, actor, partial: bool) -> dict:
    """Check everything; return what is written after the record itself."""
    errors = Errors()
    _apply_fields(spec, record, data, actor=actor, errors=errors)
    if "custom" in data or not partial:
        _set_custom(record, data.get("custom"), partial=partial, errors=errors)
    prepared = {
        "channels": build_channels(
            record, {name: data.get(name) for name in CHANNEL_MODELS}, errors
        ),
        "memberships": build_memberships(
            record, data.get("memberships"), actor=actor, errors=errors
        ),
        "multi": {
            name: resolve_references(list_key, data[name] or [], field=name, errors=errors)
            for name, list_key in spec.multi_references.items()
            if name in data
        },
    }
    if spec.check is not None:
        spec.check(record, errors)
    _clean_record(spec, record, errors)
    errors.raise_if_any()
    return prepared


def _write_related(record, data: dict, prepared: dict, *, replace: bool) -> None:
    for name, items in prepared["multi"].items():
        getattr(record, name).set(items)
    if data.get("tags") is not None:
        record.tags.set(resolve_tags(data["tags"]))
    save_channels(record, prepared["channels"], replace=replace)
    if prepared["memberships"] is not None:
        save_memberships(record, prepared["memberships"])


def create_card(spec: CardSpec, *, actor, data: dict):
    _check_unknown(spec, data)
    require(actor, access.Action.CREATE, spec.model)
    owner = data.get("responsible") or actor
    if actor is not None:
        require_assign(actor, spec.entity, access.Action.CREATE, owner)
    record = spec.model(responsible=owner, created_by=actor)
    before = _related_before(record, spec)
    prepared = _validate(spec, record, data, actor=actor, partial=False)
    record.save()
    _write_related(record, data, prepared, replace=True)
    entry = record_create(record, actor=actor, fields=spec.audited)
    entry.changes.update(_related_changes(record, before))
    entry.save(update_fields=["changes"])
    index_record(record)
    return record


def prepare_card(spec: CardSpec, *, actor, data: dict):
    """A new card checked by every rule ``create_card`` applies, not yet written: give it to
    ``insert_cards`` (imports write thousands at a time). Raises ValidationError."""
    _check_unknown(spec, data)
    owner = data.get("responsible") or actor
    record = spec.model(responsible=owner, created_by=actor)
    record._prepared = _validate(spec, record, data, actor=actor, partial=False)
    record._tags = resolve_tags(data["tags"]) if data.get("tags") is not None else []
    return record


@transaction.atomic
def insert_cards(spec: CardSpec, records: list, *, actor) -> None:
    """Write prepared new cards with a few bulk inserts: the rows, their channels, links,
    tags, "created" audit entries and search entries, as ``create_card`` would one by one."""
    if not records:
        return
    require(actor, access.Action.CREATE, spec.model)
    if actor is not None:
        for owner in {record.responsible for record in records}:
            require_assign(actor, spec.entity, access.Action.CREATE, owner)
    for record in records:
        access.sync_owner_team(record)
        record.derive_fields()
    bulk_insert(records)
    own_field = owner_field(records[0])
    related: dict[type[models.Model], list[models.Model]] = {}
    for record in records:
        _attach_related(spec, record, own_field, related)
    for rows in related.values():
        bulk_insert(rows)
    entries = [
        record_create(
            record,
            actor=actor,
            fields=spec.audited,
            extra=_created_changes(spec, record),
            save=False,
        )
        for record in records
    ]
    bulk_insert(entries)
    reindex(spec.model, records, new=True)


def _attach_related(spec: CardSpec, record, own_field: str, related: dict) -> None:
    """Point the prepared channels, links and tags at the saved ``record``, queue them for
    insert and cache them on it (audit and search read them without queries)."""
    cache = record._prefetched_objects_cache = {}
    for channel_type, channels in record._prepared["channels"].items():
        requested = [channel for channel in channels if getattr(channel, "primary_requested", 0)]
        primary = (requested or channels or [None])[0]
        for channel in channels:
            setattr(channel, own_field, record)
            channel.is_primary = channel is primary
        related.setdefault(CHANNEL_MODELS[channel_type], []).extend(channels)
        cache[channel_type] = channels
    for channel_type in CHANNEL_MODELS:
        cache.setdefault(channel_type, [])
    links = record._prepared["memberships"] or []
    for link in links:
        setattr(link, own_field, record)
    related.setdefault(Membership, []).extend(links)
    record.written_memberships = links
    multi = {**record._prepared["multi"], "tags": record._tags}
    for name, items in multi.items():
        through = getattr(spec.model, name).through
        source = f"{spec.model._meta.model_name}_id"
        target = f"{items[0]._meta.model_name}_id" if items else ""
        related.setdefault(through, []).extend(
            through(**{source: record.pk, target: item.pk}) for item in items
        )
        cache[name] = items


def _created_changes(spec: CardSpec, record) -> dict:
    """What ``_related_changes`` says of a new card, read from the lists ``_attach_related``
    cached on it (without a related manager per list: thousands of cards add up)."""
    cache = record._prefetched_objects_cache
    changes = {}
    for name in ("tags", "types"):
        after = sorted(str(item) for item in cache.get(name, []))
        if after:
            label = str(spec.model._meta.get_field(name).verbose_name)
            changes[name] = {"label": label, "old": [], "new": after}
    empty = {channel_type: [] for channel_type in CHANNEL_MODELS}
    created = {channel_type: [str(item) for item in cache[channel_type]] for channel_type in empty}
    changes.update(channel_changes(empty, created))
    changes.update(memberships_change([], describe_memberships(record)))
    return changes


# What ``prepare_addition`` reads of a card: load cards with these (``prefetch_related``).
ADDITION_PREFETCH = (*CHANNEL_MODELS, "memberships__organization", "memberships__role")


def prepare_addition(spec: CardSpec, *, actor, record, data: dict):
    """Check what an import adds to an existing card, not yet written: the fields given replace
    the card's, the channels and links given are added to its own (the primary ones stay), the
    custom values given are set. Give it to ``write_additions``. ``record`` comes with its
    lists loaded (``ADDITION_PREFETCH``). Raises ValidationError, PermissionDenied."""
    _check_unknown(spec, data)
    if "tags" in data or set(data) & set(spec.multi_references):
        raise TypeError("Additions do not change tags or multiple references: use update_card.")
    require(actor, access.Action.EDIT, record)
    _apply_responsible(spec, record, data, actor=actor)
    record._before = {
        "fields": snapshot(record, spec.audited),
        "channels": describe_channels(record),
        "memberships": [describe_membership(row) for row in _links_in_order(record)],
    }
    # Only the new items are built: the card's own channels and links are left as they are.
    record._prepared = _validate(spec, record, data, actor=actor, partial=True)
    return record


@transaction.atomic
def write_additions(spec: CardSpec, records: list, *, actor) -> None:
    """Write prepared additions with a few bulk statements: each card's row, the new channels
    and links, the "changed" audit entries and the search entries."""
    if not records:
        return
    own_field = owner_field(records[0])
    for record in records:
        access.sync_owner_team(record)
        record.derive_fields()
    bulk_save(records)
    added: dict[type[models.Model], list[models.Model]] = {}
    for record in records:
        cache = record._prefetched_objects_cache
        for channel_type, channels in record._prepared["channels"].items():
            existing = list(cache[channel_type])
            has_primary = any(channel.is_primary for channel in existing)
            for index, channel in enumerate(channels):
                setattr(channel, own_field, record)
                channel.is_primary = not has_primary and index == 0
            added.setdefault(CHANNEL_MODELS[channel_type], []).extend(channels)
            cache[channel_type] = [*existing, *channels]
        links = record._prepared["memberships"] or []
        for link in links:
            setattr(link, own_field, record)
        added.setdefault(Membership, []).extend(links)
        record.written_memberships = [*_links_in_order(record), *links]
    for rows in added.values():
        bulk_insert(rows)
    entries = []
    for record in records:
        before = record._before
        extra = channel_changes(before["channels"], describe_channels(record))
        extra.update(memberships_change(before["memberships"], describe_memberships(record)))
        entry = record_update(record, before["fields"], actor=actor, extra=extra, save=False)
        if entry is not None:
            entries.append(entry)
    bulk_insert(entries)
    reindex(spec.model, records)


def _apply_responsible(spec: CardSpec, record, data: dict, *, actor) -> None:
    """A new owner given for an existing card: the actor must be allowed to hand it over."""
    if "responsible" in data:
        owner = data["responsible"]
        if actor is not None and getattr(owner, "pk", None) != record.responsible_id:
            require_assign(actor, spec.entity, access.Action.EDIT, owner)
        record.responsible = owner


def _links_in_order(record) -> list:
    return sorted(record.memberships.all(), key=lambda link: link.pk)


def update_card(spec: CardSpec, *, actor, record, data: dict):
    """Change the fields given in ``data``; lists given replace (see ``channels``)."""
    _check_unknown(spec, data)
    require(actor, access.Action.EDIT, record)
    before_fields = snapshot(record, spec.audited)
    before = _related_before(record, spec)
    _apply_responsible(spec, record, data, actor=actor)
    try:
        prepared = _validate(spec, record, data, actor=actor, partial=True)
    except ValidationError:
        # The caller's object shows the stored card again, not the refused input.
        record.refresh_from_db()
        raise
    record.save()
    _write_related(record, data, prepared, replace=True)
    record_update(record, before_fields, actor=actor, extra=_related_changes(record, before))
    index_record(record)
    return record


def delete_card(*, actor, record) -> None:
    require(actor, access.Action.DELETE, record)
    record_delete(record, actor=actor)
    unindex_record(record)
    record.delete()
