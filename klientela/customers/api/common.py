"""Helpers the customer API routes share: scoped records, input ids, error names."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from klientela.core import access

from .. import services
from ..models import Membership, Organization, Person

# Service error keys that the API names differently (it takes ids).
ID_FIELDS = {
    "parent": "parent_id",
    "responsible": "responsible_id",
    "person": "person_id",
    "organization": "organization_id",
    "new_owner": "new_owner_id",
}


def visible(request, model: type[models.Model], action: str = access.Action.VIEW):
    return model.objects.visible_to(request.auth, action)


def referenced(queryset: models.QuerySet, pk: int | None, field: str):
    """A record an input id names, from a scoped queryset; else a 422 on that input field."""
    if pk is None:
        return None
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: [_("There is no such record, or you may not see it.")]})
    return record


def active_user(pk: int | None, field: str):
    if pk is None:
        return None
    return referenced(get_user_model().objects.filter(is_active=True), pk, field)


def _renamed(key: str) -> str:
    head, _dot, last = key.rpartition(".")
    name = ID_FIELDS.get(last, last)
    return f"{head}.{name}" if head else name


@contextmanager
def api_field_names() -> Iterator[None]:
    """Report a service's errors under the names of the API's input (``parent_id``...)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {_renamed(key): messages for key, messages in error.message_dict.items()}
        raise ValidationError(renamed) from error


def card_changes(payload) -> dict:
    """Service arguments from a card's input: only the keys given, ids turned into records."""
    data = payload.dict(exclude_unset=True)
    if "responsible_id" in data:
        data["responsible"] = active_user(data.pop("responsible_id"), "responsible_id")
    if "parent_id" in data:
        data["parent"] = data.pop("parent_id")
    if "memberships" in data:
        data["memberships"] = [_link(item) for item in data["memberships"]]
    return data


def _link(item: dict) -> dict:
    for name in ("person", "organization"):
        if f"{name}_id" in item:
            item[name] = item.pop(f"{name}_id")
    return item


def links_of(request, record) -> models.QuerySet:
    """The record's links to people or organizations the user may see."""
    if isinstance(record, Organization):
        return Membership.objects.filter(
            organization=record, person__in=visible(request, Person)
        ).select_related("person", "role")
    return Membership.objects.filter(
        person=record, organization__in=visible(request, Organization)
    ).select_related("organization", "role")


def visible_links_prefetch(request, model: type[models.Model]) -> models.Prefetch:
    """Each card's links to visible records, as ``visible_links``, in one query per page."""
    if model is Organization:
        links = Membership.objects.filter(person__in=visible(request, Person))
        links = links.select_related("person", "role")
    else:
        links = Membership.objects.filter(organization__in=visible(request, Organization))
        links = links.select_related("organization", "role")
    return models.Prefetch("memberships", queryset=links, to_attr="visible_links")


def require_view_or_create(request, model: type[models.Model]) -> None:
    """Looking for duplicates is part of viewing or of entering cards of this kind."""
    user = request.auth
    if not (
        access.can(user, access.Action.VIEW, model) or access.can(user, access.Action.CREATE, model)
    ):
        raise PermissionDenied(_("You do not have permission to do this."))


def hand_over_records(request, model: type[models.Model], payload) -> int:
    """Hand the visible cards ``payload.ids`` over; an id not visible is a 422 on ``ids``."""
    ids = set(payload.ids)
    records = list(visible(request, model).filter(pk__in=ids))
    missing = sorted(ids - {record.pk for record in records})
    if missing:
        message = _("There is no such record, or you may not see it: %(ids)s.") % {
            "ids": ", ".join(map(str, missing))
        }
        raise ValidationError({"ids": [message]})
    new_owner = active_user(payload.new_owner_id, "new_owner_id")
    with api_field_names():
        return services.hand_over(
            actor=request.auth,
            records=records,
            new_owner=new_owner,
            include_open_work=payload.include_open_work,
        )
