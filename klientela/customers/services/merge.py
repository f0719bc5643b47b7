"""Merging two organizations or two people into one card, losing nothing.

Fields are taken per field from the survivor or the duplicate; custom values per key. Channels,
links, notes and tags move to the survivor (identical channels and links are kept once). Then
every other record pointing at the duplicate follows, found through Django's model meta rather
than a list: foreign keys and many-to-many fields of any app (deals and activities added later
follow without a change here), generic foreign keys, and the duplicate's audit history. The
duplicate is deleted and the survivor gets one "merge" audit entry saying what was taken.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import snapshot
from klientela.core.fulltext import index_record, normalize_text, unindex_record
from klientela.core.models import AuditEntry

from ..models import Membership, Organization, Person
from .channels import CHANNEL_MODELS, owner_field, write_channels
from .common import require_assign

FIELDS = {
    Organization: [
        "legal_name",
        "short_name",
        "tax_number",
        "registration_number",
        "industry",
        "client_group",
        "source",
        "size",
        "parent",
        "responsible",
        "description",
        "needs",
    ],
    Person: [
        "first_name",
        "middle_name",
        "last_name",
        "position",
        "birthday",
        "source",
        "responsible",
        "description",
    ],
}
SURVIVOR, DUPLICATE = "survivor", "duplicate"

CHANNEL_KEYS = {
    "phones": lambda phone: phone.e164 or f"digits:{phone.digits}",
    "emails": lambda email: email.address,
    "messengers": lambda messenger: (messenger.kind, messenger.handle.lower().lstrip("@")),
    "websites": lambda website: website.url.rstrip("/").lower(),
    "addresses": lambda address: normalize_text(str(address)),
}


def merge_fields(model: type[models.Model]) -> list[str]:
    """The fields a merge screen offers to choose, in order."""
    return FIELDS[model]


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _check_choices(model, field_choices: dict[str, str], duplicate) -> None:
    errors = {}
    custom_keys = {f"custom.{key}" for key in duplicate.custom}
    for name, choice in field_choices.items():
        if name not in FIELDS[model] and not name.startswith("custom."):
            errors[name] = [_("This field cannot be chosen.")]
        elif choice not in (SURVIVOR, DUPLICATE):
            errors[name] = [_("Choose the survivor or the duplicate.")]
        elif name.startswith("custom.") and choice == DUPLICATE and name not in custom_keys:
            errors[name] = [_("The duplicate has no value here.")]
    if errors:
        raise ValidationError(errors)


def _take_fields(survivor, duplicate, field_choices: dict[str, str]) -> list[str]:
    """Copy the chosen values; a field not chosen keeps the survivor's value unless empty."""
    taken = []
    for name in FIELDS[type(survivor)]:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        choice = field_choices.get(name) or (
            DUPLICATE if _is_empty(mine) and not _is_empty(theirs) else SURVIVOR
        )
        if choice == DUPLICATE and mine != theirs:
            setattr(survivor, name, theirs)
            taken.append(name)
    custom = {**duplicate.custom, **survivor.custom}
    for key, value in duplicate.custom.items():
        if field_choices.get(f"custom.{key}") == DUPLICATE:
            custom[key] = value
    survivor.custom = custom
    return taken


def _fix_parent(survivor, duplicate) -> None:
    if not isinstance(survivor, Organization):
        return
    if survivor.parent_id == duplicate.pk:
        survivor.parent_id = duplicate.parent_id if duplicate.parent_id != survivor.pk else None
    ancestor = survivor.parent
    while ancestor is not None:
        if ancestor.pk in (survivor.pk, duplicate.pk):
            raise ValidationError({"parent": [_("An organization cannot be a branch of itself.")]})
        ancestor = ancestor.parent


def _move_channels(survivor, duplicate, moved: Counter) -> None:
    field = owner_field(survivor)
    for channel_type, model in CHANNEL_MODELS.items():
        key = CHANNEL_KEYS[channel_type]
        known = {key(channel) for channel in getattr(survivor, channel_type).all()}
        theirs = list(model.objects.filter(**{field: duplicate}))
        repeated = [channel.pk for channel in theirs if key(channel) in known]
        model.objects.filter(pk__in=repeated).delete()
        model.objects.filter(**{field: duplicate}).update(**{field: survivor, "is_primary": False})
        moved[str(model._meta.verbose_name_plural)] += len(theirs) - len(repeated)
        write_channels(survivor, channel_type, [], replace=False)


def _move_memberships(survivor, duplicate, moved: Counter) -> None:
    own = owner_field(survivor)
    other = "person" if own == "organization" else "organization"
    known = {(getattr(row, f"{other}_id"), row.role_id) for row in survivor.memberships.all()}
    rows = list(duplicate.memberships.all())
    repeated = [row.pk for row in rows if (getattr(row, f"{other}_id"), row.role_id) in known]
    Membership.objects.filter(pk__in=repeated).delete()
    Membership.objects.filter(**{own: duplicate}).update(**{own: survivor})
    moved[str(Membership._meta.verbose_name_plural)] += len(rows) - len(repeated)


def _reverse_relations(model: type[models.Model]):
    """Every relation of any app pointing at ``model``, hidden ones (related_name="+") too.

    The rows of auto-created many-to-many tables are moved through their many-to-many relation.
    """
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.many_to_many or not relation.related_model._meta.auto_created)
    ]


def _move_foreign_keys(relation, survivor, duplicate, moved: Counter) -> None:
    related = relation.related_model
    name = relation.field.name
    rows = related._base_manager.filter(**{name: duplicate})
    if related is type(survivor):
        rows = rows.exclude(pk=survivor.pk)
    try:
        with transaction.atomic():
            count = rows.update(**{name: survivor})
    except IntegrityError:
        # A unique key would repeat (the survivor already has the same link): keep it once.
        count = 0
        for row in rows:
            try:
                with transaction.atomic():
                    related._base_manager.filter(pk=row.pk).update(**{name: survivor})
                    count += 1
            except IntegrityError:
                row.delete()
    if count:
        moved[str(related._meta.verbose_name_plural)] += count


def _move_many_to_many(relation, survivor, duplicate, moved: Counter) -> None:
    through = relation.through
    field = relation.field
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    already = through._base_manager.filter(**{target: survivor}).values_list(f"{source}_id")
    rows = through._base_manager.filter(**{target: duplicate})
    rows.filter(**{f"{source}_id__in": already}).delete()
    count = rows.update(**{target: survivor})
    if count:
        moved[str(relation.related_model._meta.verbose_name_plural)] += count


def _move_generic(survivor, duplicate, moved: Counter) -> None:
    content_type = ContentType.objects.get_for_model(type(survivor))
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                rows = model._base_manager.filter(
                    **{field.ct_field: content_type, field.fk_field: duplicate.pk}
                )
                count = rows.update(**{field.fk_field: survivor.pk})
                if count:
                    moved[str(model._meta.verbose_name_plural)] += count
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(survivor, for_concrete_model=False),
        object_id=str(duplicate.pk),
    )
    moved[str(AuditEntry._meta.verbose_name_plural)] += history.update(object_id=str(survivor.pk))


def _move_everything(survivor, duplicate) -> Counter:
    moved: Counter = Counter()
    _move_channels(survivor, duplicate, moved)
    _move_memberships(survivor, duplicate, moved)
    for field in type(survivor)._meta.many_to_many:
        getattr(survivor, field.name).add(*getattr(duplicate, field.name).all())
    for relation in _reverse_relations(type(survivor)):
        if relation.many_to_many:
            _move_many_to_many(relation, survivor, duplicate, moved)
        else:
            _move_foreign_keys(relation, survivor, duplicate, moved)
    _move_generic(survivor, duplicate, moved)
    return moved


@transaction.atomic
def merge(
    *, actor, survivor, duplicate, field_choices: dict[str, str] | None = None
) -> models.Model:
    """Fold ``duplicate`` into ``survivor`` (two organizations or two people); returns survivor.

    ``field_choices``: ``{"legal_name": "duplicate", "custom.revenue": "duplicate", ...}``;
    a field not named keeps the survivor's value, or takes the duplicate's when the survivor's
    is empty. Custom values the survivor lacks are taken from the duplicate.
    """
    model = type(survivor)
    if model not in FIELDS or type(duplicate) is not model or survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records of the same kind."))
    field_choices = field_choices or {}
    access.require(actor, access.Action.EDIT, survivor)
    access.require(actor, access.Action.DELETE, duplicate)
    _check_choices(model, field_choices, duplicate)
    # Lock both rows: a concurrent merge or edit of either waits for this one.
    list(model.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk]))
    before = snapshot(survivor, [*FIELDS[model], "custom"])
    taken = _take_fields(survivor, duplicate, field_choices)
    if "responsible" in taken:
        require_assign(actor, model.access_entity, access.Action.EDIT, survivor.responsible)
    _fix_parent(survivor, duplicate)
    moved = _move_everything(survivor, duplicate)
    survivor.save()
    duplicate_repr = f"{duplicate} (#{duplicate.pk})"
    unindex_record(duplicate)
    duplicate.delete()
    _record_merge(survivor, before, actor=actor, duplicate_repr=duplicate_repr, moved=moved)
    index_record(survivor)
    return survivor


def _record_merge(survivor, before: dict, *, actor, duplicate_repr: str, moved: Counter) -> None:
    after = snapshot(survivor, list(before))
    labels = {field.name: str(field.verbose_name) for field in survivor._meta.concrete_fields}
    changes = {
        name: {"label": labels[name], "old": before[name], "new": after[name]}
        for name in before
        if before[name] != after[name]
    }
    changes["merged"] = {"label": _("Merged with"), "old": duplicate_repr, "new": str(survivor)}
    if moved:
        changes["moved"] = {
            "label": _("Moved from the duplicate"),
            "old": None,
            "new": [f"{label}: {count}" for label, count in sorted(moved.items()) if count],
        }
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(survivor, for_concrete_model=False),
        object_id=str(survivor.pk),
        object_repr=str(survivor)[:255],
        kind=AuditEntry.Kind.MERGE,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )
