"""An import from upload to undo.

``create_import`` keeps the file and suggests a mapping; ``preview`` shows the first rows as
they will be saved; ``start_import`` runs ``run_import`` as a background job. Each row is written
in its own savepoint through the customers services (their validation, custom-field rules and
audit entries), so a row lands whole or not at all; refused rows go to the error report (the
original cells plus a column saying why). ``undo_import`` removes the cards the import created
and gives updated cards their old values back, while the import is their last change.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.jobs.models import Job
from klientela.jobs.services import JobFailed, Progress, register_runner, start_job

from ..models import Import, ImportedRecord
from . import readers
from .entities import ImportEntity, get_entity, import_entities
from .rows import CHANNEL_MAIN, base_duplicates, clean_row
from .suggestions import remember_mapping, suggest_mapping
from .writer import ImportWriter

__all__ = ["clean_row", "import_entities"]

JOB_KIND = "import"
PREVIEW_ROWS = 10
CHUNK_ROWS = 1000


def may_import(user, entity: ImportEntity) -> bool:
    if entity.permitted is not None:
        return entity.permitted(user)
    return access.can(user, access.Action.IMPORT, entity.model)


def require_import(actor, entity: ImportEntity) -> None:
    if actor is not None and not may_import(actor, entity):
        raise PermissionDenied(_("You do not have permission to import these records."))


def importable_entities(user) -> list[ImportEntity]:
    return [entity for entity in import_entities().values() if may_import(user, entity)]


def visible_imports(user):
    return Import.objects.filter(owner=user) if user.is_authenticated else Import.objects.none()


# ---------------------------------------------------------------- upload and mapping


@transaction.atomic
def create_import(*, actor, entity: str, upload: File, filename: str) -> Import:
    spec = get_entity(entity)
    require_import(actor, spec)
    readers.file_kind(filename)  # refuses other types early
    batch = Import(owner=actor, entity=entity, filename=Path(filename).name[:255])
    batch.file.save(Path(filename).name, upload, save=False)
    sheets = readers.sheet_names(batch.file.path, filename)
    batch.sheet = sheets[0] if sheets else ""
    _read_headers(batch, spec)
    batch.save()
    return batch


def _read_headers(batch: Import, spec: ImportEntity) -> None:
    table = readers.read_table(batch.file.path, batch.filename, batch.sheet)
    batch.headers = table.headers
    batch.mapping = suggest_mapping(spec, table.headers)


def sheets_of(batch: Import) -> list[str]:
    return readers.sheet_names(batch.file.path, batch.filename)


@transaction.atomic
def configure_import(
    *,
    actor,
    batch: Import,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    region: str | None = None,
    duplicates: str | None = None,
    create_missing: bool | None = None,
    row_decisions: dict[str, str] | None = None,
) -> Import:
    spec = get_entity(batch.entity)
    require_import(actor, spec)
    if batch.status != Import.Status.DRAFT:
        raise ValidationError(_("This import has already run."))
    if sheet is not None and sheet != batch.sheet and sheet in sheets_of(batch):
        batch.sheet = sheet
        _read_headers(batch, spec)
    if mapping is not None:
        known = {item.key for item in spec.all_fields()}
        batch.mapping = {
            str(index): key
            for index, key in mapping.items()
            if key in known and str(index).isdigit() and int(index) < len(batch.headers)
        }
    if region:
        batch.region = region.upper()[:2]
    if duplicates in Import.Duplicates.values:
        batch.duplicates = duplicates
    if create_missing is not None:
        batch.create_missing = create_missing
    if row_decisions is not None:
        batch.row_decisions = {
            str(row): decision
            for row, decision in row_decisions.items()
            if decision in Import.Duplicates.values
        }
    batch.save()
    return batch


# ---------------------------------------------------------------- preview


@dataclass
class PreviewRow:
    number: int
    values: list[tuple[str, str]]
    errors: list[tuple[str, str]]
    duplicates: list
    decision: str


def preview(*, actor, batch: Import, limit: int = PREVIEW_ROWS) -> list[PreviewRow]:
    spec = get_entity(batch.entity)
    require_import(actor, spec)
    table = readers.read_table(batch.file.path, batch.filename, batch.sheet)
    labels = {item.key: str(item.label) for item in spec.all_fields()}
    shown: list[PreviewRow] = []
    with transaction.atomic():
        # Creating missing list values is only tried here; the savepoint throws them away.
        savepoint = transaction.savepoint()
        for number, cells in enumerate(table.rows, start=2):
            if cells is None:
                continue
            row = clean_row(batch, spec, number, cells, actor=actor)
            values = []
            for key, value in row.data.items():
                if key in CHANNEL_MAIN:
                    value = ", ".join(
                        item[CHANNEL_MAIN[key]]
                        + (f" ext. {item['extension']}" if item.get("extension") else "")
                        for item in value
                    )
                elif key == "custom":
                    for custom_key, custom_value in value.items():
                        values.append(
                            (labels.get(f"custom.{custom_key}", custom_key), str(custom_value))
                        )
                    continue
                values.append((labels.get(key, key), str(value)))
            if row.organization:
                values.append((labels.get("organization", ""), row.organization))
            found = [] if row.errors else base_duplicates(spec, row.data, actor)
            shown.append(
                PreviewRow(
                    number=number,
                    values=values,
                    errors=row.errors,
                    duplicates=found,
                    decision=batch.row_decisions.get(str(number), batch.duplicates),
                )
            )
            if len(shown) >= limit:
                break
        transaction.savepoint_rollback(savepoint)
    return shown


# ---------------------------------------------------------------- running


@transaction.atomic
def start_import(*, actor, batch: Import) -> Job:
    spec = get_entity(batch.entity)
    require_import(actor, spec)
    if batch.status != Import.Status.DRAFT:
        raise ValidationError(_("This import has already run."))
    if not batch.mapping:
        raise ValidationError(_("Map at least one column to a field."))
    remember_mapping(spec, batch.headers, batch.mapping)
    batch.status = Import.Status.RUNNING
    batch.job = start_job(
        actor=actor,
        kind=JOB_KIND,
        title=_("Import of %(file)s") % {"file": batch.filename},
        params={"import_id": batch.pk, "link": reverse("imports:detail", args=[batch.pk])},
    )
    batch.save(update_fields=["status", "job"])
    return batch.job


def _count_rows(batch: Import) -> int:
    """Lines of a CSV file (for the progress bar); 0 (unknown) for spreadsheets."""
    if readers.file_kind(batch.filename) != "csv":
        return 0
    count = 0
    with open(batch.file.path, "rb") as handle:
        while data := handle.read(1 << 20):
            count += data.count(b"\n")
    return max(count - 1, 0)


def _chunks(rows, size: int):
    chunk = []
    for number, cells in enumerate(rows, start=2):
        if cells is None:
            continue
        chunk.append((number, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_import(job: Job) -> None:
    """The job runner: the file's rows in chunks, with progress on the job."""
    batch = Import.objects.select_related("owner").get(pk=job.params["import_id"])
    spec = get_entity(batch.entity)
    actor = batch.owner
    try:
        require_import(actor, spec)
        table = readers.read_table(batch.file.path, batch.filename, batch.sheet)
    except (PermissionDenied, readers.UnreadableFile) as error:
        Import.objects.filter(pk=batch.pk).update(status=Import.Status.FAILED)
        raise JobFailed(str(error)) from error
    progress = Progress(job, total=_count_rows(batch))
    writer = ImportWriter(batch, spec, actor)
    counts = writer.counts
    try:
        with _long_lived_objects_frozen():
            _write_chunks(writer, table, progress, job)
    except Exception:
        Import.objects.filter(pk=batch.pk).update(status=Import.Status.FAILED)
        raise
    rows = writer.rows
    batch.rows = rows
    batch.created = counts["created"]
    batch.updated = counts["updated"] + counts["merged"]
    batch.skipped = counts["skipped"]
    batch.failed = counts["failed"]
    batch.status = Import.Status.DONE
    batch.finished_at = timezone.now()
    if writer.failed_rows:
        batch.error_report.save(
            f"{Path(batch.filename).stem}-errors.xlsx",
            ContentFile(error_report(batch.headers, writer.failed_rows)),
            save=False,
        )
        job.result.name = batch.error_report.name
    batch.save()
    job.total = job.done = rows
    progress.save(force=True)


def _write_chunks(writer: ImportWriter, table, progress: Progress, job: Job) -> None:
    counts = writer.counts
    for chunk in _chunks(table.rows, CHUNK_ROWS):
        writer.write(chunk)
        job.total = max(job.total, writer.rows)
        message = _("%(created)s created, %(updated)s updated, %(failed)s with errors") % {
            "created": counts["created"],
            "updated": counts["updated"] + counts["merged"],
            "failed": counts["failed"],
        }
        progress.advance(len(chunk), message=message)


@contextmanager
def _long_lived_objects_frozen():
    """Python's collector would scan every object of the process again and again while a big
    file's rows come and go (an eighth of an import's time); what exists before the import
    lives on anyway, so it is left out of those scans until the import ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


register_runner(JOB_KIND, run_import)


# ---------------------------------------------------------------- error report

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _report_cell(worksheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)[:32000]
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # the file's text, never a formula
    return cell


def error_report(headers: list[str], rows: list[tuple[int, list, str]]) -> bytes:
    """The refused rows as they were, plus the row number and what was wrong."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    sheet.append([_report_cell(sheet, value) for value in [*headers, _("Row"), _("Error")]])
    for number, cells, message in rows:
        sheet.append([_report_cell(sheet, value) for value in [*cells, number, message]])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ---------------------------------------------------------------- undo


def undo_blockers(batch: Import) -> list[str]:
    """Cards changed after the import (then undo would lose that change)."""
    blockers = []
    for entry in batch.records.all():
        model = get_entity(entry.entity).model
        record = model.objects.filter(pk=entry.object_id).only("updated_at").first()
        if record is not None and record.updated_at > entry.changed_at:
            blockers.append(str(model.objects.get(pk=entry.object_id)))
    return blockers


def can_undo(batch: Import) -> bool:
    return batch.status == Import.Status.DONE and batch.records.exists()


@transaction.atomic
def undo_import(*, actor, batch: Import) -> int:
    """Remove what the import created and restore what it updated; returns the cards touched."""
    if actor is not None and actor.pk != batch.owner_id:
        raise PermissionDenied(_("Only who ran the import may undo it."))
    if not can_undo(batch):
        raise ValidationError(_("This import cannot be undone."))
    blockers = undo_blockers(batch)
    if blockers:
        raise ValidationError(
            _("These cards were changed after the import: %(cards)s")
            % {"cards": ", ".join(blockers[:10])}
        )
    touched = 0
    for entry in batch.records.order_by("-pk"):
        spec = get_entity(entry.entity)
        record = spec.model.objects.filter(pk=entry.object_id).first()
        if record is None:
            continue
        if entry.action == ImportedRecord.Action.CREATED:
            spec.delete(actor=actor, record=record)
        else:
            restore = dict(entry.before)
            spec.update(actor=actor, record=record, data=restore)
        touched += 1
    batch.status = Import.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    return touched
