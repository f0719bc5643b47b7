"""Contact channels: cleaning what people type, keeping one primary per type, and their writes.

A card's channels are given as lists of dicts per type (``phones``, ``emails``, ``messengers``,
``websites``, ``addresses``); a plain string is the main value (number, address, handle, url,
address line). When a card is updated with a list, the list replaces the card's channels of that
type: an item with the ``id`` of an existing channel updates it in place (only the keys given),
an item without ``id`` is added, and channels not listed are deleted. ``None`` leaves the type as
it is. ``add_channel`` / ``update_channel`` / ``delete_channel`` change one channel at a time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import record_update
from klientela.core.fulltext import index_record

from ..models import Address, Email, Messenger, Phone, Website
from .common import Errors

CHANNEL_MODELS: dict[str, type[models.Model]] = {
    "phones": Phone,
    "emails": Email,
    "messengers": Messenger,
    "websites": Website,
    "addresses": Address,
}
# The key a plain string stands for, per channel type.
MAIN_KEY = {
    "phones": "number",
    "emails": "address",
    "messengers": "handle",
    "websites": "url",
    "addresses": "line",
}
COMMON_KEYS = {"id", "kind", "is_primary", "comment"}
KEYS = {
    "phones": {"number", "extension"},
    "emails": {"address"},
    "messengers": {"handle"},
    "websites": {"url"},
    "addresses": {"country", "region", "city", "postal_code", "street", "line"},
}
OWNER_FIELDS = ["organization", "person"]


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def normalize_url(value: str) -> str:
    """``"Example.com/Shop"`` -> ``"https://example.com/Shop"``: a scheme is always stored."""
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def _set_values(channel_type: str, channel: models.Model, item: dict[str, Any]) -> None:
    for key in ("kind", "comment"):
        if key in item:
            setattr(channel, key, (item[key] or "").strip() if key == "comment" else item[key])
    if "is_primary" in item:
        channel.is_primary = bool(item["is_primary"])
        channel.primary_requested = channel.is_primary
    if channel_type == "phones":
        if "number" in item:
            channel.set_phone(str(item["number"] or ""))
        if item.get("extension"):
            channel.extension = str(item["extension"]).strip()[:20]
    elif channel_type == "emails" and "address" in item:
        channel.address = normalize_email(item["address"])
    elif channel_type == "messengers" and "handle" in item:
        channel.handle = (item["handle"] or "").strip()
    elif channel_type == "websites" and "url" in item:
        channel.url = normalize_url(item["url"])
    elif channel_type == "addresses":
        for key in KEYS["addresses"]:
            if key in item:
                setattr(channel, key, " ".join(str(item[key] or "").split()))
        channel.country = channel.country.upper()
        if not channel.line:
            channel.line = ", ".join(
                part
                for part in (channel.street, channel.postal_code, channel.city, channel.region)
                if part
            )


def build_channel(
    channel_type: str,
    item: Any,
    *,
    prefix: str,
    errors: Errors,
    existing: dict[int, models.Model] | None = None,
) -> models.Model | None:
    """An unsaved (or changed) channel from one input item; problems go to ``errors``."""
    if isinstance(item, str):
        item = {MAIN_KEY[channel_type]: item}
    if not isinstance(item, dict):
        errors.add(prefix.rstrip("."), _("Each item must be an object."))
        return None
    unknown = set(item) - COMMON_KEYS - KEYS[channel_type]
    for key in sorted(unknown):
        errors.add(f"{prefix}{key}", _("There is no such field."))
    if item.get("id") is not None:
        channel = (existing or {}).get(item["id"])
        if channel is None:
            errors.add(f"{prefix}id", _("This card has no such channel."))
            return None
    else:
        channel = CHANNEL_MODELS[channel_type]()
        if channel_type == "phones" and "number" not in item:
            item = {**item, "number": ""}
    _set_values(channel_type, channel, item)
    try:
        channel.full_clean(exclude=OWNER_FIELDS, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = error.message_dict
        if channel_type == "phones" and "raw" in messages:
            messages["number"] = messages.pop("raw")
        error = ValidationError(messages)
        errors.merge(error, prefix)
    return None if unknown else channel


def describe_channels(owner: models.Model, types: list[str] | None = None) -> dict[str, list[str]]:
    """Channels as text per type, for the audit history."""
    return {
        channel_type: [str(channel) for channel in getattr(owner, channel_type).all()]
        for channel_type in types or CHANNEL_MODELS
    }


def channel_changes(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict:
    return {
        channel_type: {
            "label": str(CHANNEL_MODELS[channel_type]._meta.verbose_name_plural),
            "old": before[channel_type],
            "new": after[channel_type],
        }
        for channel_type in before
        if before[channel_type] != after[channel_type]
    }


def build_channels(
    owner: models.Model | None, channels: dict[str, list | None], errors: Errors
) -> dict[str, list[models.Model]]:
    """Clean every list given (``None`` values skipped); nothing is written."""
    built = {}
    for channel_type, items in channels.items():
        if items is None:
            continue
        if not isinstance(items, list | tuple):
            errors.add(channel_type, _("Give a list."))
            continue
        existing = {}
        if owner is not None and owner.pk:
            existing = {channel.pk: channel for channel in getattr(owner, channel_type).all()}
        built[channel_type] = [
            channel
            for index, item in enumerate(items)
            if (
                channel := build_channel(
                    channel_type,
                    item,
                    prefix=f"{channel_type}.{index}.",
                    errors=errors,
                    existing=existing,
                )
            )
            is not None
        ]
    return built


def owner_field(owner: models.Model) -> str:
    """The key of a channel (or note) that points at ``owner``."""
    return "organization" if owner._meta.model_name == "organization" else "person"


def write_channels(
    owner: models.Model, channel_type: str, channels: list[models.Model], *, replace: bool
) -> None:
    """Save ``channels`` on ``owner``; with ``replace`` the others of the type are deleted.

    The primary one: the first asked to be primary; else one already primary; else the oldest.
    """
    field = owner_field(owner)
    rows = CHANNEL_MODELS[channel_type].objects.filter(**{field: owner})
    kept = {channel.pk for channel in channels if channel.pk}
    if replace:
        rows.exclude(pk__in=kept).delete()
    others = rows.exclude(pk__in=kept)
    requested = [channel for channel in channels if getattr(channel, "primary_requested", False)]
    retained = [channel for channel in channels if channel.is_primary]
    primary = (requested or retained or [None])[0]
    other_primary = None
    if primary is None:
        other_primary = others.filter(is_primary=True).first() or others.order_by("id").first()
        if other_primary is None and channels:
            primary = channels[0]
    # The partial unique index allows one primary at a time: clear first, then set.
    rows.filter(is_primary=True).update(is_primary=False)
    for channel in channels:
        setattr(channel, field, owner)
        channel.is_primary = channel is primary
        channel.save()
    if other_primary is not None:
        rows.filter(pk=other_primary.pk).update(is_primary=True)


def save_channels(owner: models.Model, built: dict[str, list[models.Model]], *, replace: bool):
    for channel_type, channels in built.items():
        write_channels(owner, channel_type, channels, replace=replace)


def channel_type_of(channel: models.Model) -> str:
    return next(key for key, model in CHANNEL_MODELS.items() if isinstance(channel, model))


def _audit_and_index(owner, actor, channel_type: str, before: dict[str, list[str]]) -> None:
    changes = channel_changes(before, describe_channels(owner, [channel_type]))
    if changes:
        record_update(owner, {}, actor=actor, extra=changes)
    owner.save(update_fields=["updated_at"])
    index_record(owner)


@transaction.atomic
def add_channel(*, actor, owner: models.Model, channel_type: str, data: dict | str):
    """Add one phone, email, messenger, website or address to an organization or a person."""
    access.require(actor, access.Action.EDIT, owner)
    if channel_type not in CHANNEL_MODELS:
        raise ValidationError({"type": [_("Unknown channel type.")]})
    errors = Errors()
    channel = build_channel(channel_type, data, prefix="", errors=errors)
    errors.raise_if_any()
    before = describe_channels(owner, [channel_type])
    write_channels(owner, channel_type, [channel], replace=False)
    _audit_and_index(owner, actor, channel_type, before)
    return channel


@transaction.atomic
def update_channel(*, actor, channel: models.Model, data: dict | str):
    """Change the keys given in ``data`` of one channel."""
    owner = channel.owner
    access.require(actor, access.Action.EDIT, owner)
    channel_type = channel_type_of(channel)
    if isinstance(data, dict):
        data = {**data, "id": channel.pk}
    else:
        data = {MAIN_KEY[channel_type]: data, "id": channel.pk}
    errors = Errors()
    changed = build_channel(
        channel_type, data, prefix="", errors=errors, existing={channel.pk: channel}
    )
    errors.raise_if_any()
    before = describe_channels(owner, [channel_type])
    write_channels(owner, channel_type, [changed], replace=False)
    _audit_and_index(owner, actor, channel_type, before)
    return changed


@transaction.atomic
def delete_channel(*, actor, channel: models.Model) -> None:
    owner = channel.owner
    access.require(actor, access.Action.EDIT, owner)
    channel_type = channel_type_of(channel)
    before = describe_channels(owner, [channel_type])
    channel.delete()
    write_channels(owner, channel_type, [], replace=False)
    _audit_and_index(owner, actor, channel_type, before)
