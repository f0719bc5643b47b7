"""Turning spreadsheet cells into the values the customers services take.

Phones go through ``core.phones`` with the default country of the import, e-mails and websites
through the customers channel rules, names are split and capitalized, dates and numbers read in
the file's conventions, list values matched by key or label in any language.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext as _

from klientela.core.models import ReferenceItem, ReferenceList
from klientela.core.phones import normalize_phone
from klientela.customers.services.channels import normalize_email, normalize_url

MAX_CELL = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class CellError(Exception):
    """A cell that cannot be taken; the message says why."""


def text(value: Any) -> str:
    """Any cell as one line of clean text (control characters removed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and not (value.hour or value.minute or value.second):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    result = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(value)))
    if len(result) > MAX_CELL:
        raise CellError(_("The value is too long."))
    return " ".join(result.split())


def capitalize(word: str) -> str:
    """``ИВАНОВ`` / ``иванов`` -> ``Иванов``; ``McDonald`` and ``van der Berg`` stay as typed."""
    if word.islower() or word.isupper():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def split_name(value: str) -> dict[str, str]:
    """A full name in one cell: Cyrillic names are written surname first (as in 1C), others
    given name first; three words have a middle name (patronymic) in the middle / at the end."""
    words = [capitalize(word) for word in value.split()]
    if not words:
        return {}
    if len(words) == 1:
        return {"last_name": words[0]}
    if _CYRILLIC.search(value):
        result = {"last_name": words[0], "first_name": words[1]}
        if len(words) > 2:
            result["middle_name"] = " ".join(words[2:])
        return result
    result = {"first_name": words[0], "last_name": words[-1]}
    if len(words) > 2:
        result["middle_name"] = " ".join(words[1:-1])
    return result


def phone(value: Any, region: str) -> dict | None:
    raw = text(value)
    if not raw:
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        raw = str(int(value))
    info = normalize_phone(raw, region)
    if not info.is_valid:
        raise CellError(_("%(value)s is not a valid phone number.") % {"value": raw[:50]})
    item = {"number": info.e164}
    if info.extension:
        item["extension"] = info.extension
    return item


def phones(value: Any, region: str) -> list[dict]:
    """One cell may hold several numbers separated by commas, semicolons or new lines."""
    raw = text(value) if not isinstance(value, int | float) else value
    if isinstance(raw, str) and re.search(r"[,;/]\s*\+?\d", raw) and len(raw) > 12:
        parts = re.split(r"\s*[,;/]\s*(?=\+?\d)", raw)
    else:
        parts = [raw]
    return [item for part in parts if (item := phone(part, region))]


def email(value: Any) -> list[dict]:
    found = []
    for part in re.split(r"[\s,;]+", text(value)):
        if not part:
            continue
        address = normalize_email(part)
        try:
            validate_email(address)
        except ValidationError:
            message = _("%(value)s is not a valid e-mail address.") % {"value": part[:80]}
            raise CellError(message) from None
        found.append({"address": address})
    return found


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)


def website(value: Any) -> list[dict]:
    raw = text(value)
    if not raw:
        return []
    url = normalize_url(raw)
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = ""
    if not _HOST.match(ascii_host):
        raise CellError(_("%(value)s is not a website address.") % {"value": raw[:80]})
    return [{"url": url}]


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d")
US_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y")


def date(value: Any, region: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if not raw:
        return None
    for pattern in US_DATE_FORMATS if region == "US" else DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(_("%(value)s is not a date.") % {"value": raw[:50]})


def number(value: Any) -> str:
    """``1 234,56`` / ``1,234.56`` / ``1.234,56`` -> ``"1234.56"``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raw = text(value).replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not raw:
        return ""
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    elif raw.count(",") > 1:
        raw = raw.replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", raw):
        raise CellError(_("%(value)s is not a number.") % {"value": raw[:50]})
    return raw


TRUE_WORDS = {"1", "yes", "y", "true", "x", "+", "да", "д", "tak", "t", "da", "ja"}
FALSE_WORDS = {"0", "no", "n", "false", "-", "нет", "н", "nie", "ne", "nein"}


def boolean(value: Any) -> bool | None:
    """Yes and no as people write them in the four languages; empty is "not said"."""
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if not raw:
        return None
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise CellError(_("%(value)s is neither yes nor no.") % {"value": raw[:50]})


def reference(list_key: str, value: Any, *, create_missing: bool, actor) -> str | None:
    """The key of the list item whose key or label (in any language) is the cell's text."""
    raw = text(value)
    if not raw:
        return None
    wanted = raw.casefold()
    items = ReferenceItem.objects.filter(reference_list__key=list_key, is_active=True)
    for item in items:
        names = [item.key, item.label, *(item.labels or {}).values()]
        if any(str(name).casefold() == wanted for name in names):
            return item.key
    if not create_missing:
        raise CellError(_("%(value)s is not one of the values of the list.") % {"value": raw[:80]})
    from klientela.core.customfields.services import add_reference_item

    reference_list = ReferenceList.objects.filter(key=list_key).first()
    if reference_list is None:
        raise CellError(_("%(value)s is not one of the values of the list.") % {"value": raw[:80]})
    key = (slugify(raw, allow_unicode=False).replace("-", "_") or "item")[:40]
    while reference_list.items.filter(key=key).exists():
        key = f"{key[:36]}_{reference_list.items.count()}"
    try:
        item = add_reference_item(
            actor=actor, reference_list=reference_list, key=key, label=raw[:200]
        )
    except Exception as error:
        raise CellError(
            _("%(value)s is not in the list, and you may not add it.") % {"value": raw[:80]}
        ) from error
    return item.key
