"""What one row of an import says: its cells cleaned into the arguments of the customers
services, the keys that make two rows the same client, and how a row adds to an existing card."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from klientela.customers.services.common import normalize_tax_number
from klientela.customers.services.duplicates import core_name, find_duplicates

from ..models import Import
from . import cleaning
from .entities import ImportEntity

CHANNEL_MAIN = {"phones": "number", "emails": "address", "websites": "url"}


@dataclass
class CleanRow:
    number: int
    cells: list
    data: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    organization: str = ""


def fields_of(spec: ImportEntity) -> dict:
    return {item.key: item for item in spec.all_fields()}


def clean_row(
    batch: Import,
    spec: ImportEntity,
    number: int,
    cells: list,
    *,
    actor,
    fields: dict | None = None,
    memo: dict | None = None,
) -> CleanRow:
    """``fields`` (from ``fields_of``) and ``memo`` (list values already matched) are kept by
    a caller that cleans many rows."""
    fields = fields if fields is not None else fields_of(spec)
    memo = memo if memo is not None else {}
    row = CleanRow(number=number, cells=cells)
    data = row.data
    for index, key in batch.mapping.items():
        item = fields.get(key)
        position = int(index)
        if item is None or position >= len(cells):
            continue
        value = cells[position]
        column = batch.headers[position]
        try:
            _clean_cell(batch, item, value, data, row, actor=actor, memo=memo)
        except cleaning.CellError as error:
            row.errors.append((column, str(error)))
    return row


def _clean_cell(batch, item, value, data: dict, row: CleanRow, *, actor, memo: dict) -> None:
    kind = item.kind
    if kind == "phone":
        data.setdefault("phones", []).extend(cleaning.phones(value, batch.region))
    elif kind == "email":
        data.setdefault("emails", []).extend(cleaning.email(value))
    elif kind == "website":
        data.setdefault("websites", []).extend(cleaning.website(value))
    elif kind == "name":
        for part, text in cleaning.split_name(cleaning.text(value)).items():
            data.setdefault(part, text)
    elif kind == "number":
        amount = cleaning.number(value)
        if amount != "":
            data[item.key] = Decimal(amount)
    elif kind == "boolean":
        flag = cleaning.boolean(value)
        if flag is not None:
            data[item.key] = flag
    elif kind == "date":
        day = cleaning.date(value, batch.region)
        if day is not None:
            data[item.key] = day
    elif kind == "reference":
        wanted = (item.list_key, cleaning.text(value).casefold())
        if wanted not in memo:
            memo[wanted] = cleaning.reference(
                item.list_key, value, create_missing=batch.create_missing, actor=actor
            )
        key = memo[wanted]
        if key is not None:
            data[item.key] = key
    elif kind == "address":
        part = cleaning.text(value)
        if part:
            data.setdefault("addresses", [{}])[0][item.list_key] = part
    elif kind == "organization":
        row.organization = cleaning.text(value)
    elif kind == "custom":
        if isinstance(value, int | float) and not isinstance(value, bool):
            cleaned = value
        else:
            cleaned = cleaning.text(value)
        if cleaned != "":
            data.setdefault("custom", {})[item.key.split(".", 1)[1]] = cleaned
    else:
        text = cleaning.text(value)
        if item.key in ("first_name", "middle_name", "last_name"):
            text = " ".join(cleaning.capitalize(word) for word in text.split())
        if text:
            data[item.key] = f"{data[item.key]} {text}" if data.get(item.key) else text


# ---------------------------------------------------------------- duplicates


def file_keys(spec: ImportEntity, data: dict) -> set[str]:
    """What makes two rows of one file the same client."""
    keys = {f"phone:{item['number']}" for item in data.get("phones", [])}
    keys |= {f"email:{item['address']}" for item in data.get("emails", [])}
    if data.get("tax_number"):
        keys.add(f"tax:{normalize_tax_number(data['tax_number'])}")
    if spec.natural_key and data.get(spec.natural_key):
        keys.add(f"key:{str(data[spec.natural_key]).strip().casefold()}")
    if spec.key == "organization" and data.get("legal_name"):
        keys.add(f"name:{core_name(data['legal_name'])}")
    elif data.get("last_name") or data.get("first_name"):
        name = core_name(" ".join(data.get(part, "") for part in ("first_name", "last_name")))
        if not keys and name:
            keys.add(f"name:{name}")
    return {key for key in keys if not key.endswith(":")}


def addition(spec: ImportEntity, record, data: dict) -> dict:
    """What a row adds to ``record`` (loaded with its lists): the fields it gives replace the
    card's, its channels and links that the card lacks are new, custom values are merged, an
    address is taken only by a card without one."""
    changes = {
        key: value
        for key, value in data.items()
        if key not in CHANNEL_MAIN and key not in ("addresses", "memberships", "custom")
    }
    natural = spec.natural_key
    if (
        natural
        and str(changes.get(natural, "")).casefold() == str(getattr(record, natural)).casefold()
    ):
        del changes[natural]  # the record keeps its own spelling of the key it was found by
    for channel, main in CHANNEL_MAIN.items():
        if not data.get(channel):
            continue
        values = {_channel_value(channel, item) for item in getattr(record, channel).all()}
        new = []
        for item in data[channel]:
            if item[main] not in values:
                values.add(item[main])
                new.append(item)
        if new:
            changes[channel] = new
    if data.get("addresses") and not record.addresses.all():
        changes["addresses"] = data["addresses"]
    if "custom" in data:
        changes["custom"] = {**(record.custom or {}), **data["custom"]}
    if "memberships" in data:
        pairs = {
            (link.organization_id, link.role.key if link.role_id else None)
            for link in record.memberships.all()
        }
        new_links = []
        for item in data["memberships"]:
            organization = getattr(item["organization"], "pk", item["organization"])
            if organization is None or (organization, item.get("role")) not in pairs:
                new_links.append(item)
        if new_links:
            changes["memberships"] = new_links
    return changes


def merged_update(spec: ImportEntity, record, data: dict) -> dict:
    """``addition`` as the arguments of an update, where lists replace the card's: the card's
    own channels and links are listed before the new ones."""
    changes = addition(spec, record, data)
    for channel in CHANNEL_MAIN:
        if channel in changes:
            own = [{"id": item.pk} for item in getattr(record, channel).all()]
            changes[channel] = [*own, *changes[channel]]
    if "memberships" in changes:
        current = [
            {
                "organization": link.organization_id,
                "role": link.role.key if link.role_id else None,
                "position": link.position,
                "is_primary": link.is_primary,
            }
            for link in record.memberships.all()
        ]
        changes["memberships"] = [*current, *changes["memberships"]]
    return changes


def adds_nothing(record, changes: dict) -> bool:
    """Whether ``addition``'s changes would leave ``record`` as it is (the row repeats what the
    card holds): then nothing needs writing. Anything unsure counts as a change."""
    for key, value in changes.items():
        if key in CHANNEL_MAIN or key in ("memberships", "addresses"):
            return False
        if key == "custom":
            if value != (record.custom or {}):
                return False
        elif isinstance(value, models.Model):
            if getattr(record, f"{key}_id", None) != value.pk:
                return False
        else:
            current = getattr(record, key, None)
            if isinstance(current, models.Model):
                current = getattr(current, "key", current.pk)
            if current != value:
                return False
    return True


def _channel_value(channel: str, item) -> str:
    if channel == "phones":
        return item.e164 or item.raw
    return item.address if channel == "emails" else item.url


def base_duplicates(spec: ImportEntity, data: dict, actor) -> list:
    probe = {key: value for key, value in data.items() if key != "custom"}
    candidates = find_duplicates(entity=spec.key, data=probe, user=actor)
    return [candidate for candidate in candidates if candidate.is_visible]
