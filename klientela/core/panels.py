"""Panels an app adds to pages it does not own: record cards and the start page (Today).

An app registers a panel in its AppConfig.ready(): a template and a function that gives the
template its context, or None when the panel has nothing to show to this user. Card panels say
which models they apply to; the card's page renders them with ``{% card_panels object %}``, the
start page with ``{% home_panels %}``. Like timeline sources, the page has already checked that
the user may view the record; a panel narrows what it shows through the scoped querysets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # context(request) on the start page, context(request, record) on a card -> dict | None.
    context: Callable[..., dict | None]
    # The models a card panel applies to; empty means every model.
    models: tuple[type[models.Model], ...] = ()
    order: int = 100

    def applies_to(self, model: type[models.Model]) -> bool:
        return not self.models or issubclass(model, self.models)


@dataclass(frozen=True)
class ShownPanel:
    """A panel with the context it is rendered with."""

    key: str
    template: str
    context: dict = field(default_factory=dict)


_card_panels: dict[str, Panel] = {}
_home_panels: dict[str, Panel] = {}
# Panels of named places on shared pages: "topbar" (every signed-in page), "profile".
_page_panels: dict[str, dict[str, Panel]] = {}


def register_card_panel(panel: Panel) -> None:
    _card_panels[panel.key] = panel


def unregister_card_panel(key: str) -> None:
    _card_panels.pop(key, None)


def register_home_panel(panel: Panel) -> None:
    _home_panels[panel.key] = panel


def unregister_home_panel(key: str) -> None:
    _home_panels.pop(key, None)


def register_page_panel(place: str, panel: Panel) -> None:
    _page_panels.setdefault(place, {})[panel.key] = panel


def unregister_page_panel(place: str, key: str) -> None:
    _page_panels.get(place, {}).pop(key, None)


def _shown(panels, *args) -> list[ShownPanel]:
    shown = []
    for panel in sorted(panels, key=lambda item: item.order):
        context = panel.context(*args)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, context))
    return shown


def card_panels(request, record: models.Model) -> list[ShownPanel]:
    """The panels other apps show on ``record``'s card, in order."""
    panels = [panel for panel in _card_panels.values() if panel.applies_to(type(record))]
    return _shown(panels, request, record)


def home_panels(request) -> list[ShownPanel]:
    """The panels of the start page, in order."""
    return _shown(_home_panels.values(), request)


def page_panels(request, place: str) -> list[ShownPanel]:
    """The panels other apps add to a named place of a shared page, in order."""
    return _shown(_page_panels.get(place, {}).values(), request)
