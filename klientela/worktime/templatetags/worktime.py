"""``{% load worktime %}``: minutes shown as hours (``1:30``, or ``1 h 30 min`` spelled out)."""

from babel.dates import format_skeleton
from django import template
from django.utils.translation import gettext as _

from klientela.core.formatting import babel_locale
from klientela.worktime.forms import format_minutes

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """``90`` -> ``1 h 30 min``; ``0`` -> ``0 h``."""
    minutes = int(minutes or 0)
    whole, rest = divmod(minutes, 60)
    if rest and whole:
        return _("%(hours)d h %(minutes)d min") % {"hours": whole, "minutes": rest}
    if rest:
        return _("%(minutes)d min") % {"minutes": rest}
    return _("%(hours)d h") % {"hours": whole}


@register.filter
def clock(minutes) -> str:
    """``90`` -> ``1:30``; empty for 0 (a timesheet cell)."""
    return format_minutes(int(minutes or 0))


@register.filter
def at(values, index):
    return values[index]


@register.filter
def day_short(day) -> str:
    """A day without its year in the reader's language: ``Dec 7``, ``7 дек.``."""
    return format_skeleton("MMMd", day, locale=babel_locale())
