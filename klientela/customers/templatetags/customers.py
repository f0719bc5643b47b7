"""Template filters of the customer pages: messenger links, website labels, country names."""

import re

from django import template
from django.utils.translation import get_language

from klientela.core.formatting import babel_locale

register = template.Library()

MESSENGER_URLS = {
    "telegram": "https://t.me/{}",
    "whatsapp": "https://wa.me/{}",
    "viber": "viber://chat?number=%2B{}",
    "signal": "https://signal.me/#p/+{}",
}


@register.filter
def messenger_url(messenger) -> str:
    """A link that opens the chat; phone-based messengers need the number's digits."""
    pattern = MESSENGER_URLS.get(messenger.kind)
    handle = messenger.handle.strip()
    if pattern is None or not handle:
        return ""
    if messenger.kind == "telegram":
        return pattern.format(handle.lstrip("@"))
    digits = re.sub(r"\D", "", handle)
    return pattern.format(digits) if len(digits) >= 7 else ""


@register.filter
def website_label(url: str) -> str:
    """``https://www.example.com/`` -> ``example.com``: what people recognise."""
    label = re.sub(r"^https?://", "", url or "").removeprefix("www.")
    return label.rstrip("/")


@register.filter
def country_name(code: str) -> str:
    return babel_locale().territories.get((code or "").upper(), code)


@register.filter
def initials(user) -> str:
    if user is None:
        return ""
    first = (user.first_name or user.username or "?")[:1]
    return f"{first}{(user.last_name or '')[:1]}".upper()


@register.filter
def in_language(item) -> str:
    """A reference item's label in the reader's language."""
    return item.label_in(get_language()) if item is not None else ""
