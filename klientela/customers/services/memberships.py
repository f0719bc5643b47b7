"""Links between people and organizations: who works where, in which role."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import record_update

from ..models import CONTACT_ROLES, Membership, Organization, Person
from .common import Errors, resolve_reference, visible_record

MEMBERSHIP_KEYS = {"person", "organization", "role", "position", "is_primary"}


def describe_memberships(record: Organization | Person) -> list[str]:
    rows = getattr(record, "written_memberships", None)  # set by a bulk write
    if rows is None:
        rows = record.memberships.select_related("person", "organization", "role").order_by("id")
    return [describe_membership(row) for row in rows]


def describe_membership(membership: Membership) -> str:
    text = f"{membership.person} — {membership.organization}"
    role = membership.role.label if membership.role_id else membership.position
    return f"{text} ({role})" if role else text


def memberships_change(before: list[str], after: list[str]) -> dict:
    if before == after:
        return {}
    label = str(Membership._meta.verbose_name_plural)
    return {"memberships": {"label": label, "old": before, "new": after}}


def build_memberships(
    record: Organization | Person, items: list | None, *, actor, errors: Errors
) -> list[Membership] | None:
    """Unsaved links of ``record`` from input items naming the other side (visible to actor)."""
    if items is None:
        return None
    other_field = "person" if isinstance(record, Organization) else "organization"
    other_model = Person if other_field == "person" else Organization
    own_field = "organization" if other_field == "person" else "person"
    links: list[Membership] = []
    seen = set()
    for index, item in enumerate(items):
        prefix = f"memberships.{index}."
        if not isinstance(item, dict):
            item = {other_field: item}
        for key in sorted(set(item) - MEMBERSHIP_KEYS - {"id"}):
            errors.add(f"{prefix}{key}", _("There is no such field."))
        if other_field not in item:
            errors.add(f"{prefix}{other_field}", _("This field is required."))
            continue
        other = visible_record(
            other_model,
            item[other_field],
            actor=actor,
            field=f"{prefix}{other_field}",
            errors=errors,
        )
        role = resolve_reference(
            CONTACT_ROLES, item.get("role"), field=f"{prefix}role", errors=errors
        )
        if other is None:
            continue
        key = (other.pk, role.pk if role else None)
        if key in seen:
            errors.add(prefix.rstrip("."), _("The same link is given twice."))
            continue
        seen.add(key)
        link = Membership(
            role=role,
            position=" ".join(str(item.get("position") or "").split())[:200],
            is_primary=bool(item.get("is_primary")),
            **{other_field: other},
        )
        setattr(link, f"{own_field}_id", record.pk)
        links.append(link)
    return links


def save_memberships(record: Organization | Person, links: list[Membership]) -> None:
    """Make ``links`` the record's links: same other side and role keep their row."""
    own_field = "organization" if isinstance(record, Organization) else "person"
    other_field = "person" if own_field == "organization" else "organization"
    current = {
        (getattr(row, f"{other_field}_id"), row.role_id): row for row in record.memberships.all()
    }
    wanted = set()
    for link in links:
        key = (getattr(link, f"{other_field}_id"), link.role_id)
        wanted.add(key)
        row = current.get(key)
        if row is None:
            setattr(link, own_field, record)
            link.save()
        elif (row.position, row.is_primary) != (link.position, link.is_primary):
            row.position, row.is_primary = link.position, link.is_primary
            row.save(update_fields=["position", "is_primary"])
    stale = [row.pk for key, row in current.items() if key not in wanted]
    Membership.objects.filter(pk__in=stale).delete()


def _require_link(actor, person: Person, organization: Organization) -> None:
    """Linking changes both cards: the actor sees both and may edit at least one of them."""
    if actor is None:
        return
    for record in (person, organization):
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            raise PermissionDenied(_("You do not have permission to do this."))
    if not (
        access.can(actor, access.Action.EDIT, person)
        or access.can(actor, access.Action.EDIT, organization)
    ):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def link_person(
    *,
    actor,
    person: Person,
    organization: Organization,
    role: Any = None,
    position: str = "",
    is_primary: bool = False,
) -> Membership:
    """Make ``person`` a contact of ``organization`` (role: a "contact_roles" item or its key)."""
    _require_link(actor, person, organization)
    errors = Errors()
    role_item = resolve_reference(CONTACT_ROLES, role, field="role", errors=errors)
    errors.raise_if_any()
    if Membership.objects.filter(person=person, organization=organization, role=role_item).exists():
        raise ValidationError({"role": [_("This person is already linked in this role.")]})
    before = describe_memberships(organization), describe_memberships(person)
    membership = Membership.objects.create(
        person=person,
        organization=organization,
        role=role_item,
        position=" ".join((position or "").split())[:200],
        is_primary=is_primary,
    )
    _audit_links(actor, organization, person, before)
    return membership


@transaction.atomic
def update_link(
    *, actor, membership: Membership, position: str | None = None, is_primary: bool | None = None
) -> Membership:
    _require_link(actor, membership.person, membership.organization)
    before = describe_memberships(membership.organization), describe_memberships(membership.person)
    if position is not None:
        membership.position = " ".join(position.split())[:200]
    if is_primary is not None:
        membership.is_primary = is_primary
    membership.save(update_fields=["position", "is_primary"])
    _audit_links(actor, membership.organization, membership.person, before)
    return membership


@transaction.atomic
def unlink_person(*, actor, membership: Membership) -> None:
    organization, person = membership.organization, membership.person
    _require_link(actor, person, organization)
    before = describe_memberships(organization), describe_memberships(person)
    membership.delete()
    _audit_links(actor, organization, person, before)


def _audit_links(actor, organization: Organization, person: Person, before) -> None:
    for record, old in zip((organization, person), before, strict=True):
        change = memberships_change(old, describe_memberships(record))
        if change:
            record_update(record, {}, actor=actor, extra=change)
