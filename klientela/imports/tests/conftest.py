"""Import tests: reference lists, files kept in a temporary media folder, helpers to upload."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from klientela.customers.services import sync_reference_lists
from klientela.imports.services import batches


@pytest.fixture(autouse=True)
def reference_lists(db):
    sync_reference_lists()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, sheets=None) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Clients"
    for row in rows:
        workbook.active.append(row)
    for name, extra in (sheets or {}).items():
        sheet = workbook.create_sheet(name)
        for row in extra:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(actor, entity, content: bytes, name="clients.csv", *, mapping=None, **options):
    """Upload, optionally map and configure, run (eagerly, on commit); the finished import."""
    batch = batches.create_import(
        actor=actor, entity=entity, upload=ContentFile(content), filename=name
    )
    if mapping is not None or options:
        batches.configure_import(actor=actor, batch=batch, mapping=mapping, **options)
    batches.start_import(actor=actor, batch=batch)
    batch.refresh_from_db()
    return batch
