"""From raw rows to validated records: header mapping, cell parsing, a capped error list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pembina.kit.i18n import tr
from pembina.imports.columns import CellError, Column
from pembina.imports.reader import FileProblem
from pembina.kit.csvfile import normalise_header
from pembina.imports.schemas import ImportCellError

#: Errors listed in a report; beyond that they are only counted.
MAX_ERRORS = 1000
#: Header aliases accepted besides the documented names.
ALIASES = {"latitude": "lat", "longitude": "lon", "is_active": "active", "stratum": "strata", "kind": "team_kind"}


@dataclass
class Errors:
    """The errors found (the first MAX_ERRORS listed, all counted) and the rows read."""

    items: list[ImportCellError] = field(default_factory=list)
    count: int = 0
    #: Data rows read so far (blank rows skipped).
    rows: int = 0

    def add(self, row: int, column: str | None, value: str | None, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(ImportCellError(row=row, column=column, value=None if value is None else value[:200], message=message))

    def __bool__(self) -> bool:
        return self.count > 0


def read_header(raw_rows: Iterator[list[str]], columns: list[Column], errors: Errors) -> tuple[list[Column | None], set[str], int]:
    """The first non-blank row: each cell's column (None: ignored), the columns present, its row number."""
    by_name = {c.name: c for c in columns}
    for header_row, header in enumerate(raw_rows, start=1):
        if not any(header):
            continue
        mapped: list[Column | None] = []
        present: set[str] = set()
        for raw in header:
            name = normalise_header(raw)
            name = ALIASES.get(name, name)
            col = by_name.get(name)
            if raw and col is None:
                errors.add(
                    header_row,
                    raw,
                    raw,
                    tr(
                        f"Unknown column '{raw}'. Expected: {', '.join(by_name)}.",
                        f"Kolom '{raw}' tidak dikenal. Yang diharapkan: {', '.join(by_name)}.",
                    ),
                )
            elif col is not None and col.name in present:
                errors.add(header_row, raw, raw, tr(f"Column '{raw}' appears twice.", f"Kolom '{raw}' muncul dua kali."))
                col = None
            if col is not None:
                present.add(col.name)
            mapped.append(col)
        for c in columns:
            if c.required and c.name not in present:
                errors.add(header_row, c.name, None, tr(f"Missing required column '{c.name}'.", f"Kolom wajib '{c.name}' tidak ada."))
        return mapped, present, header_row
    raise FileProblem(tr("The file has no header row (it is empty).", "Berkas tidak memiliki baris judul (kosong)."))


def _cells(
    row_no: int, raw: list[str], width: int, parsers: list[tuple[int, str, Callable[[str], Any]]], errors: Errors
) -> tuple[dict[str, Any], bool]:
    """Every cell of a row, each error reported: (values, whether all were valid)."""
    values: dict[str, Any] = {}
    ok = True
    if len(raw) > width and any(raw[width:]):
        errors.add(row_no, None, None, f"The row has {len(raw)} cells but the header only {width} columns.")
        ok = False
    for i, name, parse in parsers:
        cell = raw[i] if i < len(raw) else ""
        try:
            values[name] = parse(cell)
        except CellError as e:
            errors.add(row_no, name, cell, str(e))
            ok = False
    return values, ok


def _parsers(header: list[Column | None]) -> list[tuple[int, str, Callable[[str], Any]]]:
    return [(i, col.name, col.parser()) for i, col in enumerate(header) if col is not None]


def _record(
    row_no: int,
    raw: list[str],
    width: int,
    parsers: list[tuple[int, str, Callable[[str], Any]]],
    errors: Errors,
    check: Callable[[int, dict[str, Any], Errors], bool] | None,
) -> dict[str, Any] | None:
    """One non-blank row's values, or None when it has an error (each reported)."""
    if len(raw) == width:  # the common case: every cell valid, checked without ceremony
        try:
            values = {name: parse(raw[i]) for i, name, parse in parsers}
            ok = True
        except CellError:
            values, ok = _cells(row_no, raw, width, parsers, errors)
    else:
        values, ok = _cells(row_no, raw, width, parsers, errors)
    if ok and check is not None:
        ok = check(row_no, values, errors)
    return values if ok else None


def records(
    raw_rows: Iterator[list[str]],
    header: list[Column | None],
    header_row: int,
    errors: Errors,
    check: Callable[[int, dict[str, Any], Errors], bool] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Validated rows as (row number, {column: value}) for the columns the file has; rows with an
    error are reported and skipped. Row numbers are the file's (blank rows count)."""
    width = len(header)
    parsers = _parsers(header)
    for row_no, raw in enumerate(raw_rows, start=header_row + 1):
        if not any(raw):
            continue
        errors.rows += 1
        values = _record(row_no, raw, width, parsers, errors, check)
        if values is not None:
            yield row_no, values


#: Rows per batch of the columnar path.
BATCH = 5000

Batch = tuple[list[int], dict[str, list[Any]]]


def record_batches(
    raw_rows: Iterator[list[str]],
    header: list[Column | None],
    header_row: int,
    errors: Errors,
    check: Callable[[int, dict[str, Any], Errors], bool] | None = None,
    check_batch: Callable[[dict[str, list[Any]]], bool] | None = None,
    size: int = BATCH,
) -> Iterator[Batch]:
    """The valid rows as columns, a batch at a time: (row numbers, {column: values}) for the
    columns the file has. The same rows, values and errors as `records` (with `check_batch`
    the whole-batch form of `check`: True when `check` passes every row), faster: each column
    of a batch is checked and parsed at once (Column.bulk_parser); a batch with any error is
    parsed again row by row, which words the errors."""
    width = len(header)
    parsers = _parsers(header)
    columns = [(i, col.name, col.bulk_parser()) for i, col in enumerate(header) if col is not None]
    names = [name for _, name, _ in columns]
    row_nos: list[int] = []
    cells: list[list[str]] = []

    def columnar() -> dict[str, list[Any]] | None:
        rows = cells
        if set(map(len, rows)) != {width}:  # short rows read blank; extra cells must be blank
            if any(len(raw) > width and any(raw[width:]) for raw in rows):
                return None
            rows = [raw if len(raw) == width else raw[:width] + [""] * (width - len(raw)) for raw in rows]
        by_column = list(zip(*rows))
        try:
            values = {name: parse(by_column[i]) for i, name, parse in columns}
        except CellError:
            return None
        return values if check_batch is None or check_batch(values) else None

    def flush() -> Batch:
        values = columnar()
        if values is not None:
            return row_nos, values
        good: list[int] = []
        by_name: dict[str, list[Any]] = {name: [] for name in names}
        for row_no, raw in zip(row_nos, cells):
            v = _record(row_no, raw, width, parsers, errors, check)
            if v is not None:
                good.append(row_no)
                for name in names:
                    by_name[name].append(v[name])
        return good, by_name

    for row_no, raw in enumerate(raw_rows, start=header_row + 1):
        if not any(raw):
            continue
        errors.rows += 1
        row_nos.append(row_no)
        cells.append(raw)
        if len(cells) == size:
            yield flush()
            row_nos, cells = [], []
    if cells:
        yield flush()
