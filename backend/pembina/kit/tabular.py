"""Rows to files: columns derived from a list's item schema, written as XLSX or CSV.

Columns are the item schema's fields, nested models flattened to dotted keys
(`region.name`), lists and mappings joined into one text cell. Headers are Indonesian
labels. Times are shown in the offices' time zone (`kit.clock`: WIB by default), the time of
the offices that read the files, and their headers say which ("Dibuat").
"""

from __future__ import annotations

import csv
import enum
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from pembina.kit import clock

Kind = Literal["text", "int", "float", "money", "bool", "date", "datetime"]
ExportFormat = Literal["xlsx", "csv"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
MEDIA_TYPES: dict[str, str] = {"xlsx": XLSX, "csv": CSV}

#: Field names → Indonesian column headers (anything not listed is shown capitalised).
LABELS: dict[str, str] = {
    "id": "ID",
    "code": "Kode",
    "name": "Nama",
    "title": "Judul",
    "type": "Jenis",
    "kind": "Jenis",
    "level": "Tingkat",
    "status": "Status",
    "notes": "Catatan",
    "region": "Wilayah",
    "region_code": "Kode Wilayah",
    "region_name": "Nama Wilayah",
    "parent_code": "Kode Induk",
    "postal_code": "Kode Pos",
    "child_count": "Jumlah Wilayah di Bawahnya",
    "village_name": "Desa/Kelurahan",
    "username": "Nama Pengguna",
    "full_name": "Nama Lengkap",
    "email": "Email",
    "phone": "Telepon",
    "role": "Peran",
    "scope": "Hak Akses",
    "client_id": "Client ID",
    "is_active": "Aktif",
    "active": "Aktif",
    "address": "Alamat",
    "rw": "RW",
    "rt": "RT",
    "latitude": "Lintang",
    "longitude": "Bujur",
    "pengurus_count": "Jumlah Pengurus",
    "kader_count": "Jumlah Kader",
    "member_count": "Jumlah Anggota",
    "registered_count": "Jumlah Teregistrasi",
    "stratum": "Strata",
    "services": "Layanan",
    "spm_fields": "Bidang SPM",
    "registration_status": "Status Registrasi",
    "registration_number": "Nomor Registrasi",
    "registered_at": "Tanggal Registrasi",
    "status_reason": "Alasan Status",
    "batch_id": "ID Batch",
    "posyandu_id": "ID Posyandu",
    "posyandu_name": "Nama Posyandu",
    "team_id": "ID Tim",
    "number": "Nomor",
    "subject": "Perihal",
    "issued_on": "Tanggal Ditetapkan",
    "effective_date": "Tanggal Berlaku",
    "year": "Tahun",
    "due_date": "Batas Waktu",
    "start_date": "Tanggal Mulai",
    "end_date": "Tanggal Selesai",
    "formed_on": "Tanggal Dibentuk",
    "created_by": "Dibuat Oleh",
    "created_at": "Dibuat",
    "updated_at": "Diperbarui",
    "submitted_at": "Diajukan",
    "last_login_at": "Login Terakhir",
    "occurred_at": "Waktu",
    "actor": "Pelaku",
    "actor_name": "Nama Pelaku",
    "action": "Aksi",
    "entity_type": "Jenis Data",
    "entity_id": "ID Data",
    "before": "Sebelum",
    "after": "Sesudah",
    "request_id": "ID Permintaan",
    "version": "Versi",
    "provenance": "Asal Data",
    "published_on": "Tanggal Sumber",
    "note": "Keterangan",
}


def label(key: str) -> str:
    """`region.name` → 'Wilayah / Nama'."""
    return " / ".join(LABELS.get(part, part.replace("_", " ").capitalize()) for part in key.split("."))


class NotExported:
    """Field metadata (`Annotated[..., NotExported()]`): a read-model field that is about the
    reader rather than the record (e.g. `allowed_actions`), left out of every exported file."""


@dataclass(frozen=True)
class Column:
    key: str  # dotted path into the item
    label: str
    kind: Kind


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional: `Annotated[int | None, ...]` → int."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _kind(annotation: Any) -> Kind:
    t = _unwrap(annotation)
    if not isinstance(t, type):
        return "text"
    if issubclass(t, bool):
        return "bool"
    if issubclass(t, enum.Enum):
        return "text"
    if issubclass(t, int):
        return "int"
    if issubclass(t, Decimal):
        return "money"
    if issubclass(t, float):
        return "float"
    if issubclass(t, datetime):
        return "datetime"
    if issubclass(t, date):
        return "date"
    return "text"


def columns_of(model: type[BaseModel], prefix: str = "") -> list[Column]:
    """Every field of `model`, nested models flattened (fields marked `NotExported` left out)."""
    out: list[Column] = []
    for name, info in model.model_fields.items():
        if any(isinstance(m, NotExported) for m in info.metadata):
            continue
        key = f"{prefix}{name}"
        t = _unwrap(info.annotation)
        if isinstance(t, type) and issubclass(t, BaseModel):
            out.extend(columns_of(t, prefix=key + "."))
        else:
            kind = _kind(info.annotation)
            # a time's header names the zone its cells are shown in: "Dibuat (WIB)"
            heading = f"{label(key)} ({clock.zone_label()})" if kind == "datetime" else label(key)
            out.append(Column(key=key, label=heading, kind=kind))
    return out


def _text(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, BaseModel):
        return _text(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, [], {}, ""))
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def cell(item: Any, column: Column) -> Any:
    """The value of `column` in `item`, ready for a spreadsheet cell (None: empty)."""
    value: Any = item
    for part in column.key.split("."):
        value = getattr(value, part, None) if not isinstance(value, dict) else value.get(part)
        if value is None:
            return None
    if column.kind == "datetime" and isinstance(value, datetime):
        return clock.local(value).replace(tzinfo=None) if value.tzinfo else value
    if column.kind in ("int", "float", "money", "bool", "date"):
        return value
    return _text(value)


# -- writers ----------------------------------------------------------------------

#: What a spreadsheet may take for the start of a formula in a CSV cell (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with `=`, `+`, `-`, `@`,
    tab or CR gets a leading `'` (OWASP); numbers and other values are left as they are.
    Every CSV the system writes from data passes its cells through here."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return ""
    if kind == "bool":
        return "Ya" if value else "Tidak"
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind in ("date",):
        return value.isoformat()
    return csv_safe(value)


def write_csv(path: str, columns: list[Column], rows: Iterable[list[Any]]) -> int:
    """CSV in UTF-8 with a BOM (Excel then reads the accents right). Returns the row count."""
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([c.label for c in columns])
        for row in rows:
            w.writerow([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
            n += 1
    return n


NUM_FORMATS: dict[Kind, str] = {"int": "#,##0", "money": '"Rp" #,##0', "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm"}


def _width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 11
    if kind == "datetime":
        return 17
    if kind in ("int", "money"):
        return len(f"{value:,}") + (3 if kind == "money" else 0)
    return len(str(value))


def write_xlsx(path: str, title: str, columns: list[Column], rows: Iterable[list[Any]]) -> int:
    """A one-sheet workbook, written row by row (xlsxwriter's constant_memory mode): bold
    header, frozen header row, autofilter, widths fitted to the data, typed cells."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet(title[:31])
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    formats = {k: wb.add_format({"num_format": f}) for k, f in NUM_FORMATS.items()}
    widths = [len(c.label) for c in columns]
    ws.write_row(0, 0, [c.label for c in columns], header)
    n = 0
    for n, row in enumerate(rows, start=1):
        for j, (value, col) in enumerate(zip(row, columns, strict=True)):
            widths[j] = max(widths[j], _width(value, col.kind))
            if value is None:
                continue
            if col.kind in ("date", "datetime"):
                ws.write_datetime(n, j, value, formats[col.kind])
            elif col.kind == "bool":
                ws.write_string(n, j, "Ya" if value else "Tidak")
            elif col.kind in ("int", "money"):
                ws.write_number(n, j, value, formats[col.kind])
            elif col.kind == "float":
                ws.write_number(n, j, value)
            else:
                ws.write_string(n, j, str(value))
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w, 6), 60) + 2)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
    wb.close()
    return n


def rows_of(items: Iterator[Any], columns: list[Column], progress: Callable[[int], None] | None = None) -> Iterator[list[Any]]:
    for item in items:
        yield [cell(item, c) for c in columns]
        if progress:
            progress(1)
