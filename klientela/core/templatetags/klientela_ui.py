"""Template tags of the UI kit: ``{% icon "users" %}``, ``{% form_fields form %}``, ``{% field %}``.

``{% load klientela_ui %}`` first. Icons are Lucide's (icons.json, ISC licence), drawn inline so
the page needs nothing from outside.
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from klientela.core import formatting, panels
from klientela.core.display import display_value, short_datetime

register = template.Library()
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@cache
def _icons() -> dict[str, str]:
    return json.loads((Path(__file__).with_name("icons.json")).read_text())


@register.simple_tag
def icon(name: str, size: int = 18, css_class: str = ""):
    """An inline SVG icon, hidden from screen readers: the text beside it says what it means."""
    body = _icons().get(name) or _icons()["circle-x"]
    return format_html(
        '<svg class="icon {}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">{}</svg>',
        css_class,
        size,
        size,
        mark_safe(body),  # our own static icon set, not user input
    )


def _kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.inclusion_tag("core/components/field.html")
def field(bound_field, wide: bool = False):
    """One field: label with the required mark, the input, help text and its errors right there."""
    return {"field": bound_field, "kind": _kind(bound_field), "wide": wide}


@register.inclusion_tag("core/components/form_fields.html")
def form_fields(form, columns: int = 2):
    """Every field of ``form`` in a grid (one column on a phone); form-wide errors on top."""
    return {"form": form, "columns": columns}


@register.filter
def moment(when):
    """A date and time in the reader's zone and language, to the minute."""
    return short_datetime(when) if when else ""


@register.filter
def show(value):
    """Any value as a list cell or card shows it (yes/no badges, dates, numbers)."""
    return display_value(value)


@register.filter
def long_date(day):
    """A day written in full in the reader's language: ``Sunday, November 22, 2026``."""
    return formatting.format_date(day, format="full") if day else ""


@register.filter
def change_value(value):
    """A value from the audit history; moments were stored as ISO text, shown as moments."""
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            return short_datetime(datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
    return display_value(value)


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """One panel of another app (core.panels), rendered with the page's context and its own."""
    template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return template.render(context)


@register.simple_tag(takes_context=True)
def card_panels(context, record):
    """``{% card_panels object as panels %}``: the panels other apps add to this card."""
    return panels.card_panels(context["request"], record)


@register.simple_tag(takes_context=True)
def page_panels(context, place):
    """``{% page_panels "topbar" as panels %}``: the panels other apps add to a shared page."""
    return panels.page_panels(context["request"], place)


@register.simple_tag(takes_context=True)
def home_panels(context):
    """``{% home_panels as panels %}``: the panels of the start page."""
    return panels.home_panels(context["request"])
