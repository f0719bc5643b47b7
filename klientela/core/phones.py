"""Phone numbers: normalize whatever people type, format for display, and find stored numbers.

Storage: a phone row keeps what was typed (``raw``), the international form (``e164``, empty when
the number is not valid), the national significant digits (``digits``; all digits of the input
when it is not a valid number) and those digits reversed (``digits_reversed``). Invalid numbers are
kept as typed, never dropped.

"Ends with these digits" (someone types ``123-45-67``) becomes "the reversed digits start with
``7654321``", and a prefix of a digit-only string is a range: ``"7654321" <= key < "7654322"``. A
plain B-tree index (``db_index=True``, inherited from the mixin) answers that range on both
databases; digit-only strings sort the same in every collation, so the range is exact. Measured
with EXPLAIN on 200,000 phones:

- SQLite 3.40: ``SEARCH ... USING INDEX ..._digits_reversed (digits_reversed>? AND
  digits_reversed<?)`` combined with the ``e164`` index as a MULTI-INDEX OR, about 0.5 ms.
  A ``startswith`` lookup instead is a full ``SCAN`` (about 20 ms): SQLite's LIKE is case
  insensitive, so it cannot use an ordinary index.
- PostgreSQL 15: ``BitmapOr`` of two Bitmap Index Scans (the range on ``digits_reversed``, the
  equality on ``e164``), about 0.7 ms. There ``startswith`` would also be indexed, through the
  ``varchar_pattern_ops`` ("_like") index Django adds for an indexed CharField.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberFormat

# A partial number shorter than this matches too many stored numbers to be useful.
TAIL_DIGITS = 7

_EXTENSION = re.compile(
    r"(?:^|(?<=[\s\d.,;()\-]))"
    r"(?:ext|extn|extension|x|доб|добавочный|вн|внутр|wew|wewn|int|#)\.?\s*[:.]?\s*"
    r"(\d{1,10})\)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PhoneNumberInfo:
    raw: str
    e164: str | None
    is_valid: bool
    national_digits: str
    extension: str
    region: str | None

    @property
    def digits_reversed(self) -> str:
        return self.national_digits[::-1]


@dataclass(frozen=True)
class PhoneQuery:
    """The ways a search-box input can match stored numbers."""

    e164: str | None
    national_digits: str
    tail: str | None

    @property
    def is_empty(self) -> bool:
        return not self.national_digits

    def q(self, prefix: str = "") -> models.Q:
        """A filter for a model using ``PhoneFieldsMixin``; ``prefix`` reaches it across joins."""
        if self.is_empty:
            return models.Q(**{f"{prefix}pk__in": []})
        # Every branch is answered by an index, so the OR stays an index lookup on both databases.
        reversed_field = f"{prefix}digits_reversed"
        if self.tail:
            condition = _starts_with_range(reversed_field, self.tail[::-1])
        else:
            condition = models.Q(**{reversed_field: self.national_digits[::-1]})
        if self.e164:
            condition |= models.Q(**{f"{prefix}e164": self.e164})
        return condition


def _starts_with_range(field: str, digits: str) -> models.Q:
    condition = models.Q(**{f"{field}__gte": digits})
    upper = digits.rstrip("9")
    if upper:
        upper = upper[:-1] + str(int(upper[-1]) + 1)
        condition &= models.Q(**{f"{field}__lt": upper})
    return condition


def default_region() -> str:
    return getattr(settings, "PHONE_REGION", "RU").upper()


def split_extension(raw: str) -> tuple[str, str]:
    """``("+7 495 123-45-67", "12")`` from ``"+7 495 123-45-67 доб. 12"``."""
    match = _EXTENSION.search(raw)
    if match is None:
        return raw, ""
    return raw[: match.start()].rstrip(" ,;("), match.group(1)


def _parse_international(text: str) -> phonenumbers.PhoneNumber | None:
    """A number written with "+": the same text parses the same way whatever the region (its
    callers keep the results: ``_understood`` and ``_formatted``)."""
    try:
        return phonenumbers.parse(text, None)
    except NumberParseException:
        return None


def _parse(body: str, region: str) -> phonenumbers.PhoneNumber | None:
    if body.startswith("+"):
        number = _parse_international(body)
        return number if number is not None and phonenumbers.is_valid_number(number) else None
    candidates = [body]
    digits = phonenumbers.normalize_digits_only(body)
    if digits.startswith("00") and not body.lstrip().startswith("+"):
        # "00" dials abroad from most of the world, though not from every default region.
        candidates.append("+" + digits[2:])
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


class _Understood(NamedTuple):
    e164: str
    national_digits: str
    extension: str
    region: str | None
    number: phonenumbers.PhoneNumber


# Numbers already understood, by (body, region); None for a number that is not valid. An import
# checks each number twice (cleaning the cell, then the service's own rule, which sees the
# international form) and shows it once (the history), and parsing is most of a row's cost: a
# valid number is also kept under its international form, so the later checks are lookups.
_UNDERSTOOD: dict[tuple[str, str], _Understood | None] = {}
_UNDERSTOOD_LIMIT = 50_000
_UNKNOWN = object()


def _understood(body: str, region: str) -> _Understood | None:
    key = (body, "" if body.startswith("+") else region)
    known = _UNDERSTOOD.get(key, _UNKNOWN)  # one lookup: another thread may clear it
    if known is not _UNKNOWN:
        return known
    number = _parse(body, region)
    result = None
    if number is not None:
        result = _Understood(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            national_digits=phonenumbers.national_significant_number(number),
            extension=number.extension or "",
            region=phonenumbers.region_code_for_number(number),
            number=number,
        )
    if len(_UNDERSTOOD) >= _UNDERSTOOD_LIMIT:
        _UNDERSTOOD.clear()
    _UNDERSTOOD[key] = result
    if result is not None and not result.extension:
        _UNDERSTOOD[(result.e164, "")] = result
    return result


def normalize_phone(raw: str, region: str | None = None) -> PhoneNumberInfo:
    """Understand a number typed in any common way; never raises, never loses the input."""
    raw = (raw or "").strip()
    region = (region or default_region()).upper()
    body, extension = split_extension(raw)
    understood = _understood(body, region)
    if understood is None:
        return PhoneNumberInfo(
            raw=raw,
            e164=None,
            is_valid=False,
            national_digits=phonenumbers.normalize_digits_only(body),
            extension=extension,
            region=None,
        )
    return PhoneNumberInfo(
        raw=raw,
        e164=understood.e164,
        is_valid=True,
        national_digits=understood.national_digits,
        extension=extension or understood.extension,
        region=understood.region,
    )


def format_phone(
    e164: str | None, style: str = "international", region: str | None = None, extension: str = ""
) -> str:
    """Show a stored number; ``national`` style only for numbers of ``region`` (default: ours)."""
    if not e164:
        return ""
    national_region = (region or default_region()).upper() if style == "national" else ""
    text = _formatted(e164, national_region)
    if extension:
        text = gettext("%(number)s ext. %(extension)s") % {"number": text, "extension": extension}
    return text


@lru_cache(maxsize=50_000)
def _formatted(e164: str, national_region: str) -> str:
    if not e164.startswith("+"):
        return e164
    understood = _understood(e164, "")
    number = understood.number if understood is not None else _parse_international(e164)
    if number is None:
        return e164
    national = national_region and phonenumbers.region_code_for_number(number) == national_region
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    )


def phone_search_keys(query: str, region: str | None = None) -> PhoneQuery:
    """Turn search-box input into keys: full number, national digits and an ending to match."""
    info = normalize_phone(query, region)
    digits = info.national_digits
    return PhoneQuery(
        e164=info.e164,
        national_digits=digits,
        tail=digits if len(digits) >= TAIL_DIGITS else None,
    )


class PhoneFieldsMixin(models.Model):
    """One stored phone number; subclass it for an entity's phone table."""

    raw = models.CharField(_("phone"), max_length=100)
    e164 = models.CharField(_("international format"), max_length=20, blank=True, db_index=True)
    digits = models.CharField(max_length=100, blank=True, editable=False)
    digits_reversed = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    is_valid = models.BooleanField(_("valid number"), default=False)
    extension = models.CharField(_("extension"), max_length=20, blank=True)

    class Meta:
        abstract = True

    def set_phone(self, raw: str, region: str | None = None) -> PhoneNumberInfo:
        info = normalize_phone(raw, region)
        self.raw = info.raw[:100]
        self.e164 = info.e164 or ""
        self.digits = info.national_digits[:100]
        self.digits_reversed = self.digits[::-1]
        self.is_valid = info.is_valid
        self.extension = info.extension[:20]
        return info

    @property
    def display(self) -> str:
        if not self.e164:
            return self.raw
        return format_phone(self.e164, extension=self.extension)

    @classmethod
    def matching_phone(cls, query: str, region: str | None = None, prefix: str = "") -> models.Q:
        """``Phone.objects.filter(Phone.matching_phone("123-45-67"))``; with ``prefix="phones__"``
        the same filter works from the owning model."""
        return phone_search_keys(query, region).q(prefix)
