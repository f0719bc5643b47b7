"""A head of sales moves an old spreadsheet in: upload, check the suggested columns, preview,
import with a live progress bar, download the report of refused rows, then undo it all."""

import io

import openpyxl
import pytest
from django.db import connection
from playwright.sync_api import expect

from klientela.customers.models import Person
from klientela.customers.services import sync_reference_lists

from .conftest import PHONE, screenshot, sign_in

pytestmark = pytest.mark.e2e


def spreadsheet(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", "Телефон", "E-mail", "Компания"])
    for number in range(40):
        sheet.append([f"Иванов{number} Иван", f"8 (912) 345-{number:02d}-67", "", "Ромашка"])
    sheet.append(["Петров Пётр", "не телефон", "petrov@", ""])
    path = tmp_path / "clients.xlsx"
    workbook.save(path)
    return path


def test_import_journey(page, open_page, company, tmp_path, settings):
    # On PostgreSQL the job runs in a thread beside the requests, as in the embedded setup, and
    # the bar moves while the page polls; SQLite's shared in-memory test database locks whole
    # tables, so there the job runs inside the request and the page opens on the finished bar.
    settings.JOBS_IN_THREAD = connection.vendor == "postgresql"
    sync_reference_lists()
    sign_in(page, company["n_head"])
    page.goto("/imports/")
    page.get_by_label("What is in the file").select_option("person")
    page.get_by_label("File (XLSX, ODS or CSV)").set_input_files(str(spreadsheet(tmp_path)))
    screenshot(page, "import-upload")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_label("ФИО")).to_have_value("full_name")
    expect(page.get_by_label("Телефон")).to_have_value("phones")
    expect(page.get_by_label("Компания")).to_have_value("organization")
    page.get_by_label("Default country of phone numbers").select_option("RU")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("+79123450067")
    expect(preview).to_contain_text("Иванов0")  # noqa: RUF001
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Start the import").click()
    expect(page.locator(".job-progress")).to_be_visible()
    summary = page.locator(".import-summary")
    expect(summary).to_have_attribute("data-status", "done", timeout=30_000)
    expect(page.locator("[data-count=created]")).to_have_text("40")
    expect(page.locator("[data-count=failed]")).to_have_text("1")
    screenshot(page, "import-done")
    assert Person.objects.count() == 40

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report").click()
    with open(download.value.path(), "rb") as handle:
        report = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[1][0] == "Петров Пётр" and "Телефон" in rows[1][-1]

    phone = open_page(PHONE)
    sign_in(phone, company["n_head"])
    phone.goto(page.url)
    expect(phone.locator(".import-summary")).to_be_visible()
    screenshot(phone, "import-done-phone")

    page.get_by_role("button", name="Undo the import").click()
    expect(page.locator(".import-summary")).to_have_attribute("data-status", "undone")
    assert not Person.objects.exists()
