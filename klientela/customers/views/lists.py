"""The organizations and people lists: columns (custom fields too), bulk actions and export."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponseBadRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.customfields.columns import custom_columns
from klientela.core.lists import BulkAction, Column, ListDefinition, render_list
from klientela.core.templatetags.klientela_ui import icon

from .. import services
from ..exports import FORMATS, export_response, exportable_records
from ..filters import OrganizationFilter, PersonFilter, filter_records
from ..forms import AddTagForm, HandOverForm
from ..models import Address
from .common import ORGANIZATIONS, PEOPLE, Kind, person_chip

PRIMARY_FILTERS = ("q", "responsible", "type", "industry", "tags", "city")


# --- Cells ------------------------------------------------------------------------------------


def phone_cell(record):
    phone = record.primary_phone
    if phone is None:
        return ""
    if not phone.is_valid:
        return format_html(
            '<span class="phone-invalid" title="{}">{}{}<span class="visually-hidden"> ({})</span>'
            "</span>",
            _("Kept as typed; check it with the client."),
            phone.raw,
            icon("triangle-alert", 14),
            _("invalid number"),
        )
    return format_html('<a href="tel:{}" class="nowrap">{}</a>', phone.e164, phone.display)


def email_cell(record):
    email = record.primary_email
    if email is None:
        return ""
    return format_html('<a href="mailto:{}">{}</a>', email.address, email.address)


def city_cell(record):
    addresses = record.primary_addresses
    return addresses[0].city if addresses else ""


def tags_cell(record):
    return format_html_join(
        " ", '<span class="tag tag-{}">{}</span>', ((tag.colour, tag) for tag in record.tags.all())
    )


def reference_cell(name: str, record):
    item = getattr(record, name)
    return item.label_in(get_language()) if item is not None else ""


def types_cell(record):
    language = get_language()
    return format_html_join(
        " ",
        '<span class="badge">{}</span>',
        ((item.label_in(language),) for item in record.types.all()),
    )


def organizations_cell(person):
    language = get_language()
    links = []
    for membership in person.memberships.all():
        role = membership.role.label_in(language) if membership.role_id else membership.position
        links.append((membership.organization.get_absolute_url(), membership.organization, role))
    return format_html_join(
        ", ",
        '<a href="{}">{}</a><span class="muted"> {}</span>',
        ((url, name, f"({role})" if role else "") for url, name, role in links),
    )


def primary_city(model) -> Subquery:
    """The city of the primary address, to sort by."""
    owner = model._meta.model_name
    addresses = Address.objects.filter(is_primary=True, **{owner: OuterRef("pk")})
    return Subquery(addresses.values("city")[:1])


PRIMARY_ADDRESSES = Prefetch(
    "addresses", queryset=Address.objects.filter(is_primary=True), to_attr="primary_addresses"
)


# --- Bulk actions -------------------------------------------------------------------------------


def _each(records, change, message) -> str | tuple[str, str]:
    """Apply ``change(record)`` to each; records the rules refuse are named, not fatal.
    ``message(count)`` says what was done."""
    done, refused = 0, []
    for record in records:
        try:
            change(record)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            refused.append(f"{record}: {reason}")
        else:
            done += 1
    if refused:
        not_changed = _("Not changed: %(reasons)s") % {"reasons": "; ".join(refused)}
        return f"{message(done)} {not_changed}", "warning"
    return message(done)


def hand_over(kind: Kind, request, records, new_owner, include_open_work):
    count = services.hand_over(
        actor=request.user,
        records=list(records),
        new_owner=new_owner,
        include_open_work=include_open_work,
    )
    return ngettext(
        "%(count)d card handed over to %(name)s.",
        "%(count)d cards handed over to %(name)s.",
        count,
    ) % {"count": count, "name": new_owner}


def add_tag(kind: Kind, request, records, tag):
    def change(record):
        names = [existing.name for existing in record.tags.all()]
        kind.update(actor=request.user, record=record, tags=[*names, tag])

    def message(count: int) -> str:
        return ngettext("Tag added to %(count)d card.", "Tag added to %(count)d cards.", count) % {
            "count": count
        }

    return _each(records.prefetch_related("tags"), change, message)


def delete_records(kind: Kind, request, records):
    def message(count: int) -> str:
        return ngettext("%(count)d card deleted.", "%(count)d cards deleted.", count) % {
            "count": count
        }

    return _each(records, lambda record: kind.delete(actor=request.user, record=record), message)


def bulk_actions(kind: Kind) -> list[BulkAction]:
    return [
        BulkAction(
            "hand_over",
            gettext_lazy("Hand over"),
            partial(hand_over, kind),
            form=HandOverForm,
            form_kwargs=lambda request: {"user": request.user, "entity": kind.entity},
            visible=partial(kind.may, action=access.Action.EDIT),
        ),
        BulkAction(
            "add_tag",
            gettext_lazy("Add tag"),
            partial(add_tag, kind),
            form=AddTagForm,
            visible=partial(kind.may, action=access.Action.EDIT),
        ),
        BulkAction(
            "delete",
            gettext_lazy("Delete"),
            partial(delete_records, kind),
            confirm=gettext_lazy("Delete the selected cards with their contacts and notes?"),
            is_dangerous=True,
            visible=partial(kind.may, action=access.Action.DELETE),
        ),
    ]


# --- The lists ----------------------------------------------------------------------------------


def _shared_columns(kind: Kind) -> list[Column]:
    return [
        Column("phone", gettext_lazy("Phone"), value=phone_cell),
        Column("email", gettext_lazy("Email"), value=email_cell),
        Column("city", gettext_lazy("City"), sort=primary_city(kind.model), value=city_cell),
        Column(
            "responsible",
            gettext_lazy("Responsible"),
            sort=("responsible__first_name", "responsible__last_name"),
            value=lambda record: person_chip(record.responsible),
        ),
        Column("tags", gettext_lazy("Tags"), value=tags_cell),
        Column(
            "source",
            gettext_lazy("Source"),
            sort="source__label",
            value=partial(reference_cell, "source"),
        ),
        Column("created_at", gettext_lazy("Created"), sort="created_at"),
        Column("updated_at", gettext_lazy("Changed"), sort="updated_at"),
    ]


ORGANIZATION_LIST = ListDefinition(
    key="customers.organizations",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("types", gettext_lazy("Type"), value=types_cell),
        Column(
            "industry",
            gettext_lazy("Industry"),
            sort="industry__label",
            value=partial(reference_cell, "industry"),
        ),
        *_shared_columns(ORGANIZATIONS),
        Column("legal_name", gettext_lazy("Legal name"), sort="legal_name"),
        Column("tax_number", gettext_lazy("Tax number"), sort="tax_number"),
        Column("registration_number", gettext_lazy("Registration number")),
        Column(
            "client_group",
            gettext_lazy("Client group"),
            sort="client_group__label",
            value=partial(reference_cell, "client_group"),
        ),
        Column(
            "size",
            gettext_lazy("Size"),
            sort="size",
            value=lambda record: record.get_size_display(),
        ),
        Column("parent", gettext_lazy("Parent organization"), sort="parent__name"),
    ],
    default_columns=["name", "types", "city", "phone", "email", "responsible", "tags"],
    filterset=OrganizationFilter,
    primary_filters=PRIMARY_FILTERS,
    bulk_actions=bulk_actions(ORGANIZATIONS),
    default_sort="name",
    prefetch_related=(PRIMARY_ADDRESSES,),
    empty_title=gettext_lazy("No organizations yet"),
    empty_text=gettext_lazy("Create the first one, or import your clients from Excel."),
    empty_icon="building-2",
    extra_columns=custom_columns("organization"),
)

PERSON_LIST = ListDefinition(
    key="customers.people",
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            sort=("last_name", "first_name"),
            link=True,
            value=lambda person: person.full_name,
        ),
        Column("position", gettext_lazy("Position"), sort="position"),
        Column("organizations", gettext_lazy("Organizations"), value=organizations_cell),
        *_shared_columns(PEOPLE),
        Column("birthday", gettext_lazy("Birthday"), sort="birthday"),
    ],
    default_columns=[
        "name",
        "position",
        "organizations",
        "phone",
        "email",
        "city",
        "responsible",
        "tags",
    ],
    filterset=PersonFilter,
    primary_filters=PRIMARY_FILTERS,
    bulk_actions=bulk_actions(PEOPLE),
    default_sort="name",
    prefetch_related=(PRIMARY_ADDRESSES,),
    empty_title=gettext_lazy("No people yet"),
    empty_text=gettext_lazy("Add the first contact, or import them from Excel."),
    empty_icon="users",
    extra_columns=custom_columns("person"),
)

LISTS = {ORGANIZATIONS.entity: ORGANIZATION_LIST, PEOPLE.entity: PERSON_LIST}
FILTERS = {ORGANIZATIONS.entity: OrganizationFilter, PEOPLE.entity: PersonFilter}


@login_required
def record_list(request, kind: Kind):
    records = kind.model.objects.visible_to(request.user, access.Action.VIEW).for_list()
    may_create = kind.may(request.user, access.Action.CREATE)
    create_label = _("New organization") if kind is ORGANIZATIONS else _("New person")
    return render_list(
        request,
        LISTS[kind.entity],
        records,
        title=str(kind.label),
        create_url=kind.url("create") if may_create else "",
        create_label=create_label,
        template="customers/record_list.html",
        extra_context={
            "kind": kind,
            "may_export": kind.may(request.user, access.Action.EXPORT),
            "export_url": kind.url("export"),
        },
    )


@login_required
def record_export(request, kind: Kind):
    """The filtered list as CSV or XLSX: the export permission and scope, then the filters."""
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Choose CSV or XLSX."))
    records = exportable_records(request.user, kind.model)
    filters = request.GET.copy()
    for name in ("format", "sort", "page", "page_size"):
        filters.pop(name, None)
    try:
        records = filter_records(FILTERS[kind.entity], filters, records, request=request)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return export_response(records.order_by("pk"), file_format)
