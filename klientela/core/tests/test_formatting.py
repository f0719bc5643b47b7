"""Money, numbers, days and moments read the way each language writes them, in the user's zone."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from klientela.core.formatting import format_date, format_datetime, format_decimal, format_money

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
RUSSIAN_YEAR = "\u0433."  # Cyrillic "ge": escaped, as ruff takes it for a Latin "r"
AMOUNT = Decimal("1234.50")
DAY = datetime.date(2026, 3, 5)
MOMENT = datetime.datetime(2026, 3, 5, 14, 30, tzinfo=datetime.UTC)


def render(source: str, **context) -> str:
    return Template("{% load klientela_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.50"),
        ("ru", f"1{NBSP}234,50{NBSP}€"),
        ("pl", f"1{NBSP}234,50{NBSP}€"),
        ("sl", f"1.234,50{NBSP}€"),
    ],
)
def test_money_follows_the_active_language(language, expected):
    with translation.override(language):
        assert format_money(AMOUNT, "EUR") == expected
        assert render('{{ amount|money:"EUR" }}', amount=AMOUNT) == expected


def test_money_in_an_explicit_locale_ignores_the_active_language():
    with translation.override("en"):
        assert format_money(Decimal("-1234567.5"), "RUB", locale="ru") == (
            f"-1{NBSP}234{NBSP}567,50{NBSP}₽"
        )


def test_money_rounds_half_up_to_the_currency_digits():
    assert format_money(Decimal("0.125"), "EUR", locale="en") == "€0.13"
    assert format_money(Decimal("1234.5"), "JPY", locale="en") == "¥1,235"


def test_money_never_takes_a_float():
    with pytest.raises(TypeError):
        format_money(0.1 + 0.2, "EUR")


def test_money_filter_uses_the_default_currency_and_skips_empty_values(settings):
    settings.DEFAULT_CURRENCY = "PLN"

    with translation.override("pl"):
        assert render("{{ amount|money }}", amount=Decimal("12")) == f"12,00{NBSP}zł"
        assert render('{{ amount|money:"EUR" }}', amount=None) == ""
        assert render('{{ amount|money:"EUR" }}', amount="99.90") == f"99,90{NBSP}€"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1,234,567.125"),
        ("ru", f"1{NBSP}234{NBSP}567,125"),
        ("pl", f"1{NBSP}234{NBSP}567,125"),
        ("sl", "1.234.567,125"),
    ],
)
def test_numbers_follow_the_active_language(language, expected):
    value = Decimal("1234567.125")

    with translation.override(language):
        assert format_decimal(value) == expected
        assert render("{{ value|number }}", value=value) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Mar 5, 2026"),
        ("ru", f"5 мар. 2026{NARROW_NBSP}{RUSSIAN_YEAR}"),
        ("pl", "5 mar 2026"),
        ("sl", "5. mar. 2026"),
    ],
)
def test_days_follow_the_active_language(language, expected):
    with translation.override(language):
        assert format_date(DAY) == expected
        assert render("{{ day|date_local }}", day=DAY) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", f"Mar 5, 2026, 2:30:00{NARROW_NBSP}PM"),
        ("ru", f"5 мар. 2026{NARROW_NBSP}{RUSSIAN_YEAR}, 14:30:00"),
        ("pl", "5 mar 2026, 14:30:00"),
        ("sl", "5. mar. 2026, 14:30:00"),
    ],
)
def test_moments_follow_the_active_language(language, expected):
    with translation.override(language), timezone.override(datetime.UTC):
        assert format_datetime(MOMENT) == expected
        assert render("{{ when|datetime_local }}", when=MOMENT) == expected


def test_moments_are_shown_in_the_active_time_zone():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert format_datetime(MOMENT) == f"Mar 5, 2026, 11:30:00{NARROW_NBSP}PM"
        # Late evening in Tokyo is already the next day there.
        assert format_date(MOMENT) == "Mar 5, 2026"
        assert format_date(MOMENT + datetime.timedelta(hours=2)) == "Mar 6, 2026"


def test_an_unknown_locale_falls_back_to_the_active_language():
    with translation.override("sl"):
        assert format_money(AMOUNT, "EUR", locale="xx") == f"1.234,50{NBSP}€"
