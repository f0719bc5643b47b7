"""Record pages: a header with actions, fields in sections, and the record's audit history beside.

The view fetches the record through its scoped queryset (or its own permission check) and calls
``render_card``; the history's "show more" requests come back to the same view, so they are
checked exactly like the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import Promise

from .audit import history_for
from .display import display_value
from .htmx import wants_partial

CARD_TEMPLATE = "core/components/card.html"
HISTORY_PAGE_SIZE = 10


@dataclass(frozen=True)
class Field:
    label: str | Promise
    value: Any
    url: str = ""
    # Keep the row even when the value is empty (e.g. "Team: none" matters for access).
    always: bool = False

    @property
    def display(self) -> Any:
        return display_value(self.value)

    @property
    def is_visible(self) -> bool:
        return self.always or self.display != ""


@dataclass(frozen=True)
class Section:
    title: str | Promise
    fields: Sequence[Field]

    @property
    def visible_fields(self) -> list[Field]:
        return [item for item in self.fields if item.is_visible]


@dataclass(frozen=True)
class CardAction:
    """A header button: a link, or (with ``method="post"``) a small form posting to ``url``.

    With ``dialog`` (the id of a ``<dialog>`` on the page) the link opens that dialog instead;
    ``url`` stays the address of the same action as a page of its own.
    """

    label: str | Promise
    url: str
    icon: str = ""
    method: str = "get"
    confirm: str | Promise = ""
    is_primary: bool = False
    is_dangerous: bool = False
    dialog: str = ""


@dataclass(frozen=True)
class Card:
    title: str | Promise
    subtitle: str | Promise = ""
    actions: Sequence[CardAction] = ()
    sections: Sequence[Section] = ()
    back_url: str = ""
    back_label: str | Promise = ""
    badges: Sequence[Any] = field(default_factory=tuple)

    @property
    def visible_sections(self) -> list[dict]:
        shown = []
        for section in self.sections:
            fields = section.visible_fields
            if fields:
                shown.append({"title": section.title, "fields": fields})
        return shown


def history_page(request, obj, page_size: int = HISTORY_PAGE_SIZE):
    """One page of the record's history: ``?history_page=2`` asks for the next ones."""
    paginator = Paginator(history_for(obj), page_size)
    return paginator.get_page(request.GET.get("history_page"))


def render_card(
    request,
    card: Card,
    *,
    obj,
    show_history: bool = True,
    template: str = CARD_TEMPLATE,
    extra_context: dict | None = None,
):
    """The record page; an HTMX request for ``?history_page=N`` gets only those history entries."""
    history = history_page(request, obj) if show_history else None
    context = {
        "card": card,
        "object": obj,
        "history": history,
        "history_url": request.path,
        **(extra_context or {}),
    }
    if history is not None and wants_partial(request) and "history_page" in request.GET:
        return render(request, "core/components/history.html#entries", context)
    return render(request, template, context)
