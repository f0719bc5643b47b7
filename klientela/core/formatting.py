"""Numbers, money, dates and times written the way the reader's language writes them (Babel).

Without an explicit ``locale`` the active Django language is used; times are shown in the active
time zone (the signed-in user's, activated by the accounts middleware).
"""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation


def babel_locale(locale: str | None = None) -> Locale:
    """The Babel locale for a Django language code ("pt-br") or a locale name ("pt_BR")."""
    for candidate in (locale, translation.get_language(), settings.LANGUAGE_CODE):
        if not candidate:
            continue
        try:
            return Locale.parse(translation.to_locale(candidate))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _exact(value: Decimal | int) -> Decimal:
    # A float has already lost cents (0.1 + 0.2); refuse it rather than print a wrong amount.
    if isinstance(value, float):
        raise TypeError("Money and numbers are formatted from Decimal or int, never float.")
    return value if isinstance(value, Decimal) else Decimal(value)


def format_money(amount: Decimal | int, currency: str, locale: str | None = None) -> str:
    """``€1,234.50`` in English, ``1 234,50 €`` in Russian; rounded half up to the currency."""
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return babel_numbers.format_currency(
            _exact(amount), currency.upper(), locale=babel_locale(locale)
        )


def format_decimal(value: Decimal | int, locale: str | None = None) -> str:
    """A number with the locale's grouping and decimal separator (up to three decimals)."""
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return babel_numbers.format_decimal(_exact(value), locale=babel_locale(locale))


def format_date(day: datetime.date, locale: str | None = None, format: str = "medium") -> str:
    """A calendar day in the locale's medium format: ``Mar 5, 2026`` / ``5 mar 2026``."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return babel_dates.format_date(day, format=format, locale=babel_locale(locale))


def format_datetime(
    when: datetime.datetime, locale: str | None = None, format: str = "medium"
) -> str:
    """A moment in the active time zone, in the locale's medium format."""
    zone = timezone.get_current_timezone()
    if timezone.is_naive(when):
        when = timezone.make_aware(when, zone)
    return babel_dates.format_datetime(
        when, format=format, tzinfo=zone, locale=babel_locale(locale)
    )
