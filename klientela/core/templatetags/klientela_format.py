"""Template filters that write money, numbers, days and moments in the reader's language.

``{% load klientela_format %}`` then ``{{ amount|money:"EUR" }}``, ``{{ value|number }}``,
``{{ when|datetime_local }}``, ``{{ day|date_local }}``. An empty value renders as nothing.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings

from klientela.core import formatting

register = template.Library()


def _is_empty(value) -> bool:
    return value is None or value == ""


def _decimal(value):
    # Strings come from forms and JSON custom fields; floats are refused by formatting itself.
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return value


@register.filter
def money(amount, currency: str = "") -> str:
    if _is_empty(amount) or (amount := _decimal(amount)) is None:
        return ""
    return formatting.format_money(amount, currency or settings.DEFAULT_CURRENCY)


@register.filter
def number(value) -> str:
    if _is_empty(value) or (value := _decimal(value)) is None:
        return ""
    return formatting.format_decimal(value)


@register.filter
def datetime_local(when) -> str:
    return "" if _is_empty(when) else formatting.format_datetime(when)


@register.filter
def date_local(day) -> str:
    return "" if _is_empty(day) else formatting.format_date(day)
