"""Exports as background jobs: a list with its filters, or everything the user may export, as
XLSX or CSV files in a ZIP. The access rules, columns and cells are the customers export's
(``customers.exports``): the export permission and scope, within what the user may view."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from klientela.core import access
from klientela.customers.exports import (
    FORMULA_STARTS,
    export_columns,
    export_rows,
    exportable_records,
)
from klientela.customers.filters import OrganizationFilter, PersonFilter, filter_records
from klientela.customers.models import Organization, Person
from klientela.jobs.models import Job
from klientela.jobs.services import JobFailed, Progress, register_runner, start_job

JOB_KIND = "export"
ENTITIES = {"organization": (Organization, OrganizationFilter), "person": (Person, PersonFilter)}
FORMATS = ("xlsx", "csv")
STEMS = {"organization": "organizations", "person": "people"}


def start_export(*, actor, entity: str = "all", file_format: str = "xlsx", filters=None) -> Job:
    """``entity`` is ``organization``, ``person`` or ``all``; ``filters`` the list's query."""
    if file_format not in FORMATS:
        raise ValidationError({"format": [_("Choose CSV or XLSX.")]})
    if entity != "all" and entity not in ENTITIES:
        raise ValidationError({"entity": [_("Nothing of this kind can be exported.")]})
    wanted = list(ENTITIES) if entity == "all" else [entity]
    if not any(access.can(actor, access.Action.EXPORT, ENTITIES[key][0]) for key in wanted):
        raise PermissionDenied(_("You do not have permission to export these records."))
    title = (
        _("Full export")
        if entity == "all"
        else _("Export of %(list)s") % {"list": ENTITIES[entity][0]._meta.verbose_name_plural}
    )
    params = {"entity": entity, "format": file_format}
    if filters:
        params["filters"] = {key: filters.getlist(key) for key in filters}
    return start_job(actor=actor, kind=JOB_KIND, title=str(title), params=params)


def _records(user, key: str, filters: dict | None):
    model, filterset = ENTITIES[key]
    records = exportable_records(user, model)
    if filters:
        data = QueryDict(mutable=True)
        for name, values in filters.items():
            if name not in ("format", "sort", "page", "page_size", "entity"):
                data.setlist(name, values)
        records = filter_records(filterset, data, records)
    return records.order_by("pk")


def _write_xlsx(target, header, rows, progress) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Export")[:31])
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        progress.advance()
    workbook.save(target)


def _write_csv(target, header, rows, progress) -> None:
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row]
        )
        progress.advance()
    text.flush()
    text.detach()


def run_export(job: Job) -> None:
    user = job.owner
    params = job.params
    wanted = list(ENTITIES) if params["entity"] == "all" else [params["entity"]]
    file_format = params.get("format", "xlsx")
    querysets = {}
    for key in wanted:
        try:
            querysets[key] = _records(user, key, params.get("filters"))
        except PermissionDenied:
            continue
        except ValidationError as error:
            raise JobFailed(" ".join(error.messages)) from error
    if not querysets:
        raise JobFailed(_("You do not have permission to export these records."))
    progress = Progress(job, total=sum(queryset.count() for queryset in querysets.values()))
    stamp = timezone.localdate().isoformat()
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for key, queryset in querysets.items():
                columns = export_columns(queryset.model)
                header = [str(column.label) for column in columns]
                rows = export_rows(queryset, columns)
                with archive.open(f"{STEMS[key]}-{stamp}.{file_format}", "w") as member:
                    write = _write_xlsx if file_format == "xlsx" else _write_csv
                    if file_format == "xlsx":
                        buffer = io.BytesIO()
                        write(buffer, header, rows, progress)
                        member.write(buffer.getvalue())
                    else:
                        write(member, header, rows, progress)
        spool.seek(0)
        job.message = _("%(count)s records") % {"count": job.done}
        job.result.save(f"klientela-export-{stamp}.zip", File(spool), save=False)


register_runner(JOB_KIND, run_export)
