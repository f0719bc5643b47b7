"""The merge screen: two cards side by side, a choice per differing field, what will move."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import history_for
from klientela.core.customfields import get_type, load_definitions
from klientela.core.display import display_value
from klientela.core.forms import add_service_errors, success_redirect
from klientela.core.models import ReferenceItem

from .. import services
from ..forms import MergeForm
from ..models import Membership, Note, Organization
from ..services.channels import CHANNEL_MODELS
from ..services.merge import DUPLICATE, SURVIVOR
from .common import Kind, require, visible_record


def _shown(record, name: str) -> str:
    """A field's value as the card shows it."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        value = getattr(record, f"get_{name}_display")()
    elif isinstance(value, ReferenceItem):
        value = value.label_in(get_language())
    return str(display_value(value))


def _is_empty(value) -> bool:
    return value in (None, "", [], {})


def field_rows(kind: Kind, survivor, duplicate) -> list[dict]:
    """One row per field either card fills: both values, and whether there is a choice."""
    rows = []
    for name in services.merge_fields(kind.model):
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if _is_empty(mine) and _is_empty(theirs):
            continue
        label = kind.model._meta.get_field(name).verbose_name
        rows.append(
            _row(name, label, _shown(survivor, name), _shown(duplicate, name), mine, theirs)
        )
    language = get_language()
    for definition in load_definitions(kind.entity):
        mine, theirs = survivor.custom.get(definition.key), duplicate.custom.get(definition.key)
        if _is_empty(mine) and _is_empty(theirs):
            continue
        field_type = get_type(definition.type)

        def shown(value, definition=definition, field_type=field_type):
            return "" if _is_empty(value) else field_type.display(definition, value, language)

        rows.append(
            _row(
                f"custom.{definition.key}",
                definition.label_in(language),
                shown(mine),
                shown(theirs),
                mine,
                theirs,
            )
        )
    return rows


def _row(name, label, survivor_text, duplicate_text, mine, theirs) -> dict:
    taken = DUPLICATE if _is_empty(mine) else SURVIVOR
    return {
        "name": name,
        "label": label,
        "survivor": survivor_text,
        "duplicate": duplicate_text,
        "choosable": not _is_empty(mine) and not _is_empty(theirs) and mine != theirs,
        "default": taken,
        "same": mine == theirs,
    }


def _linked_elsewhere(duplicate) -> int:
    """Records of other apps pointing at the duplicate (deals, tasks...): they all follow."""
    known = {*CHANNEL_MODELS.values(), Membership, Note}
    count = 0
    for relation in type(duplicate)._meta.related_objects:
        related = relation.related_model
        if related in known or related._meta.auto_created or related is type(duplicate):
            continue
        count += related._base_manager.filter(**{relation.field.name: duplicate}).count()
    content_type = ContentType.objects.get_for_model(type(duplicate))
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                count += model._base_manager.filter(
                    **{field.ct_field: content_type, field.fk_field: duplicate.pk}
                ).count()
    return count


# What moves, counted: "%(count)d" comes before the noun, so each language picks its plural form.
MOVE_COUNTS = {
    "phones": ngettext_lazy("%(count)d phone", "%(count)d phones", "count"),
    "emails": ngettext_lazy("%(count)d email", "%(count)d emails", "count"),
    "messengers": ngettext_lazy("%(count)d messenger", "%(count)d messengers", "count"),
    "websites": ngettext_lazy("%(count)d website", "%(count)d websites", "count"),
    "addresses": ngettext_lazy("%(count)d address", "%(count)d addresses", "count"),
    "contacts": ngettext_lazy("%(count)d contact person", "%(count)d contact persons", "count"),
    "organizations": ngettext_lazy(
        "%(count)d link to an organization", "%(count)d links to organizations", "count"
    ),
    "notes": ngettext_lazy("%(count)d note", "%(count)d notes", "count"),
    "branches": ngettext_lazy("%(count)d branch", "%(count)d branches", "count"),
    "elsewhere": ngettext_lazy(
        "%(count)d other linked record", "%(count)d other linked records", "count"
    ),
    "history": ngettext_lazy("%(count)d history entry", "%(count)d history entries", "count"),
}


def what_moves(duplicate) -> list[str]:
    """The duplicate's linked records that move to the survivor, counted by kind (zero counts
    left out): ``["2 phones", "1 note"]``."""
    counts = [(name, getattr(duplicate, name).count()) for name in CHANNEL_MODELS]
    is_organization = isinstance(duplicate, Organization)
    counts += [
        ("contacts" if is_organization else "organizations", duplicate.memberships.count()),
        ("notes", duplicate.notes.count()),
    ]
    if is_organization:
        counts.append(("branches", duplicate.branches.count()))
    counts.append(("elsewhere", _linked_elsewhere(duplicate)))
    counts.append(("history", history_for(duplicate).count()))
    return [MOVE_COUNTS[name] % {"count": count} for name, count in counts if count]


@login_required
def record_merge(request, pk: int, kind: Kind):
    """``/<pk>/merge/?with=<id>``: fold the other card into this one (the survivor)."""
    survivor = visible_record(request, kind, pk)
    require(request.user, access.Action.EDIT, survivor)
    other = request.GET.get("with", "")
    context = {
        "kind": kind,
        "survivor": survivor,
        "title": _("Merge %(name)s") % {"name": survivor},
    }
    if not other.isdigit():
        return render(request, "customers/merge.html", context)
    duplicate = visible_record(request, kind, int(other))
    require(request.user, access.Action.DELETE, duplicate)
    if duplicate.pk == survivor.pk:
        return HttpResponseBadRequest(_("Choose two different records."))
    rows = field_rows(kind, survivor, duplicate)
    form = MergeForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge(
                actor=request.user,
                survivor=survivor,
                duplicate=duplicate,
                field_choices=form.field_choices(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("%(duplicate)s merged into %(survivor)s.") % {
                "duplicate": duplicate,
                "survivor": survivor,
            }
            return success_redirect(request, survivor.get_absolute_url(), message)
    context.update(
        duplicate=duplicate,
        form=form,
        rows=[{**row, "field": form[row["name"]] if row["choosable"] else None} for row in rows],
        moves=what_moves(duplicate),
        swap_url=f"{kind.url('merge', duplicate.pk)}?with={survivor.pk}",
    )
    return render(request, "customers/merge.html", context)
