"""Imports over the API: upload a file with a mapping (column index or header -> field) and
poll the import until it is done."""

import json

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from .models import Import
from .services import batches

router = Router(tags=["Import"])


class ImportOut(Schema):
    id: int
    entity: str
    filename: str
    status: str
    headers: list[str]
    mapping: dict[str, str]
    rows: int
    created: int
    updated: int
    skipped: int
    failed: int
    progress_done: int
    progress_total: int
    job_status: str | None
    error: str
    error_report_url: str | None

    @staticmethod
    def resolve_progress_done(batch) -> int:
        return batch.job.done if batch.job else 0

    @staticmethod
    def resolve_progress_total(batch) -> int:
        return batch.job.total if batch.job else 0

    @staticmethod
    def resolve_job_status(batch) -> str | None:
        return batch.job.status if batch.job else None

    @staticmethod
    def resolve_error(batch) -> str:
        return batch.job.error if batch.job else ""

    @staticmethod
    def resolve_error_report_url(batch) -> str | None:
        if not batch.error_report:
            return None
        from django.urls import reverse

        return reverse("imports:error_report", args=[batch.pk])


def _mapping(batch: Import, text: str) -> dict[str, str] | None:
    if not text:
        return None
    try:
        given = json.loads(text)
    except ValueError:
        raise ValidationError({"mapping": [_("The mapping must be a JSON object.")]}) from None
    if not isinstance(given, dict):
        raise ValidationError({"mapping": [_("The mapping must be a JSON object.")]})
    headers = {header: str(index) for index, header in enumerate(batch.headers)}
    result = {}
    for column, field in given.items():
        index = headers.get(str(column), str(column))
        result[index] = str(field or "")
    return result


@router.post("/imports", response={201: ImportOut}, summary="Start an import")
def create_import(
    request,
    file: File[UploadedFile],
    entity: Form[str],
    mapping: Form[str] = "",
    region: Form[str] = "",
    duplicates: Form[str] = "",
    create_missing: Form[bool] = False,
    start: Form[bool] = True,
):
    """Upload a file; ``mapping`` is a JSON object from column header (or 0-based index) to
    field key; without it the suggested mapping is used. With ``start`` (default) the import
    runs as a background job at once; poll ``GET /imports/{id}``."""
    if entity not in batches.import_entities():
        raise ValidationError({"entity": [_("Nothing of this kind can be imported.")]})
    batch = batches.create_import(
        actor=request.auth, entity=entity, upload=file, filename=file.name or "upload.csv"
    )
    batches.configure_import(
        actor=request.auth,
        batch=batch,
        mapping=_mapping(batch, mapping),
        region=region or None,
        duplicates=duplicates or None,
        create_missing=create_missing,
    )
    if start:
        batches.start_import(actor=request.auth, batch=batch)
    batch = Import.objects.select_related("job").get(pk=batch.pk)
    return Status(201, batch)


@router.get("/imports/{int:import_id}", response=ImportOut, summary="An import and its progress")
def get_import(request, import_id: int):
    return get_object_or_404(
        batches.visible_imports(request.auth).select_related("job"), pk=import_id
    )


@router.post("/imports/{int:import_id}/undo", response=ImportOut, summary="Undo an import")
def undo_import(request, import_id: int):
    batch = get_object_or_404(batches.visible_imports(request.auth), pk=import_id)
    batches.undo_import(actor=request.auth, batch=batch)
    return Import.objects.select_related("job").get(pk=batch.pk)
