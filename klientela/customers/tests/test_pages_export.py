"""Export of the filtered list from the list pages: the permission, the scope, both formats."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from klientela.core.customfields.services import create_field_definition

from .apidata import cards

EXPORT = reverse("customers:organization_export")


@pytest.fixture
def given(company):
    create_field_definition(
        actor=None, entity="organization", key="employees", label="Employees", type="number"
    )
    found = cards(company)
    found["north"].custom = {"employees": 250}
    found["north"].save()
    return found


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_a_head_exports_the_rows_of_their_team_as_csv(client, company, given):
    client.force_login(company["n_head"])

    response = client.get(EXPORT, {"format": "csv"})

    rows = csv_rows(response)
    header = rows[0]
    names = sorted(row[header.index("Name")] for row in rows[1:])
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert names == ["Baltic Paper", "Severstal Trade LLC"]
    assert "Employees" in header
    by_name = {row[header.index("Name")]: row for row in rows[1:]}
    severstal = by_name["Severstal Trade LLC"]
    assert severstal[header.index("Employees")] == "250"
    # A leading "+" is kept from being read as a formula by spreadsheet programs.
    assert severstal[header.index("Phones")] == "'+7 495 123-45-67"


def test_the_export_follows_the_lists_filters(client, company, given):
    client.force_login(company["admin"])

    response = client.get(EXPORT, {"format": "csv", "q": "8 495 123 45 67", "sort": "name"})

    rows = csv_rows(response)
    assert [row[rows[0].index("Name")] for row in rows[1:]] == ["Severstal Trade LLC"]


def test_the_xlsx_file_reads_back_with_its_custom_columns(client, company, given):
    client.force_login(company["admin"])

    response = client.get(EXPORT, {"format": "xlsx"})

    rows = xlsx_rows(response)
    header = rows[0]
    by_name = {row[header.index("Name")]: row for row in rows[1:]}
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert set(by_name) == {"Baltic Paper", "Juzni trgovci", "Severstal Trade LLC"}
    assert by_name["Severstal Trade LLC"][header.index("Employees")] == 250
    assert by_name["Juzni trgovci"][header.index("Phones")] == "+386 1 234 56 78"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_manager_may_not_export(client, company, given, file_format):
    client.force_login(company["n_manager1"])

    assert client.get(EXPORT, {"format": file_format}).status_code == 403


def test_people_are_exported_too(client, company, given):
    client.force_login(company["n_head"])

    rows = csv_rows(client.get(reverse("customers:person_export"), {"format": "csv"}))

    assert [row[rows[0].index("Last name")] for row in rows[1:]] == ["Petrov"]


def test_an_unknown_format_is_refused(client, company, given):
    client.force_login(company["admin"])

    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
