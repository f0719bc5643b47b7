"""The left menu. Apps add their sections with ``add_menu_item`` in their AppConfig.ready().

``icon`` names an icon of klientela/core/templatetags/icons.json. An item is highlighted while the
address starts with its URL, or with its ``section_path`` when it opens one page of a wider section
(Settings opens Users and stays highlighted on Teams and Roles).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    order: int = 100
    visible: Callable | None = None  # visible(user) -> bool
    section_path: str = ""  # highlight the item on every address under this path


_items: dict[str, MenuItem] = {}


def add_menu_item(item: MenuItem) -> None:
    _items[item.key] = item


def menu_for(request) -> list[dict]:
    path = request.path
    entries = []
    for item in sorted(_items.values(), key=lambda entry: entry.order):
        if item.visible is not None and not item.visible(request.user):
            continue
        url = reverse(item.url_name)
        prefix = item.section_path or url
        active = path == url if prefix == "/" else path.startswith(prefix)
        entries.append(
            {"key": item.key, "label": item.label, "url": url, "icon": item.icon, "active": active}
        )
    return entries


add_menu_item(MenuItem(key="today", label=_("Today"), url_name="core:home", icon="house", order=0))
