"""Declarative list pages: columns, sorting, filters, pagination, per-user columns, bulk actions.

An app describes a list once with ``ListDefinition``; its view scopes the queryset to the user and
calls ``render_list``. Everything the page does (filters, sorting, bulk actions) stays inside that
queryset, so a user can never see or act on a record the view did not give.

    DEALS = ListDefinition(
        key="sales.deals",
        columns=[Column("title", _("Title"), sort="title", link=True), ...],
        filterset=DealFilter,
        bulk_actions=[BulkAction("close", _("Close"), close_deals, confirm=_("Close them?"))],
        select_related=["responsible"],
    )

    def deal_list(request):
        deals = Deal.objects.visible_to(request.user, "view")
        return render_list(request, DEALS, deals, title=_("Deals"), create_url=...)

HTMX requests get only the results partial; a POST runs a bulk action and answers with the
results and a toast. ``{% icon %}`` names for ``empty_icon`` are in templatetags/icons.json.

Columns known only at run time (custom fields an administrator adds) come from ``extra_columns``,
called once per request; a column may sort by expressions as well as by field names. Saved filters
(``core.savedfilters``) show above the results of every list with filters.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .counting import CountingPaginator
from .display import display_value
from .htmx import add_toast, wants_partial
from .models import ListPreference
from .savedfilters import saved_filters_context

LIST_TEMPLATE = "core/components/list.html"
NOTHING_YET = gettext_lazy("Nothing here yet")


# A field name ("name", "responsible__last_name") or an expression (ordered with NULLs last).
SortTerm = str | BaseExpression


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    # What to order by when the header is clicked; None makes the column unsortable.
    sort: SortTerm | Sequence[SortTerm] | None = None
    # True links the cell to obj.get_absolute_url(); a callable gives the address itself.
    link: bool | Callable[[Any], str] = False
    # value(obj) -> anything display_value understands (or safe HTML); default: attribute `key`.
    value: Callable[[Any], Any] | None = None
    numeric: bool = False

    def cell(self, obj) -> dict:
        raw = self.value(obj) if self.value is not None else getattr(obj, self.key, None)
        url = ""
        if callable(self.link):
            url = self.link(obj)
        elif self.link:
            url = obj.get_absolute_url()
        return {"value": display_value(raw), "url": url, "column": self}

    @property
    def sort_fields(self) -> tuple[SortTerm, ...]:
        if self.sort is None:
            return ()
        if isinstance(self.sort, str | BaseExpression):
            return (self.sort,)
        return tuple(self.sort)


@dataclass(frozen=True)
class BulkAction:
    """An action on the selected rows. ``handler(request, queryset, **form.cleaned_data)``.

    The queryset holds only selected records of the list's scoped queryset. The handler returns
    the message to show, or (message, level) with level "success"/"warning"/"error", or None; a
    ValidationError or PermissionDenied it raises is shown as an error.
    """

    key: str
    label: str | Promise
    handler: Callable[..., str | None]
    confirm: str | Promise | None = None
    # Extra input the action needs (a team to assign...), shown beside its button.
    form: type[forms.Form] | None = None
    # form_kwargs(request) -> more arguments of the form, e.g. the users this user may choose.
    form_kwargs: Callable[[Any], dict] | None = None
    is_dangerous: bool = False
    # visible(user) -> bool: an action the user may not do is neither shown nor run.
    visible: Callable[[Any], bool] | None = None

    def is_visible_to(self, user) -> bool:
        return self.visible is None or self.visible(user)

    def bound_form(self, request, data=None) -> forms.Form | None:
        if self.form is None:
            return None
        extra = self.form_kwargs(request) if self.form_kwargs is not None else {}
        return self.form(data=data, prefix=f"bulk-{self.key}", **extra)


@dataclass(frozen=True)
class ListDefinition:
    key: str
    columns: Sequence[Column]
    default_columns: Sequence[str] | None = None
    filterset: type | None = None  # a django-filter FilterSet, shared with the API
    # Filters always in view; the others wait under "More filters" (all in view when empty).
    primary_filters: Sequence[str] = ()
    bulk_actions: Sequence[BulkAction] = ()
    search_fields: Sequence[str] = ()  # a quick text filter "q" over these fields
    page_sizes: Sequence[int] = (25, 50, 100)
    default_sort: str = ""  # a column key, "-key" for descending
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[Any] = ()
    empty_title: str | Promise = NOTHING_YET
    empty_text: str | Promise = ""
    empty_icon: str = "inbox"
    # extra_columns() -> columns known only at run time; optional, after the default ones.
    extra_columns: Callable[[], Sequence[Column]] | None = None

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        unknown = set(self.default_columns or ()) - set(keys)
        if len(set(keys)) != len(keys) or unknown:
            raise ValueError(f"List {self.key}: duplicate or unknown column keys {unknown}")
        _definitions[self.key] = self

    def available_columns(self) -> dict[str, Column]:
        """Every column the list can show, by key: the declared ones, then the extra ones."""
        extra = list(self.extra_columns()) if self.extra_columns is not None else []
        declared = {column.key: column for column in self.columns}
        return declared | {column.key: column for column in extra if column.key not in declared}

    def bulk_action(self, key: str) -> BulkAction | None:
        return next((action for action in self.bulk_actions if action.key == key), None)

    def clean_columns(self, keys: Sequence[str]) -> list[str]:
        """The chosen column keys in order; refuses unknown keys, duplicates or an empty choice."""
        known = self.available_columns()
        if any(key not in known for key in keys) or len(set(keys)) != len(keys):
            raise ValidationError(_("These columns are not part of the list."), code="unknown")
        if not keys:
            raise ValidationError(_("Choose at least one column."), code="empty")
        return list(keys)

    def visible_columns(
        self, preference: ListPreference | None, known: dict[str, Column] | None = None
    ) -> list[Column]:
        known = known if known is not None else self.available_columns()
        chosen = [key for key in (preference.columns if preference else []) if key in known]
        declared = [column.key for column in self.columns]
        keys = chosen or list(self.default_columns or declared)
        return [known[key] for key in keys]


_definitions: dict[str, ListDefinition] = {}


def get_definition(key: str) -> ListDefinition | None:
    return _definitions.get(key)


def save_preference(user, definition: ListDefinition, **values) -> ListPreference:
    """Remember a user's columns and/or page size for a list (a personal setting, not audited)."""
    preference, _created = ListPreference.objects.update_or_create(
        user=user, list_key=definition.key, defaults=values
    )
    return preference


def _preference(user, definition: ListDefinition) -> ListPreference | None:
    return ListPreference.objects.filter(user=user, list_key=definition.key).first()


def _page_size(request, definition: ListDefinition, preference) -> int:
    sizes = list(definition.page_sizes)
    asked = request.GET.get("page_size", "")
    if asked.isdigit() and int(asked) in sizes:
        size = int(asked)
        # The choice is a preference the user expects to keep on the next visit.
        if preference is None or preference.page_size != size:
            save_preference(request.user, definition, page_size=size)
        return size
    if preference is not None and preference.page_size in sizes:
        return preference.page_size
    return sizes[0]


def _order_term(term: SortTerm, descending: bool):
    if isinstance(term, str):
        return f"-{term}" if descending else term
    return term.desc(nulls_last=True) if descending else term.asc(nulls_last=True)


def _sort(request, definition: ListDefinition, known: dict[str, Column]) -> tuple[str, list]:
    """The active sort key ("-name") and the ORM ordering, always ending on the primary key."""
    for candidate in (request.GET.get("sort", ""), definition.default_sort):
        column = known.get(candidate.lstrip("-"))
        if column is not None and column.sort_fields:
            descending = candidate.startswith("-")
            terms = [_order_term(term, descending) for term in column.sort_fields]
            return candidate, [*terms, _order_term("pk", descending)]
    return "", ["pk"]


def _search(queryset: QuerySet, definition: ListDefinition, text: str) -> QuerySet:
    words = text.split()
    if not definition.search_fields or not words:
        return queryset
    for word in words:
        matches = [Q(**{f"{name}__icontains": word}) for name in definition.search_fields]
        queryset = queryset.filter(reduce(operator.or_, matches))
    return queryset


def _selected(queryset: QuerySet, raw_ids: list[str]) -> QuerySet:
    """The rows of ``queryset`` whose ids were posted; ids that are not valid keys are ignored."""
    pk_field = queryset.model._meta.pk
    ids = []
    for raw in raw_ids:
        try:
            ids.append(pk_field.to_python(raw))
        except ValidationError:
            continue
    return queryset.filter(pk__in=ids)


def _run_bulk_action(request, definition: ListDefinition, queryset: QuerySet):
    """Run the posted bulk action; returns (message, level)."""
    action = definition.bulk_action(request.POST.get("action", ""))
    if action is None:
        return _("Unknown action."), "error"
    if not action.is_visible_to(request.user):
        raise PermissionDenied(_("You do not have permission to do this."))
    selected = _selected(queryset, request.POST.getlist("selected"))
    if not selected.exists():
        return _("Select at least one row first."), "warning"
    form = action.bound_form(request, request.POST)
    if form is not None and not form.is_valid():
        problems = [str(message) for errors in form.errors.values() for message in errors]
        return " ".join(problems), "error"
    options = form.cleaned_data if form is not None else {}
    try:
        message = action.handler(request, selected, **options)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return text or _("You do not have permission to do this."), "error"
    if isinstance(message, tuple):
        return message
    return message or _("Done."), "success"


def _filters(request, definition: ListDefinition, queryset: QuerySet):
    filterset = None
    if definition.filterset is not None:
        filterset = definition.filterset(request.GET or None, queryset=queryset, request=request)
        queryset = filterset.qs
    search = request.GET.get("q", "").strip() if definition.search_fields else ""
    queryset = _search(queryset, definition, search)
    active = bool(search) or bool(
        filterset is not None
        and filterset.is_bound
        and any(value not in (None, "", [], ()) for value in filterset.form.cleaned_data.values())
    )
    return queryset, filterset, search, active


def _filter_fields(definition: ListDefinition, filterset) -> dict:
    """The filter bar's fields in view, those under "More filters", and how many of them are set."""
    if filterset is None:
        return {"filter_fields": [], "more_filters": [], "more_filters_active": 0}
    for field in filterset.form.fields.values():
        # A list of checkboxes in a drop-down reads better in a bar than a multiple <select>.
        widget = field.widget
        if isinstance(widget, forms.SelectMultiple):
            field.widget = forms.CheckboxSelectMultiple(choices=widget.choices)
    fields = list(filterset.form)
    if not definition.primary_filters:
        return {"filter_fields": fields, "more_filters": [], "more_filters_active": 0}
    primary = [field for field in fields if field.name in definition.primary_filters]
    more = [field for field in fields if field.name not in definition.primary_filters]
    active = sum(1 for field in more if _is_set(field.value()))
    return {"filter_fields": primary, "more_filters": more, "more_filters_active": active}


def _is_set(value) -> bool:
    if isinstance(value, list | tuple):
        return any(_is_set(item) for item in value)
    return value not in (None, "", "unknown")


def _headers(columns: list[Column], sort: str) -> list[dict]:
    """Each header with its aria-sort state and the sort its link asks for next."""
    headers = []
    for column in columns:
        direction, next_sort = "", column.key
        if column.sort_fields:
            direction = "none"
            if sort == column.key:
                direction, next_sort = "ascending", f"-{column.key}"
            elif sort == f"-{column.key}":
                direction = "descending"
        headers.append({"column": column, "direction": direction, "next_sort": next_sort})
    return headers


def _column_choices(known: dict[str, Column], visible: list[Column]) -> list[dict]:
    shown = [column.key for column in visible]
    hidden = [column for key, column in known.items() if key not in shown]
    return [{"column": column, "visible": True} for column in visible] + [
        {"column": column, "visible": False} for column in hidden
    ]


def render_list(
    request,
    definition: ListDefinition,
    queryset: QuerySet,
    *,
    title: str | Promise,
    create_url: str = "",
    create_label: str | Promise = "",
    template: str = LIST_TEMPLATE,
    extra_context: dict | None = None,
):
    """The list page (or, for HTMX, only its results) of ``queryset``, already scoped by the caller.

    A POST runs a bulk action on the selected rows and answers like a GET of the same address.
    """
    if request.method == "POST":
        if "action" not in request.POST:
            return HttpResponseBadRequest()
        message, level = _run_bulk_action(request, definition, queryset)
        if not wants_partial(request):
            messages.add_message(request, _LEVELS[level], message)
            return redirect(request.get_full_path())
    known = definition.available_columns()
    preference = _preference(request.user, definition)
    page_size = _page_size(request, definition, preference)
    sort, ordering = _sort(request, definition, known)
    rows, filterset, search, filtered = _filters(request, definition, queryset)
    rows = rows.order_by(*ordering)
    if definition.select_related:
        rows = rows.select_related(*definition.select_related)
    if definition.prefetch_related:
        rows = rows.prefetch_related(*definition.prefetch_related)
    page = CountingPaginator(rows, page_size).get_page(request.GET.get("page"))
    columns = definition.visible_columns(preference, known)
    context = {
        "list": definition,
        "title": title,
        "columns": columns,
        "headers": _headers(columns, sort),
        "dom_id": definition.key.replace(".", "-"),
        "column_choices": _column_choices(known, columns),
        "rows": [
            {"pk": obj.pk, "object": obj, "cells": [column.cell(obj) for column in columns]}
            for obj in page.object_list
        ],
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1)),
        "page_size": page_size,
        "sort": sort,
        "filter_form": filterset.form if filterset is not None else None,
        **_filter_fields(definition, filterset),
        "search": search,
        "is_filtered": filtered,
        "bulk_actions": [
            {"action": action, "form": action.bound_form(request)}
            for action in definition.bulk_actions
            if action.is_visible_to(request.user)
        ],
        "list_url": request.path,
        "create_url": create_url,
        "create_label": create_label or _("Create"),
        **(extra_context or {}),
    }
    if filterset is not None or definition.search_fields:
        context["saved"] = saved_filters_context(
            request.user, definition.key, request.GET.urlencode(), request.path
        )
    if wants_partial(request):
        response = render(request, f"{LIST_TEMPLATE}#results", context)
        if request.method == "POST":
            add_toast(response, message, level)
        return response
    return render(request, template, context)


_LEVELS = {
    "success": messages.SUCCESS,
    "warning": messages.WARNING,
    "error": messages.ERROR,
    "info": messages.INFO,
}
