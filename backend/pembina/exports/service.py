"""Exports: files built in a temporary file, named for the region and day, and audited."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from pembina.audit import recorder
from pembina.kit.db import after_read
from pembina.exports import lists
from pembina.kit import clock
from pembina.kit.tabular import MEDIA_TYPES, ExportFormat, rows_of, write_csv, write_xlsx
from pembina.kit.scope import Principal

#: Called with the number of rows once they are counted; returns what to call per row written.
Progress = Callable[[int], Callable[[int], None]]


@dataclass(frozen=True)
class ExportFile:
    path: str  # a temporary file: the caller removes it once sent
    media_type: str
    filename: str
    rows: int


def today() -> date:
    return clock.today()


def filename(stem: str, region: str | None, ext: str) -> str:
    """`posyandu-33.75-2026-11-30.xlsx` (`nasional` for the whole country)."""
    return f"{stem}-{region or 'nasional'}-{today().isoformat()}.{ext}"


def temp_path(ext: str) -> str:
    fd, path = tempfile.mkstemp(prefix="pembina-export-", suffix=f".{ext}")
    os.close(fd)
    return path


def audit(session: Session, principal: Principal, what: str, region: str | None, details: dict[str, Any]) -> None:
    """One audit event per export: who exported what, with which filters, how many rows.

    Recorded in the caller's region (or the one exported), so the caller's own region sees it;
    written after the export's read (`db.after_read`: on SQLite not by upgrading the read)."""
    after_read(session, lambda s: recorder.record(s, "export", "export", what, region or principal.region_code, details))


def export_list(
    session: Session,
    principal: Principal,
    spec: lists.ListExport,
    fmt: ExportFormat,
    filters: dict[str, Any],
    sort: str | None,
    progress: Progress | None = None,
) -> ExportFile:
    total, items = lists.rows(spec, session, principal, filters, sort)
    region = filters.get(spec.region_filter) if spec.region_filter else None
    stem = "-".join([spec.name, *(str(filters[p]) for p in spec.path_params)])
    name = filename(stem, region or principal.region_code, fmt)
    path = temp_path(fmt)
    try:
        rows = rows_of(items, list(spec.columns), progress(total) if progress else None)
        n = write_xlsx(path, spec.title, list(spec.columns), rows) if fmt == "xlsx" else write_csv(path, list(spec.columns), rows)
    except BaseException:
        os.unlink(path)
        raise
    used = {k: v for k, v in filters.items() if v is not None}
    audit(session, principal, f"list:{spec.name}", region, {"format": fmt, "filters": used, "sort": sort, "rows": n, "filename": name})
    return ExportFile(path=path, media_type=MEDIA_TYPES[fmt], filename=name, rows=n)
