"""Stream the rows of an uploaded CSV or XLSX file as lists of strings, never the whole file as
Python objects: CSV through the csv module over a text wrapper, XLSX through python-calamine."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, BinaryIO

from pembina.config import get_settings
from pembina.errors import UnsupportedMediaType, ValidationProblem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class FileProblem(ValidationProblem):
    """The file as a whole cannot be read (row 0 in the report)."""

    def __init__(self, message: str):
        super().__init__(message, errors=[file_error(message)])


def file_error(message: str) -> dict[str, Any]:
    return {"loc": ["file"], "msg": message, "type": "value_error", "row": 0, "column": None, "value": None}


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def _unpacked_xml(stream: BinaryIO) -> int:
    """The unpacked size of an XLSX's worksheets and shared strings (from the zip directory,
    nothing inflated); 0 when it is no zip (calamine then says what is wrong with it)."""
    try:
        with zipfile.ZipFile(stream) as z:
            return sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, OSError, EOFError):
        return 0
    finally:
        stream.seek(0)


def _xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """The first sheet's rows. python-calamine has no lazy reader: the sheet is loaded whole
    (then handed out a row at a time), so its memory is bounded by capping the unpacked XML."""
    from python_calamine import CalamineWorkbook

    limit = get_settings().import_max_xlsx_xml_bytes
    if (size := _unpacked_xml(stream)) > limit:
        raise FileProblem(
            f"The workbook unpacks to {size / 2**20:,.0f} MiB of sheet data, more than the {limit / 2**20:,.0f} MiB an XLSX import may read "
            "into memory: save the sheet as CSV (read as a stream, any size up to the upload limit) or split it."
        )
    try:
        sheet = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as e:  # noqa: BLE001 - any parser failure is the file's fault
        raise FileProblem(f"The spreadsheet cannot be read: {e}.") from None
    for row in rows:
        yield [v.strip() if type(v) is str else _cell(v) for v in row]  # text cells, the usual, first


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(8192)
    except UnicodeDecodeError:
        raise FileProblem("The CSV file is not UTF-8 text.") from None
    first_line = sample.splitlines()[0] if sample else ""
    if "\x00" in first_line:  # a binary file, not text
        raise UnsupportedMediaType("Send an XLSX or a UTF-8 CSV file.")
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for row in reader:
            yield list(map(str.strip, row))
    except UnicodeDecodeError:
        raise FileProblem(f"The CSV file is not UTF-8 text (near line {reader.line_num + 1}).") from None
    except csv.Error as e:
        raise FileProblem(f"The CSV file cannot be read near line {reader.line_num}: {e}.") from None


def rows(stream: BinaryIO) -> Iterator[list[str]]:
    """Every row of the file (the first sheet of a workbook), cells as trimmed strings."""
    head = stream.read(8)
    stream.seek(0)
    if not head.strip():
        raise FileProblem("The file is empty.")
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _xlsx_rows(stream)
    return _csv_rows(stream)


def normalise_header(h: str) -> str:
    return "_".join(h.strip().lower().split())
