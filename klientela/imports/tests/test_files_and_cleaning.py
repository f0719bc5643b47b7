"""Reading real files (encodings, delimiters, sheets), suggestions and cleaning per country."""

import datetime

import pytest
from django.core.files.base import ContentFile

from klientela.core.customfields.services import create_field_definition
from klientela.imports.services import batches, cleaning, readers
from klientela.imports.services.entities import get_entity
from klientela.imports.services.suggestions import remember_mapping, suggest_mapping

from .conftest import csv_bytes, ods_bytes, xlsx_bytes

ROWS = [["Фамилия", "Имя", "Телефон"], ["Щукин", "Пётр", "+7 495 123-45-67"]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ";"),
        ("cp1251", ";"),
        ("utf-16", "\t"),
        ("utf-16-le", ","),
    ],
)
def test_csv_in_each_encoding_and_delimiter(tmp_path, encoding, delimiter):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(ROWS, delimiter=delimiter, encoding=encoding))
    table = readers.read_table(path, "people.csv")
    assert table.headers == ROWS[0]
    assert list(table.rows) == [ROWS[1]]


def test_hand_written_windows_1251_file(tmp_path):
    path = tmp_path / "1c.csv"
    path.write_bytes("Наименование;ИНН\r\nФирма «Ромашка»;7701234567\r\n".encode("cp1251"))  # noqa: RUF001
    table = readers.read_table(path, "1c.csv")
    assert table.headers == ["Наименование", "ИНН"]
    assert list(table.rows) == [["Фирма «Ромашка»", "7701234567"]]


def test_xlsx_sheets_and_blank_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [["Name", "Phone"], ["Ann Lee", 2025550143], [None, None], ["Bo", "x"]],
            sheets={"Other": [["Company"], ["Acme"]]},
        )
    )
    assert readers.sheet_names(path, "book.xlsx") == ["Clients", "Other"]
    table = readers.read_table(path, "book.xlsx")
    assert list(table.rows) == [["Ann Lee", 2025550143], None, ["Bo", "x"]]
    assert readers.read_table(path, "book.xlsx", "Other").headers == ["Company"]


def test_ods_sheets_cells_and_blank_rows(tmp_path):
    path = tmp_path / "book.ods"
    born = datetime.date(1990, 5, 17)
    path.write_bytes(
        ods_bytes(
            {
                "Klienci": [
                    ["Imię", "Telefon", "Urodziny"],
                    ["Anna Nowak", "601 234 567", born],
                    [None, None, None],
                    ["Jan & Co <sp>", 48601234568, None],
                ],
                "Inne": [["Firma"], ["Polbud"]],
            }
        )
    )
    assert readers.sheet_names(path, "book.ods") == ["Klienci", "Inne"]
    table = readers.read_table(path, "book.ods")
    assert table.headers == ["Imię", "Telefon", "Urodziny"]
    rows = list(table.rows)
    assert rows[0][:2] == ["Anna Nowak", "601 234 567"]
    assert rows[0][2] in (born, datetime.datetime(1990, 5, 17))
    assert rows[1] is None
    assert rows[2][0] == "Jan & Co <sp>" and int(rows[2][1]) == 48601234568
    assert readers.read_table(path, "book.ods", "Inne").headers == ["Firma"]


def test_a_broken_ods_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "book.ods"
    path.write_bytes(b"PK not really a zip")
    with pytest.raises(readers.UnreadableFile, match="ODS"):
        list(readers.read_table(path, "book.ods").rows)


def test_unknown_file_type_is_refused():
    with pytest.raises(readers.UnreadableFile):
        readers.file_kind("clients.pdf")


@pytest.mark.django_db
def test_suggestions_in_four_languages_and_remembered(db):
    people = get_entity("person")
    headers = ["ФИО", "Telefon", "E-pošta", "Stanowisko", "Firma", "Mobile phone 2", "Whatever"]
    assert suggest_mapping(people, headers) == {
        "0": "full_name",
        "1": "phones",
        "2": "emails",
        "3": "position",
        "4": "organization",
        "5": "phones",
    }
    remember_mapping(people, headers, {"6": "description"})
    assert suggest_mapping(people, headers)["6"] == "description"
    organizations = get_entity("organization")
    assert suggest_mapping(organizations, ["Наименование", "ИНН", "NIP", "Davčna številka"]) == {
        "0": "legal_name",
        "1": "tax_number",
    }


@pytest.mark.django_db
def test_custom_fields_are_fields_to_map(db):
    create_field_definition(
        actor=None, entity="organization", key="revenue", label="Annual revenue", type="money"
    )
    spec = get_entity("organization")
    assert "custom.revenue" in {field.key for field in spec.all_fields()}
    assert suggest_mapping(spec, ["Annual revenue"]) == {"0": "custom.revenue"}


@pytest.mark.parametrize(
    ("raw", "region", "e164", "extension"),
    [
        ("8 (495) 123-45-67", "RU", "+74951234567", ""),
        ("+7 912 345 67 89 доб. 123", "RU", "+79123456789", "123"),
        ("601 234 567", "PL", "+48601234567", ""),
        ("+48 (22) 123-45-67 wewn. 12", "PL", "+48221234567", "12"),
        ("041 123 456", "SI", "+38641123456", ""),
        ("(01) 234 56 78", "SI", "+38612345678", ""),
        ("(202) 555-0143 ext. 7", "US", "+12025550143", "7"),
        ("2025550143", "US", "+12025550143", ""),
        ("030 1234567", "DE", "+49301234567", ""),
        ("0171/1234567", "DE", "+491711234567", ""),
    ],
)
def test_phone_cleaning_per_country(raw, region, e164, extension):
    item = cleaning.phone(raw, region)
    assert item["number"] == e164
    assert item.get("extension", "") == extension


def test_phone_numbers_from_excel_numbers_and_several_in_one_cell():
    assert cleaning.phones(2025550143.0, "US") == [{"number": "+12025550143"}]
    assert [item["number"] for item in cleaning.phones("601234567, 602 345 678", "PL")] == [
        "+48601234567",
        "+48602345678",
    ]
    with pytest.raises(cleaning.CellError):
        cleaning.phone("12", "RU")


def test_names_dates_numbers_emails_websites():
    assert cleaning.split_name("ПЕТРОВ пётр ИВАНОВИЧ") == {
        "last_name": "Петров",
        "first_name": "Пётр",
        "middle_name": "Иванович",
    }
    assert cleaning.split_name("jan van der berg") == {
        "first_name": "Jan",
        "middle_name": "Van Der",
        "last_name": "Berg",
    }
    assert cleaning.split_name("Mary McDonald") == {"first_name": "Mary", "last_name": "McDonald"}
    assert cleaning.date("31.12.1980", "RU") == datetime.date(1980, 12, 31)
    assert cleaning.date("12/31/1980", "US") == datetime.date(1980, 12, 31)
    assert cleaning.date(datetime.datetime(1980, 1, 2, 0, 0), "PL") == datetime.date(1980, 1, 2)
    with pytest.raises(cleaning.CellError):
        cleaning.date("soon", "SI")
    assert cleaning.number("1 234,56") == "1234.56"
    assert cleaning.number("1.234,56") == "1234.56"
    assert cleaning.number("1,234.56") == "1234.56"
    assert cleaning.email(" Ann@Example.COM ") == [{"address": "ann@example.com"}]
    with pytest.raises(cleaning.CellError):
        cleaning.email("ann@")
    assert cleaning.website("Example.com/about") == [{"url": "https://example.com/about"}]
    with pytest.raises(cleaning.CellError):
        cleaning.website("not a site")
    assert cleaning.text("a\x00b\x07  c") == "a b c"


@pytest.mark.django_db
def test_reference_values_matched_by_label_or_created(company):
    from klientela.customers.services import sync_reference_lists

    sync_reference_lists()
    from klientela.core.models import ReferenceItem

    item = ReferenceItem.objects.filter(reference_list__key="sources").first()
    assert cleaning.reference("sources", item.label.upper(), create_missing=False, actor=None) == (
        item.key
    )
    with pytest.raises(cleaning.CellError):
        cleaning.reference("sources", "Carrier pigeon", create_missing=False, actor=None)
    with pytest.raises(cleaning.CellError):  # only administrators add list values
        cleaning.reference(
            "sources", "Carrier pigeon", create_missing=True, actor=company["n_head"]
        )
    key = cleaning.reference(
        "sources", "Carrier pigeon", create_missing=True, actor=company["admin"]
    )
    assert ReferenceItem.objects.get(reference_list__key="sources", key=key).label == (
        "Carrier pigeon"
    )


@pytest.mark.django_db
def test_preview_shows_cleaned_values_and_changes_nothing(company):
    head = company["n_head"]
    content = csv_bytes([["Name", "Phone", "Company"], ["anna KOS", "041 123 456", "Acme"]])
    batch = batches.create_import(
        actor=head, entity="person", upload=ContentFile(content), filename="p.csv"
    )
    batches.configure_import(actor=head, batch=batch, region="SI")
    [row] = batches.preview(actor=head, batch=batch)
    values = dict(row.values)
    assert values["First name"] == "Anna" and values["Last name"] == "Kos"
    assert values["Phone"] == "+38641123456"
    from klientela.customers.models import Organization, Person

    assert not Person.objects.exists() and not Organization.objects.exists()
