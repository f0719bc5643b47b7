"""Helpers of the page tests: card form posts with their channel rows, and reading list pages."""

from __future__ import annotations

import re
from html import unescape

CHANNEL_TYPES = ("phones", "emails", "messengers", "websites", "addresses")
MAIN_KEY = {
    "phones": "number",
    "emails": "address",
    "messengers": "handle",
    "websites": "url",
    "addresses": "street",
}
KINDS = {
    "phones": "work",
    "emails": "work",
    "messengers": "telegram",
    "websites": "main",
    "addresses": "office",
}
HTMX = {"HX-Request": "true"}


def card_post(fields: dict | None = None, **channels) -> dict:
    """A card form's POST data: ``card_post({"legal_name": "X"}, phones=["8 495 ..."])``.

    A channel row is a string (its main value) or a dict of the row's fields; rows with an
    ``id`` are the form's initial rows and must come first, as the edit form renders them.
    """
    data = dict(fields or {})
    for channel_type in CHANNEL_TYPES:
        rows = [
            {MAIN_KEY[channel_type]: row} if isinstance(row, str) else dict(row)
            for row in channels.get(channel_type, [])
        ]
        data[f"{channel_type}-TOTAL_FORMS"] = str(len(rows))
        data[f"{channel_type}-INITIAL_FORMS"] = str(sum(1 for row in rows if row.get("id")))
        for index, row in enumerate(rows):
            row.setdefault("kind", KINDS[channel_type])
            for key, value in row.items():
                data[f"{channel_type}-{index}-{key}"] = value
    return data


def rows_of(record, channel_type: str) -> list[dict]:
    """The edit form's rows for the card's stored channels, unchanged."""
    rows = []
    for channel in getattr(record, channel_type).all():
        row = {
            "id": channel.pk,
            "kind": channel.kind,
            "is_primary": "on" if channel.is_primary else "",
        }
        if channel_type == "phones":
            row["number"] = channel.display if channel.is_valid else channel.raw
        elif channel_type == "addresses":
            row.update(street=channel.street or channel.line, city=channel.city)
        else:
            row[MAIN_KEY[channel_type]] = getattr(channel, MAIN_KEY[channel_type])
        rows.append(row)
    return rows


def cell_texts(response, label: str) -> list[str]:
    """The text of each row's cell in the column labelled ``label``, tags stripped."""
    cells = re.findall(rf'<td data-label="{re.escape(label)}"[^>]*>(.*?)</td>', response.text, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]


def names(response) -> list[str]:
    return cell_texts(response, "Name")


def field_errors(response) -> str:
    """Every inline error message of a form page, as one text."""
    found = re.findall(r'class="field-errors"[^>]*>(.*?)</ul>', response.text, re.S)
    found += re.findall(r'class="form-errors"[^>]*>(.*?)</div>', response.text, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)) for text in found)
