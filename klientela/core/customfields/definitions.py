"""Loading field definitions and reference lists, with their items, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from klientela.core.models import FieldDefinition, ReferenceItem, ReferenceList

ERROR_PREFIX = "custom."


def error_key(key: str) -> str:
    """Errors about one custom value are keyed ``custom.<key>``, in forms and in the API."""
    return f"{ERROR_PREFIX}{key}"


_remembered: ContextVar[dict | None] = ContextVar("remembered_definitions", default=None)


@contextmanager
def definitions_remembered() -> Iterator[None]:
    """Within the block, ``load_definitions`` reads each entity's fields once: for work that
    checks thousands of records in one go (imports), where definitions do not change."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def load_definitions(entity: str, *, include_inactive: bool = False) -> list[FieldDefinition]:
    """The entity's fields in display order, each with its reference list items prefetched."""
    memo = _remembered.get()
    if memo is None:
        return _read_definitions(entity, include_inactive)
    key = (entity, include_inactive)
    if key not in memo:
        memo[key] = _read_definitions(entity, include_inactive)
    return memo[key]


def _read_definitions(entity: str, include_inactive: bool) -> list[FieldDefinition]:
    definitions = FieldDefinition.objects.filter(entity=entity)
    if not include_inactive:
        definitions = definitions.filter(is_active=True)
    return list(
        definitions.select_related("reference_list")
        .prefetch_related("reference_list__items")
        .order_by("order", "id")
    )


def active_items(list_key: str, language: str | None = None) -> list[tuple[str, str]]:
    """``[(item key, label in language)]`` of a reference list, in its order, for a dropdown."""
    items = ReferenceItem.objects.filter(reference_list__key=list_key, is_active=True)
    return [(item.key, item.label_in(language)) for item in items.order_by("order", "id")]


def labels_for(list_key: str, language: str | None = None) -> dict[str, str]:
    """Every item's label, retired ones included, to show values records still hold."""
    items = ReferenceItem.objects.filter(reference_list__key=list_key)
    return {item.key: item.label_in(language) for item in items}


def label_for(list_key: str, item_key: str, language: str | None = None) -> str:
    """The label of one item; an unknown key is shown as it is rather than hidden."""
    item = ReferenceItem.objects.filter(reference_list__key=list_key, key=item_key).first()
    return item.label_in(language) if item else item_key


def get_reference_list(list_key: str) -> ReferenceList:
    return ReferenceList.objects.get(key=list_key)
