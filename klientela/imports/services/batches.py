"""An import from upload to undo.

``create_import`` keeps the file and suggests a mapping; ``preview`` shows the first rows as
they will be saved; ``start_import`` runs ``run_import`` as a background job. Each row is written
in its own savepoint through the customers services (their validation, custom-field rules and
audit entries), so a row lands whole or not at all; refused rows go to the error report (the
original cells plus a column saying why). ``undo_import`` removes the cards the import created
and gives updated cards their old values back, while the import is their last change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.customers.models import Organization
from klientela.customers.services.common import normalize_tax_number
from klientela.customers.services.duplicates import core_name, find_duplicates
from klientela.customers.services.organizations import create_organization
from klientela.jobs.models import Job
from klientela.jobs.services import JobFailed, Progress, register_runner, start_job

from ..models import Import, ImportedRecord
from . import cleaning, readers
from .entities import ImportEntity, get_entity, import_entities

__all__ = ["import_entities"]
from .suggestions import remember_mapping, suggest_mapping

JOB_KIND = "import"
PREVIEW_ROWS = 10
CHANNEL_MAIN = {"phones": "number", "emails": "address", "websites": "url"}


def require_import(actor, entity: ImportEntity) -> None:
    if actor is not None and not access.can(actor, access.Action.IMPORT, entity.model):
        raise PermissionDenied(_("You do not have permission to import these records."))


def importable_entities(user) -> list[ImportEntity]:
    return [
        entity
        for entity in import_entities().values()
        if access.can(user, access.Action.IMPORT, entity.model)
    ]


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


# ---------------------------------------------------------------- cleaning rows


@dataclass
class CleanRow:
    number: int
    cells: list
    data: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    organization: str = ""


def clean_row(batch: Import, spec: ImportEntity, number: int, cells: list, *, actor) -> CleanRow:
    fields = {item.key: item for item in spec.all_fields()}
    row = CleanRow(number=number, cells=cells)
    data = row.data
    for index, key in batch.mapping.items():
        item = fields.get(key)
        position = int(index)
        if item is None or position >= len(cells):
            continue
        value = cells[position]
        column = batch.headers[position]
        try:
            _clean_cell(batch, item, value, data, row, actor=actor)
        except cleaning.CellError as error:
            row.errors.append((column, str(error)))
    return row


def _clean_cell(batch, item, value, data: dict, row: CleanRow, *, actor) -> None:
    kind = item.kind
    if kind == "phone":
        data.setdefault("phones", []).extend(cleaning.phones(value, batch.region))
    elif kind == "email":
        data.setdefault("emails", []).extend(cleaning.email(value))
    elif kind == "website":
        data.setdefault("websites", []).extend(cleaning.website(value))
    elif kind == "name":
        for part, text in cleaning.split_name(cleaning.text(value)).items():
            data.setdefault(part, text)
    elif kind == "date":
        day = cleaning.date(value, batch.region)
        if day is not None:
            data[item.key] = day
    elif kind == "reference":
        key = cleaning.reference(
            item.list_key, value, create_missing=batch.create_missing, actor=actor
        )
        if key is not None:
            data[item.key] = key
    elif kind == "address":
        part = cleaning.text(value)
        if part:
            data.setdefault("addresses", [{}])[0][item.list_key] = part
    elif kind == "organization":
        row.organization = cleaning.text(value)
    elif kind == "custom":
        if isinstance(value, int | float) and not isinstance(value, bool):
            cleaned = value
        else:
            cleaned = cleaning.text(value)
        if cleaned != "":
            data.setdefault("custom", {})[item.key.split(".", 1)[1]] = cleaned
    else:
        text = cleaning.text(value)
        if item.key in ("first_name", "middle_name", "last_name"):
            text = " ".join(cleaning.capitalize(word) for word in text.split())
        if text:
            data[item.key] = f"{data[item.key]} {text}" if data.get(item.key) else text


# ---------------------------------------------------------------- duplicates


def file_keys(spec: ImportEntity, data: dict) -> set[str]:
    """What makes two rows of one file the same client."""
    keys = {f"phone:{item['number']}" for item in data.get("phones", [])}
    keys |= {f"email:{item['address']}" for item in data.get("emails", [])}
    if data.get("tax_number"):
        keys.add(f"tax:{normalize_tax_number(data['tax_number'])}")
    if spec.key == "organization" and data.get("legal_name"):
        keys.add(f"name:{core_name(data['legal_name'])}")
    elif data.get("last_name") or data.get("first_name"):
        name = core_name(" ".join(data.get(part, "") for part in ("first_name", "last_name")))
        if not keys and name:
            keys.add(f"name:{name}")
    return {key for key in keys if not key.endswith(":")}


def merged_update(spec: ImportEntity, record, data: dict) -> dict:
    """The update arguments that add the row to ``record``: channels and links are added to
    the card's own, fields given replace the card's, custom values are merged."""
    changes = {key: value for key, value in data.items() if key not in CHANNEL_MAIN}
    for channel, main in CHANNEL_MAIN.items():
        new = data.get(channel) or []
        if not new:
            continue
        existing = list(getattr(record, channel).all())
        values = {_channel_value(channel, item) for item in existing}
        items = [{"id": item.pk} for item in existing]
        for item in new:
            if item[main] not in values:
                values.add(item[main])
                items.append(item)
        changes[channel] = items
    if "addresses" in changes and record.addresses.exists():
        del changes["addresses"]
    if "custom" in data:
        changes["custom"] = {**(record.custom or {}), **data["custom"]}
    if "memberships" in data:
        current = [
            {
                "organization": link.organization_id,
                "role": link.role.key if link.role_id else None,
                "position": link.position,
                "is_primary": link.is_primary,
            }
            for link in record.memberships.select_related("role")
        ]
        pairs = {(item["organization"], item["role"]) for item in current}
        for item in data["memberships"]:
            organization = getattr(item["organization"], "pk", item["organization"])
            if (organization, item.get("role")) not in pairs:
                current.append({**item, "organization": organization})
        changes["memberships"] = current
    return changes


def _channel_value(channel: str, item) -> str:
    if channel == "phones":
        return item.e164 or item.raw
    return item.address if channel == "emails" else item.url


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
            found = [] if row.errors else _base_duplicates(spec, row.data, actor)
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


def _base_duplicates(spec: ImportEntity, data: dict, actor) -> list:
    probe = {key: value for key, value in data.items() if key != "custom"}
    candidates = find_duplicates(entity=spec.key, data=probe, user=actor)
    return [candidate for candidate in candidates if candidate.is_visible]


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
    path = batch.file.path
    if readers.file_kind(batch.filename) == "csv":
        with open(path, "rb") as handle:
            data = handle.read(1 << 20)
            count = 0
            while data:
                count += data.count(b"\n")
                data = handle.read(1 << 20)
        return max(count - 1, 0)
    return 0


class _Writer:
    """Runs the rows of one import; keeps what the file itself already created."""

    def __init__(self, batch: Import, spec: ImportEntity, actor):
        self.batch = batch
        self.spec = spec
        self.actor = actor
        self.by_key: dict[str, int] = {}
        self.records: dict[int, ImportedRecord] = {}
        self.organizations: dict[str, Organization] = {}
        self.failed_rows: list[tuple[int, list, str]] = []

    def _row(self, number: int, cells: list) -> str:
        """``created`` / ``updated`` / ``skipped`` / ``failed``."""
        batch, spec = self.batch, self.spec
        row = clean_row(batch, spec, number, cells, actor=self.actor)
        self.current = row
        if row.errors:
            return self._fail(row, row.errors)
        decision = batch.row_decisions.get(str(number), batch.duplicates)
        # What this row adds to the caches goes away with its savepoint when it fails.
        saved = (dict(self.by_key), dict(self.records), dict(self.organizations))
        try:
            with transaction.atomic():
                if row.organization:
                    organization = self._organization(row.organization)
                    link = {"organization": organization}
                    if row.data.get("role"):
                        link["role"] = row.data["role"]
                    row.data["memberships"] = [link]
                row.data.pop("role", None)
                if spec.key == "person" and not (
                    row.data.get("first_name") or row.data.get("last_name")
                ):
                    raise ValidationError({"last_name": [_("Give a first or a last name.")]})
                return self._write(row, decision)
        except (ValidationError, PermissionDenied, DatabaseError):
            self.by_key, self.records, self.organizations = saved
            raise

    def row(self, number: int, cells: list) -> str:
        try:
            return self._row(number, cells)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            problems = [
                (self._column(key), f"{message}")
                for key, values in messages.items()
                for message in values
            ]
            return self._fail(self.current, problems)
        except PermissionDenied as error:
            return self._fail(self.current, [("", str(error) or _("Not allowed."))])
        except DatabaseError as error:
            message = _("The database refused the row: %(error)s") % {"error": str(error)[:200]}
            return self._fail(self.current, [("", message)])

    def _column(self, key: str) -> str:
        root = key.split(".", 1)[0]
        if root == "custom":
            root = ".".join(key.split(".", 2)[:2])
        for index, field_key in self.batch.mapping.items():
            if (
                field_key == root
                or (root in ("first_name", "last_name") and field_key == "full_name")
                or (root == "memberships" and field_key == "organization")
            ):
                return self.batch.headers[int(index)]
        return ""

    def _organization(self, name: str) -> Organization:
        key = core_name(name) or name.casefold()
        if key in self.organizations:
            return self.organizations[key]
        found = (
            Organization.objects.visible_to(self.actor)
            .filter(name__iexact=name)
            .order_by("pk")
            .first()
            if self.actor is not None
            else Organization.objects.filter(name__iexact=name).order_by("pk").first()
        )
        if found is None:
            found = create_organization(actor=self.actor, legal_name=name)
            self._remember(found, "organization", ImportedRecord.Action.CREATED, {})
        self.organizations[key] = found
        return found

    def _write(self, row: CleanRow, decision: str) -> str:
        spec = self.spec
        keys = file_keys(spec, row.data)
        same_in_file = {self.by_key[key] for key in keys if key in self.by_key}
        record = None
        if same_in_file and decision != Import.Duplicates.CREATE:
            record = spec.model.objects.get(pk=min(same_in_file))
        elif decision != Import.Duplicates.CREATE:
            found = _base_duplicates(spec, row.data, self.actor)
            if found:
                if decision == Import.Duplicates.SKIP:
                    return "skipped"
                record = found[0].record
        if record is None:
            record = spec.create(actor=self.actor, data=row.data)
            self._remember(record, spec.key, ImportedRecord.Action.CREATED, {})
            outcome = "created"
        else:
            before = spec.snapshot(record)
            spec.update(actor=self.actor, record=record, data=merged_update(spec, record, row.data))
            self._remember(record, spec.key, ImportedRecord.Action.UPDATED, before)
            outcome = "updated" if not same_in_file else "merged"
        for key in keys:
            self.by_key.setdefault(key, record.pk)
        return outcome

    def _remember(self, record, entity: str, action: str, before: dict) -> None:
        record.refresh_from_db(fields=["updated_at"])
        key = (entity, record.pk)
        known = self.records.get(key)
        if known is not None:
            known.changed_at = record.updated_at
            known.save(update_fields=["changed_at"])
            return
        self.records[key] = ImportedRecord.objects.create(
            batch=self.batch,
            entity=entity,
            object_id=record.pk,
            action=action,
            before=before,
            changed_at=record.updated_at,
        )

    def _fail(self, row: CleanRow, problems: list[tuple[str, str]]) -> str:
        text = "; ".join(
            f"{column}: {message}" if column else message for column, message in problems
        )
        self.failed_rows.append((row.number, row.cells, text))
        return "failed"


def run_import(job: Job) -> None:
    """The job runner: every row of the file, with progress on the job."""
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
    writer = _Writer(batch, spec, actor)
    counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0, "merged": 0}
    rows = 0
    try:
        for number, cells in enumerate(table.rows, start=2):
            if cells is None:
                continue
            rows += 1
            outcome = writer.row(number, cells)
            counts[outcome] += 1
            job.message = _("%(created)s created, %(updated)s updated, %(failed)s with errors") % {
                "created": counts["created"],
                "updated": counts["updated"] + counts["merged"],
                "failed": counts["failed"],
            }
            if job.total < rows:
                job.total = rows
            progress.advance()
    except Exception:
        Import.objects.filter(pk=batch.pk).update(status=Import.Status.FAILED)
        raise
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
