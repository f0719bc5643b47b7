"""The organization and person cards: fields in sections, channels, contacts, timeline, dialogs."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.cards import Card, CardAction, Field, Section, render_card
from klientela.core.display import badge
from klientela.core.timeline import timeline_for, timeline_sources

from ..forms import HandOverForm, LinkForm, NoteForm
from ..models import Membership, Organization, Person
from ..models.querysets import CHANNELS
from .common import ORGANIZATIONS, PEOPLE, Kind, visible_record
from .duplicates import contact_dialog

TIMELINE_LIMIT = 50
# The audit history has its own panel beside the card; the timeline shows the rest.
HISTORY_SOURCE = "changes"


def _reference(item) -> str:
    return item.label_in(get_language()) if item is not None else ""


def age_on(birthday: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (birthday.month, birthday.day)
    return today.year - birthday.year - before_birthday


def custom_sections(record) -> list[Section]:
    """The custom fields that hold a value, grouped by the section an administrator chose."""
    sections: dict[str, list[Field]] = {}
    for section, label, shown in record.custom_display(get_language()):
        sections.setdefault(section or _("More about it"), []).append(Field(label, shown))
    return [Section(title, fields) for title, fields in sections.items()]


def card_permissions(user, kind: Kind, record) -> dict:
    """What the user may do on this card: which buttons and dialogs it shows."""
    may_edit = kind.may(user, access.Action.EDIT, record)
    return {
        "may_edit": may_edit,
        "may_delete": kind.may(user, access.Action.DELETE, record),
        # A merge changes this card and deletes the other one.
        "may_merge": may_edit and kind.may(user, access.Action.DELETE),
    }


def card_actions(kind: Kind, record, allowed: dict) -> list[CardAction]:
    """The header buttons the user may use on this card (the views check again)."""
    actions = []
    if allowed["may_edit"]:
        actions.append(
            CardAction(
                _("Hand over"),
                kind.url("hand_over", record.pk),
                "arrow-right-left",
                dialog="hand-over-dialog",
            )
        )
    if allowed["may_merge"]:
        actions.append(
            CardAction(
                _("Merge with…"), kind.url("merge", record.pk), "git-merge", dialog="merge-dialog"
            )
        )
    if allowed["may_delete"]:
        actions.append(
            CardAction(_("Delete"), kind.url("delete", record.pk), "trash-2", is_dangerous=True)
        )
    if allowed["may_edit"]:
        actions.append(
            CardAction(_("Edit"), kind.url("edit", record.pk), "pencil", is_primary=True)
        )
    return actions


def timeline_kinds(model) -> list[str]:
    return [source.key for source in timeline_sources(model) if source.key != HISTORY_SOURCE]


def timeline_context(request, kind: Kind, record, note_form: NoteForm | None = None) -> dict:
    items = timeline_for(
        record, user=request.user, limit=TIMELINE_LIMIT, kinds=timeline_kinds(kind.model)
    )
    return {
        "kind": kind,
        "object": record,
        "timeline": items,
        "note_form": note_form or NoteForm(prefix="note"),
        "note_url": kind.url("note_add", record.pk),
    }


def _dialogs(request, kind: Kind, record) -> dict:
    language = get_language()
    context = {
        "urls": {
            "hand_over": kind.url("hand_over", record.pk),
            "link": kind.url("link", record.pk),
        },
        "hand_over_form": HandOverForm(user=request.user, entity=kind.entity, prefix="handover"),
    }
    if kind is ORGANIZATIONS:
        context["link_form"] = LinkForm(
            kind="person", language=language, prefix="link", auto_id="link_%s"
        )
        context["may_create_person"] = PEOPLE.may(request.user, access.Action.CREATE)
        if context["may_create_person"]:
            context["contact"] = contact_dialog(request, record)
    else:
        context["link_form"] = LinkForm(
            kind="organization", language=language, prefix="link", auto_id="link_%s"
        )
    return context


def _render(request, kind: Kind, record, card: Card, allowed: dict, extra: dict):
    context = {
        "kind": kind,
        **allowed,
        **timeline_context(request, kind, record),
        **_dialogs(request, kind, record),
        **extra,
    }
    return render_card(
        request,
        card,
        obj=record,
        template=f"customers/{kind.entity}_detail.html",
        extra_context=context,
    )


def _visible_people(user):
    return Person.objects.visible_to(user, access.Action.VIEW)


def _visible_organizations(user):
    return Organization.objects.visible_to(user, access.Action.VIEW)


@login_required
def organization_detail(request, pk: int):
    user = request.user
    contacts = Membership.objects.filter(person__in=_visible_people(user)).select_related(
        "person", "role"
    )
    records = Organization.objects.select_related(
        "responsible", "industry", "client_group", "source", "parent"
    ).prefetch_related(
        "types",
        "tags",
        *CHANNELS,
        Prefetch("memberships", queryset=contacts, to_attr="visible_contacts"),
        Prefetch(
            "branches",
            queryset=_visible_organizations(user).order_by("name"),
            to_attr="visible_branches",
        ),
    )
    organization = visible_record(request, ORGANIZATIONS, pk, records)
    parent = organization.parent
    if parent is not None and not _visible_organizations(user).filter(pk=parent.pk).exists():
        parent = None
    language = get_language()
    allowed = card_permissions(user, ORGANIZATIONS, organization)
    card = Card(
        title=str(organization),
        subtitle=organization.legal_name if organization.short_name else "",
        badges=[badge(item.label_in(language)) for item in organization.types.all()],
        back_url=ORGANIZATIONS.url("list"),
        back_label=_("Organizations"),
        actions=card_actions(ORGANIZATIONS, organization, allowed),
        sections=[
            Section(
                _("Main"),
                [
                    Field(_("Legal name"), organization.legal_name),
                    Field(_("Short name"), organization.short_name),
                    Field(_("Tax number"), organization.tax_number),
                    Field(_("Registration number"), organization.registration_number),
                    Field(_("Industry"), _reference(organization.industry)),
                    Field(_("Size"), organization.get_size_display()),
                    Field(_("Client group"), _reference(organization.client_group)),
                    Field(_("Source"), _reference(organization.source)),
                    Field(
                        _("Parent organization"),
                        parent,
                        url=parent.get_absolute_url() if parent else "",
                    ),
                    Field(_("Needs"), organization.needs),
                    Field(_("Description"), organization.description),
                ],
            ),
            *custom_sections(organization),
        ],
    )
    return _render(request, ORGANIZATIONS, organization, card, allowed, {})


@login_required
def person_detail(request, pk: int):
    user = request.user
    links = Membership.objects.filter(organization__in=_visible_organizations(user)).select_related(
        "organization", "role"
    )
    records = Person.objects.select_related("responsible", "source").prefetch_related(
        "tags", *CHANNELS, Prefetch("memberships", queryset=links, to_attr="visible_links")
    )
    person = visible_record(request, PEOPLE, pk, records)
    today = timezone.localdate()
    allowed = card_permissions(user, PEOPLE, person)
    card = Card(
        title=person.full_name,
        subtitle=person.position,
        back_url=PEOPLE.url("list"),
        back_label=_("People"),
        actions=card_actions(PEOPLE, person, allowed),
        sections=[
            Section(
                _("Main"),
                [
                    Field(_("Last name"), person.last_name),
                    Field(_("First name"), person.first_name),
                    Field(_("Middle name"), person.middle_name),
                    Field(_("Position"), person.position),
                    Field(_("Source"), _reference(person.source)),
                    Field(_("Description"), person.description),
                ],
            ),
            *custom_sections(person),
        ],
    )
    age = age_on(person.birthday, today) if person.birthday else None
    return _render(request, PEOPLE, person, card, allowed, {"age": age})
