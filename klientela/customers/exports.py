"""Exporting organizations and people to CSV and XLSX: who may, which columns, and the files.

The API and the list pages both call ``exportable_records`` (the export permission and the view
scope), apply the list's filters, then ``export_response``. Rows are read in chunks with their
related records prefetched, so an export costs the same few queries per chunk at any size.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from klientela.core import access
from klientela.core.customfields import get_type, load_definitions
from klientela.core.models import FieldDefinition

from .models import Organization

FORMATS = ("csv", "xlsx")
CHUNK = 1000
# A cell starting with one of these is a formula to spreadsheet programs: keep it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    key: str
    label: str | Promise
    value: Callable[[models.Model], Any]


def exportable_records(user, model: type[models.Model]) -> models.QuerySet:
    """The records ``user`` may export: within both the export and the view scope."""
    if not access.can(user, access.Action.EXPORT, model):
        raise PermissionDenied(_("You do not have permission to export these records."))
    return model.objects.visible_to(user, access.Action.VIEW).visible_to(user, access.Action.EXPORT)


def _joined(values: Iterable[Any]) -> str:
    return "; ".join(str(value) for value in values if value)


def _reference(item) -> str:
    return item.label_in(get_language()) if item is not None else ""


def _first_address(record):
    addresses = list(record.addresses.all())
    return next((address for address in addresses if address.is_primary), None) or (
        addresses[0] if addresses else None
    )


def _card_columns() -> list[ExportColumn]:
    """Columns both kinds of card share, after their own."""
    return [
        ExportColumn("source", gettext_lazy("Source"), lambda record: _reference(record.source)),
        ExportColumn(
            "responsible",
            gettext_lazy("Responsible"),
            lambda record: str(record.responsible or ""),
        ),
        ExportColumn("tags", gettext_lazy("Tags"), lambda record: _joined(record.tags.all())),
        ExportColumn(
            "phones",
            gettext_lazy("Phones"),
            lambda record: _joined(phone.display for phone in record.phones.all()),
        ),
        ExportColumn("emails", gettext_lazy("Emails"), lambda record: _joined(record.emails.all())),
        ExportColumn(
            "city",
            gettext_lazy("City"),
            lambda record: getattr(_first_address(record), "city", ""),
        ),
        ExportColumn(
            "address",
            gettext_lazy("Address"),
            lambda record: str(_first_address(record) or ""),
        ),
        ExportColumn(
            "created_at",
            gettext_lazy("Created"),
            lambda record: timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M"),
        ),
    ]


def organization_columns() -> list[ExportColumn]:
    return [
        ExportColumn("id", "ID", lambda record: record.pk),
        ExportColumn("name", gettext_lazy("Name"), lambda record: record.name),
        ExportColumn("legal_name", gettext_lazy("Legal name"), lambda record: record.legal_name),
        ExportColumn("tax_number", gettext_lazy("Tax number"), lambda record: record.tax_number),
        ExportColumn(
            "registration_number",
            gettext_lazy("Registration number"),
            lambda record: record.registration_number,
        ),
        ExportColumn(
            "type",
            gettext_lazy("Type"),
            lambda record: _joined(map(_reference, record.types.all())),
        ),
        ExportColumn(
            "industry", gettext_lazy("Industry"), lambda record: _reference(record.industry)
        ),
        ExportColumn(
            "client_group",
            gettext_lazy("Client group"),
            lambda record: _reference(record.client_group),
        ),
        ExportColumn("size", gettext_lazy("Size"), lambda record: record.get_size_display()),
        ExportColumn(
            "parent",
            gettext_lazy("Parent organization"),
            lambda record: str(record.parent or ""),
        ),
        ExportColumn(
            "websites", gettext_lazy("Websites"), lambda record: _joined(record.websites.all())
        ),
        *_card_columns(),
    ]


def person_columns() -> list[ExportColumn]:
    return [
        ExportColumn("id", "ID", lambda record: record.pk),
        ExportColumn("last_name", gettext_lazy("Last name"), lambda record: record.last_name),
        ExportColumn("first_name", gettext_lazy("First name"), lambda record: record.first_name),
        ExportColumn("middle_name", gettext_lazy("Middle name"), lambda record: record.middle_name),
        ExportColumn("position", gettext_lazy("Position"), lambda record: record.position),
        ExportColumn(
            "birthday",
            gettext_lazy("Birthday"),
            lambda record: record.birthday.isoformat() if record.birthday else "",
        ),
        ExportColumn(
            "organizations",
            gettext_lazy("Organizations"),
            lambda record: _joined(link.organization for link in record.memberships.all()),
        ),
        *_card_columns(),
    ]


def _custom_value(definition: FieldDefinition, value: Any, users: dict[int, str]) -> Any:
    if value is None:
        return ""
    if definition.type == "number":
        return value
    if definition.type == "user":
        return users.get(value, f"#{value}")
    return get_type(definition.type).display(definition, value, get_language())


def custom_columns(entity: str) -> list[ExportColumn]:
    """One column per active custom field, in the fields' order, shown as on the card."""
    definitions = load_definitions(entity)
    users: dict[int, str] = {}
    if any(definition.type == "user" for definition in definitions):
        users = {user.pk: str(user) for user in get_user_model().objects.all()}
    return [
        ExportColumn(
            f"custom.{definition.key}",
            definition.label_in(get_language()),
            lambda record, definition=definition: _custom_value(
                definition, record.custom.get(definition.key), users
            ),
        )
        for definition in definitions
    ]


def export_columns(model: type[models.Model]) -> list[ExportColumn]:
    own = organization_columns() if model is Organization else person_columns()
    return [*own, *custom_columns(model.access_entity)]


def with_related(queryset: models.QuerySet) -> models.QuerySet:
    """What the columns read, fetched once per chunk."""
    channels = ("tags", "phones", "emails", "addresses")
    if queryset.model is Organization:
        return queryset.select_related(
            "responsible", "source", "industry", "client_group", "parent"
        ).prefetch_related(*channels, "types", "websites")
    return queryset.select_related("responsible", "source").prefetch_related(
        *channels, "memberships__organization"
    )


def _cell(value: Any) -> Any:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def export_rows(queryset: models.QuerySet, columns: list[ExportColumn]) -> Iterator[list]:
    """Numbers as numbers, everything else as the text a person reads on the card."""
    for record in with_related(queryset).iterator(chunk_size=CHUNK):
        yield [_cell(column.value(record)) for column in columns]


def _csv_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class _Line:
    """A file-like object csv.writer writes one line to, handed straight back."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # A byte-order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def _filename(model: type[models.Model], extension: str) -> str:
    stem = "organizations" if model is Organization else "people"
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def export_response(queryset: models.QuerySet, file_format: str):
    """The file of ``queryset`` (already scoped and filtered) with every column."""
    columns = export_columns(queryset.model)
    header = [str(column.label) for column in columns]
    rows = export_rows(queryset, columns)
    filename = _filename(queryset.model, file_format)
    if file_format == "xlsx":
        return _xlsx_response(filename, header, rows)
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(filename: str, header: list[str], rows: Iterator[list]) -> FileResponse:
    # A write-only workbook keeps one row in memory; the zip is spooled to disk when large.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Export")[:31])
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=..." typed by a user is text, never a formula.
            cells.append(cell)
        sheet.append(cells)
    # FileResponse closes it once sent.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
