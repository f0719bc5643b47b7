"""Column -> field suggestions: remembered earlier mappings first, then header names in English,
Russian, Polish and Slovenian (and the field labels in the reader's language), exact or close."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..models import RememberedMapping
from .entities import ImportEntity

CLOSE_ENOUGH = 88


def normalize_header(header: str) -> str:
    return " ".join(re.sub(r"[^\w.@+\- ]+", " ", str(header).casefold()).replace("_", " ").split())


def suggest_mapping(entity: ImportEntity, headers: list[str]) -> dict[str, str]:
    """``{column index (as text): field key}`` for the columns a field was found for."""
    fields = entity.all_fields()
    remembered = {
        normalize_header(row.header): row.field
        for row in RememberedMapping.objects.filter(entity=entity.key)
    }
    known = {field.key for field in fields}
    names = {
        field.key: {
            normalize_header(name) for name in (*field.synonyms, str(field.label), field.key)
        }
        for field in fields
    }
    multiple = {field.key for field in fields if field.multiple}
    taken: set[str] = set()
    mapping: dict[str, str] = {}

    def take(index: int, key: str) -> None:
        if key in taken and key not in multiple:
            return
        taken.add(key)
        mapping[str(index)] = key

    pending = []
    for index, header in enumerate(headers):
        name = normalize_header(header)
        if remembered.get(name) in known:
            take(index, remembered[name])
        else:
            pending.append((index, name))
    for index, name in list(pending):
        for key, options in names.items():
            if name in options and (key not in taken or key in multiple):
                take(index, key)
                pending.remove((index, name))
                break
    for index, name in pending:
        # "Phone 2", "Телефон (моб.)": the name without digits and brackets, then a close match.
        stripped = normalize_header(re.sub(r"[\d()]+", " ", name))
        best, score = None, 0.0
        for key, options in names.items():
            if key in taken and key not in multiple:
                continue
            for option in options:
                value = 100.0 if stripped == option else fuzz.ratio(stripped, option)
                if len(option) >= 4:
                    # "Mobile phone", "Contact e-mail": a known name inside the header.
                    value = max(value, fuzz.token_set_ratio(stripped, option) - 5)
                if value > score:
                    best, score = key, value
        if best and score >= CLOSE_ENOUGH:
            take(index, best)
    return mapping


def remember_mapping(entity: ImportEntity, headers: list[str], mapping: dict[str, str]) -> None:
    for index, key in mapping.items():
        if not key or not index.isdigit() or int(index) >= len(headers):
            continue
        RememberedMapping.objects.update_or_create(
            entity=entity.key,
            header=normalize_header(headers[int(index)])[:255],
            defaults={"field": key},
        )
