"""Stream the rows of an uploaded CSV or XLSX file as lists of strings, never the whole file as
Python objects: CSV through the csv module over a text wrapper, XLSX through python-calamine in a
child process with hard limits (pembina.spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from pembina.kit.errors import UnsupportedMediaType, ValidationProblem
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
    if is_workbook(head):
        return _xlsx_rows(stream)
    return _csv_rows(stream)


def normalise_header(h: str) -> str:
    return "_".join(h.strip().lower().split())
