"""Stream the rows of an uploaded CSV or XLSX file as lists of strings, never the whole file as
Python objects: CSV as every CSV upload reads it (pembina.kit.csvfile), XLSX through python-calamine
in a child process with hard limits (pembina.spreadsheets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from pembina.kit.i18n import tr
from pembina.kit import csvfile
from pembina.kit.errors import ValidationProblem
from pembina.spreadsheets import UnreadableSpreadsheet, is_workbook, workbook_rows


class FileProblem(ValidationProblem):
    """The file as a whole cannot be read (row 0 in the report)."""

    def __init__(self, message: str):
        super().__init__(message, errors=[file_error(message)])


def file_error(message: str) -> dict[str, Any]:
    return {"loc": ["file"], "msg": message, "type": "value_error", "row": 0, "column": None, "value": None}


def _xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """The first sheet's rows, read in a child process with hard limits (pembina.spreadsheets):
    a workbook that would exhaust memory or time is a file error, never the server's end."""
    try:
        return workbook_rows(stream)
    except UnreadableSpreadsheet as e:
        raise FileProblem(e.message) from None


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """The rows as every CSV upload reads them (pembina.kit.csvfile)."""
    try:
        yield from csvfile.rows(stream)
    except csvfile.UnreadableCsv as e:
        raise FileProblem(e.message) from None


def rows(stream: BinaryIO) -> Iterator[list[str]]:
    """Every row of the file (the first sheet of a workbook), cells as trimmed strings."""
    head = stream.read(8)
    stream.seek(0)
    if not head.strip():
        raise FileProblem(tr("The file is empty.", "Berkas kosong."))
    if is_workbook(head):
        return _xlsx_rows(stream)
    return _csv_rows(stream)
