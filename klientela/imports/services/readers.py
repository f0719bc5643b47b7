"""Reading uploaded tables row by row: XLSX (openpyxl read-only, streaming), ODS (calamine; a
sheet is read whole, which OpenDocument's layout requires) and CSV (encoding and delimiter
detected). Cells come back as they are (text, numbers, dates); cleaning is elsewhere.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

SAMPLE_BYTES = 64 * 1024


class UnreadableFile(Exception):
    pass


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".ods":
        return "ods"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    raise UnreadableFile(_("Upload an XLSX, ODS or CSV file."))


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or many zero bytes) or Windows-1251."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4:
        # UTF-16 without a BOM: the high byte of Latin and Cyrillic letters is 0x00 or 0x04.
        high = {0, 4}
        odd = sum(byte in high for byte in sample[1::2]) / len(sample[1::2])
        even = sum(byte in high for byte in sample[0::2]) / len(sample[0::2])
        if odd > 0.7 and even < 0.3:
            return "utf-16-le"
        if even > 0.7 and odd < 0.3:
            return "utf-16-be"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample may end in the middle of a character.
        if error.start < len(sample) - 3:
            return "cp1251"
    return "utf-8"


def _sniff(text: str) -> csv.Dialect | type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(text, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list]  # lists of cells; row numbers start at 2 (1 is the header)


def sheet_names(path: str | Path, name: str) -> list[str]:
    kind = file_kind(name)
    if kind == "ods":
        workbook = _ods_workbook(path)
        try:
            return list(workbook.sheet_names)
        finally:
            workbook.close()
    if kind != "xlsx":
        return []
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception as error:
        raise UnreadableFile(_("The file cannot be read as XLSX.")) from error
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _headers(first: list) -> list[str]:
    headers = []
    for index, cell in enumerate(first):
        text = "" if cell is None else str(cell).strip()
        headers.append(text or _("Column %(number)s") % {"number": index + 1})
    return headers


def read_table(path: str | Path, name: str, sheet: str = "") -> Table:
    kind = file_kind(name)
    readers = {"xlsx": _xlsx_rows, "ods": _ods_rows}
    rows = readers[kind](path, sheet) if kind in readers else _csv_rows(path)
    try:
        first = next(rows)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    headers = _headers(first)
    width = len(headers)

    def data() -> Iterator[list]:
        for row in rows:
            row = list(row)[:width]
            if all(cell is None or str(cell).strip() == "" for cell in row):
                yield None  # keeps row numbers right
                continue
            yield row + [None] * (width - len(row))

    return Table(headers=headers, rows=data())


def _xlsx_rows(path, sheet: str) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(_("The file cannot be read as XLSX.")) from error
    try:
        worksheet = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
    except IndexError:
        workbook.close()
        raise UnreadableFile(_("The file has no sheets.")) from None

    def rows():
        try:
            for row in worksheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()

    return rows()


def _ods_workbook(path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise UnreadableFile(_("The file cannot be read as ODS.")) from error


def _ods_rows(path, sheet: str) -> Iterator[list]:
    workbook = _ods_workbook(path)
    try:
        names = workbook.sheet_names
        if not names:
            raise UnreadableFile(_("The file has no sheets."))
        worksheet = workbook.get_sheet_by_name(sheet if sheet in names else names[0])
        # calamine gives "" for an empty cell; the other readers give None.
        table = [[None if cell == "" else cell for cell in row] for row in worksheet.to_python()]
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(_("The file cannot be read as ODS.")) from error
    finally:
        workbook.close()
    return iter(table)


def _csv_rows(path) -> Iterator[list]:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    dialect = _sniff(text_sample[: 16 * 1024])

    def rows():
        with open(path, encoding=encoding, errors="replace", newline="") as handle:
            yield from csv.reader(handle, dialect)

    return rows()


def read_text_rows(text: str) -> Iterator[list]:
    """For tests and small inputs: CSV text read the same way."""
    return csv.reader(io.StringIO(text), _sniff(text))
