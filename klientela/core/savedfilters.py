"""Saved filters of list pages: a user's own, and those shared with everyone.

A saved filter is the list's query string under a name. Applying one only fills the list's
filters: the rows still come from the queryset the list's view scoped to the user. Like the
chosen columns, it is a personal setting of a page, so its writes are not in the audit history.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import SavedFilter

MAX_QUERY_LENGTH = 2000
# Parts of a list's address that say where the reader is, not what is filtered.
NOT_FILTERS = {"page", "csrfmiddlewaretoken"}


def clean_query(query: str) -> str:
    """The query string without the page number and empty values, in a stable order."""
    pairs = [
        (name, value)
        for name, value in parse_qsl(query or "", keep_blank_values=True)
        if name not in NOT_FILTERS and value.strip()
    ]
    return urlencode(sorted(pairs))


def visible_filters(user):
    """The user's own filters and the ones others shared."""
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(Q(user=user) | Q(is_shared=True))


def filters_for(user, list_key: str) -> list[SavedFilter]:
    return list(visible_filters(user).filter(list_key=list_key).select_related("user"))


def can_delete_filter(user, saved_filter: SavedFilter) -> bool:
    return saved_filter.user_id == user.pk or getattr(user, "is_admin", False)


@transaction.atomic
def save_filter(*, actor, list_key: str, name: str, query: str, is_shared: bool) -> SavedFilter:
    """Keep the filters under ``name``; the actor's filter of the same name is replaced."""
    name = " ".join((name or "").split())
    query = clean_query(query)
    errors = {}
    if not name:
        errors["name"] = [_("Give the filter a name.")]
    elif len(name) > 100:
        errors["name"] = [_("Use at most 100 characters.")]
    if not query:
        errors["query"] = [_("Set some filters first.")]
    elif len(query) > MAX_QUERY_LENGTH:
        errors["query"] = [_("These filters are too long to save.")]
    if errors:
        raise ValidationError(errors)
    saved_filter, _created = SavedFilter.objects.update_or_create(
        user=actor, list_key=list_key, name=name, defaults={"query": query, "is_shared": is_shared}
    )
    return saved_filter


@transaction.atomic
def delete_filter(*, actor, saved_filter: SavedFilter) -> None:
    if not can_delete_filter(actor, saved_filter):
        raise PermissionDenied(_("Only its owner or an administrator can delete this filter."))
    saved_filter.delete()


def saved_filters_context(user, list_key: str, query: str, list_url: str) -> dict:
    """What the saved filters bar of a list shows for ``query`` (the list's current filters)."""
    current = clean_query(query)
    return {
        "list_key": list_key,
        "list_url": list_url,
        "dom_id": list_key.replace(".", "-"),
        "current_query": current,
        "saved_filters": [
            {
                "filter": saved_filter,
                "is_current": bool(current) and saved_filter.query == current,
                "is_mine": saved_filter.user_id == user.pk,
                "can_delete": can_delete_filter(user, saved_filter),
            }
            for saved_filter in filters_for(user, list_key)
        ],
    }
