"""How a plain value looks in a list cell or on a card: dates in the reader's zone, yes/no."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from babel import dates as babel_dates
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import formatting


def short_datetime(when: datetime.datetime) -> str:
    """Day and minute in the active time zone, ``Mar 5, 2026, 14:05`` (seconds are noise here)."""
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    locale = formatting.babel_locale()
    day = babel_dates.format_date(when.date(), format="medium", locale=locale)
    time = babel_dates.format_time(when.time(), format="short", locale=locale)
    return f"{day}, {time}"


def badge(text: Any, tone: str = "neutral") -> SafeString:
    return format_html('<span class="badge badge-{}">{}</span>', tone, text)


def display_value(value: Any) -> Any:
    """Text (or safe HTML) for ``value``; empty values become ``""`` so templates can hide them."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, SafeString):
        return value
    if isinstance(value, bool):
        return badge(_("Yes"), "success") if value else badge(_("No"), "muted")
    if isinstance(value, datetime.datetime):
        return short_datetime(value)
    if isinstance(value, datetime.date):
        return formatting.format_date(value)
    if isinstance(value, Decimal | int):
        return formatting.format_decimal(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Promise | models.Model):
        return str(value)
    return value
