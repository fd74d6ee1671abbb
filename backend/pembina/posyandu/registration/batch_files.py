"""A batch's files: the export for the ministry (XLSX or CSV) and the import of the Nomor Registrasi
Posyandu that come back (all or nothing, or a dry run that only reports); and the same numbers
issued in Pembina by the ministry itself (checked by the same rules)."""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.config import get_settings
from pembina.kit import csvfile
from pembina.kit.db import utcnow
from pembina.kit.errors import PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from pembina.kit.params import MAX_ID
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.kit.scope import Principal
from pembina.kit.versioning import ExpectedVersion
from pembina.kit.tabular import XLSX, csv_safe
from pembina.posyandu import counters
from pembina.posyandu.catalog import fields_of
from pembina.posyandu.models import Posyandu, RegistrationBatch
from pembina.posyandu.models import RegistrationStatus as S
from pembina.posyandu.registration.batches import batch_detail, batch_members, get_batch, maybe_complete
from pembina.posyandu.registration.common import check_number_format, move_counters, record
from pembina.posyandu.schemas import ImportRow, ImportRowError, NumberImportReport, NumberIssue
from pembina.regions.models import Region
from pembina.spreadsheets import UnreadableSpreadsheet, is_workbook, workbook_rows

# -- export ---------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("no", "No"),
    ("posyandu_id", "ID Posyandu (Pembina)"),
    ("nama_posyandu", "Nama Posyandu"),
    ("kode_desa", "Kode Desa/Kelurahan"),
    ("desa_kelurahan", "Desa/Kelurahan"),
    ("kecamatan", "Kecamatan"),
    ("kabupaten_kota", "Kabupaten/Kota"),
    ("provinsi", "Provinsi"),
    ("rw", "RW"),
    ("rt", "RT"),
    ("alamat", "Alamat"),
    ("jumlah_pengurus", "Jumlah Pengurus"),
    ("jumlah_kader", "Jumlah Kader"),
    ("strata", "Strata"),
    ("bidang_spm", "Bidang SPM"),
    ("latitude", "Latitude"),
    ("longitude", "Longitude"),
    ("nomor_registrasi", "Nomor Registrasi Posyandu"),
]


def export_rows(session: Session, b: RegistrationBatch) -> list[list[Any]]:
    members = batch_members(session, b.id)
    codes = {c for m in members for c in _ancestor_codes(m.region_code)}
    names = {r.code: r.name for r in session.scalars(select(Region).where(Region.code.in_(codes)))} if codes else {}
    rows = []
    for i, m in enumerate(members, start=1):
        parts = m.region_code.split(".")
        rows.append(
            [
                i,
                m.id,
                m.name,
                m.region_code,
                names.get(m.region_code, ""),
                names.get(".".join(parts[:3]), ""),
                names.get(".".join(parts[:2]), ""),
                names.get(parts[0], ""),
                m.rw or "",
                m.rt or "",
                m.address or "",
                m.pengurus_count,
                m.kader_count,
                m.stratum or "",
                ", ".join(fields_of(m.spm_mask)),
                "" if m.latitude is None else m.latitude,
                "" if m.longitude is None else m.longitude,
                m.registration_number or "",
            ]
        )
    return rows


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def export_batch(session: Session, principal: Principal, batch_id: int, fmt: str) -> tuple[bytes, str, str]:
    b = get_batch(session, principal, batch_id)
    rows = export_rows(session, b)
    header = [key for key, _ in EXPORT_COLUMNS]
    stem = f"registrasi-posyandu-{b.region_code}-batch-{b.id}"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else csv_safe(v) for v in r])
        return ("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", f"{stem}.csv"
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})  # names are text, never formulas
    ws = wb.add_worksheet("Posyandu")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, header, bold)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r[:-1])
        ws.write_string(i, len(r) - 1, str(r[-1]), text)  # the number column stays text
    ws.set_column(0, len(header) - 1, 16)
    ws.set_column(len(header) - 1, len(header) - 1, 28, text)
    ws.freeze_panes(1, 0)
    info = wb.add_worksheet("Keterangan")
    info.write_column(0, 0, [label for _, label in EXPORT_COLUMNS])
    info.write_column(0, 1, header)
    info.write(len(header) + 1, 0, f"Batch {b.id}: {b.title} ({b.region_code}). Isi kolom nomor_registrasi; jangan ubah posyandu_id.")
    wb.close()
    return out.getvalue(), XLSX, f"{stem}.xlsx"


# -- import of the numbers ------------------------------------------------------------

ID_HEADERS = {"posyandu_id", "id_posyandu", "id_posyandu_(pembina)"}
NUMBER_HEADERS = {"nomor_registrasi", "nomor_registrasi_posyandu", "registration_number", "no_registrasi"}


def read_table(data: bytes) -> list[list[str]]:
    """Rows of the first sheet of an XLSX/XLS file, or of a CSV read as every CSV upload is
    (pembina.kit.csvfile: UTF-8, ',', ';' or tab)."""
    if is_workbook(data[:8]):
        try:  # parsed in a child process with hard limits: a hostile workbook cannot end the server
            return list(workbook_rows(io.BytesIO(data)))
        except UnreadableSpreadsheet as e:
            raise ValidationProblem(e.message, loc=["body", "file"]) from None
    if b"\x00" in data:  # anywhere: a NUL never reaches a stored number
        raise UnsupportedMediaType("Send an XLSX or a CSV file.", "Kirim berkas XLSX atau CSV.")
    try:
        return list(csvfile.rows(io.BytesIO(data)))
    except csvfile.UnreadableCsv as e:
        raise ValidationProblem(e.message, loc=["body", "file"]) from None


NUMBER_MAX = 64


def _is_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID


def _chunks(values: list[Any], size: int = 900) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def import_numbers(session: Session, principal: Principal, batch_id: int, data: bytes, dry_run: bool) -> NumberImportReport:
    b = get_batch(session, principal, batch_id)
    policy.require_role(principal, Action.import_numbers, b)
    limit = get_settings().registration_import_max_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.", f"Berkas lebih besar dari {limit:,} bita.")
    if not data.strip():
        raise ValidationProblem("The file is empty.", "Berkas kosong.", loc=["body", "file"])
    policy.require(principal, Action.import_numbers, b)
    table = read_table(data)
    header_at = next((i for i, r in enumerate(table) if any(c for c in r)), None)
    if header_at is None:
        raise ValidationProblem("The file has no rows.", "Berkas tidak memiliki baris.", loc=["body", "file"])
    header = [csvfile.normalise_header(h) for h in table[header_at]]
    id_col = next((i for i, h in enumerate(header) if h in ID_HEADERS), None)
    num_col = next((i for i, h in enumerate(header) if h in NUMBER_HEADERS), None)
    if id_col is None or num_col is None:
        raise ValidationProblem(
            "The file needs the columns 'posyandu_id' and 'nomor_registrasi' (as in the batch export).",
            "Berkas memerlukan kolom 'posyandu_id' dan 'nomor_registrasi' (seperti pada ekspor batch).",
            loc=["body", "file"],
        )

    parsed: list[tuple[int, str, str]] = []  # (row number, raw id, number)
    for i, r in enumerate(table[header_at + 1 :], start=header_at + 2):
        if not any(r):
            continue
        raw_id = r[id_col] if id_col < len(r) else ""
        number = r[num_col] if num_col < len(r) else ""
        parsed.append((i, raw_id, number))

    items, errors, found = _check_rows(session, principal, b, parsed)
    to_register = [it for it in items if it.outcome == "register"]
    report = NumberImportReport(
        dry_run=dry_run,
        applied=False,
        rows=len(parsed),
        registered=len(to_register),
        unchanged=len(items) - len(to_register),
        items=items,
        errors=errors,
    )
    if errors and not dry_run:
        raise ValidationProblem(
            f"{len(errors)} row(s) have errors; nothing was saved.",
            f"{len(errors)} baris bermasalah; tidak ada yang disimpan.",
            errors=[{"loc": ["file", e.row], "msg": e.msg, "type": "import_row"} for e in errors],
        )
    if dry_run or not items:
        return report
    _register(session, principal, b, [it for it in items if it.outcome == "register"], found)
    report.applied = True
    return report


def _check_rows(
    session: Session, principal: Principal, b: RegistrationBatch, parsed: list[tuple[int, str, str]]
) -> tuple[list[ImportRow], list[ImportRowError], dict[int, Posyandu]]:
    """Each (row, posyandu id as given, number) checked against the batch, the numbers already
    used and the configured format: the rows to apply and the rows in error."""
    ids = {int(raw) for _, raw, _ in parsed if _is_id(raw)}
    found: dict[int, Posyandu] = {}
    for chunk in _chunks(sorted(ids)):
        found.update({p.id: p for p in session.scalars(select(Posyandu).where(Posyandu.id.in_(chunk)))})
    numbers = {n for _, _, n in parsed if n and len(n) <= NUMBER_MAX}
    used: dict[str, int] = {}
    for chunk in _chunks(sorted(numbers)):
        used.update(
            {
                cast(str, n): i
                for n, i in session.execute(  # registration_number IN (...): never NULL
                    select(Posyandu.registration_number, Posyandu.id).where(Posyandu.registration_number.in_(chunk))
                )
            }
        )

    errors: list[ImportRowError] = []
    items: list[ImportRow] = []
    seen_ids: dict[int, int] = {}
    seen_numbers: dict[str, int] = {}
    for row, raw_id, number in parsed:

        def err(msg: str, msg_id: str | None = None) -> None:
            """The row's error: `msg` in English and `msg_id` in Indonesian (the caller's language), or a message already in it."""
            text = tr(msg, msg_id) if msg_id is not None else msg
            errors.append(ImportRowError(row=row, posyandu_id=raw_id or None, registration_number=number or None, msg=text))

        if not _is_id(raw_id):
            err(
                tr(f"posyandu_id '{raw_id}' is not a posyandu id.", f"posyandu_id '{raw_id}' bukan id posyandu.")
                if raw_id
                else tr("posyandu_id is empty.", "posyandu_id kosong.")
            )
            continue
        pid = int(raw_id)
        p = found.get(pid)
        if p is None or not principal.covers(p.region_code):
            err(f"Unknown posyandu {pid}.", f"Posyandu {pid} tidak dikenal.")
            continue
        if pid in seen_ids:
            err(
                f"Posyandu {pid} is listed twice (also on row {seen_ids[pid]}).",
                f"Posyandu {pid} tercantum dua kali (juga di baris {seen_ids[pid]}).",
            )
            continue
        seen_ids[pid] = row
        if p.batch_id != b.id:
            err(f"Posyandu {pid} is not in this batch.", f"Posyandu {pid} tidak ada dalam batch ini.")
            continue
        if not number:
            err("nomor_registrasi is empty.", "nomor_registrasi kosong.")
            continue
        if len(number) > NUMBER_MAX:
            err(f"The number is longer than {NUMBER_MAX} characters.", f"Nomor lebih panjang dari {NUMBER_MAX} karakter.")
            continue
        if number in seen_numbers:
            err(
                f"Number '{number}' is given twice (also on row {seen_numbers[number]}).",
                f"Nomor '{number}' muncul dua kali (juga di baris {seen_numbers[number]}).",
            )
            continue
        seen_numbers[number] = row
        problem = check_number_format(number, p)
        if problem:
            err(problem)
            continue
        if number in used and used[number] != pid:
            err(f"Number '{number}' is already used by another posyandu.", f"Nomor '{number}' sudah dipakai posyandu lain.")
            continue
        if p.registration_status == S.registered:
            if p.registration_number == number:
                items.append(ImportRow(row=row, posyandu_id=pid, registration_number=number, outcome="unchanged"))
            else:
                err(
                    f"Posyandu {pid} is already registered as '{p.registration_number}'.",
                    f"Posyandu {pid} sudah terdaftar dengan nomor '{p.registration_number}'.",
                )
            continue
        if p.registration_status != S.submitted:
            err(
                f"Posyandu {pid} is {p.registration_status}, not awaiting a number.",
                f"Posyandu {pid} berstatus {p.registration_status}, tidak sedang menunggu nomor.",
            )
            continue
        items.append(ImportRow(row=row, posyandu_id=pid, registration_number=number, outcome="register"))

    return items, errors, found


def _register(
    session: Session, principal: Principal, b: RegistrationBatch, to_register: list[ImportRow], found: dict[int, Posyandu]
) -> None:
    now = utcnow()
    changes = []
    for it in to_register:
        p = found[it.posyandu_id]
        old = counters.of(p)
        p.registration_status = S.registered
        p.registration_number = it.registration_number
        p.registered_at = now
        record(session, principal, p, "register", S.submitted, S.registered, number=it.registration_number, batch_id=b.id)
        changes.append((p.region_code, old, counters.of(p)))
    session.flush()
    move_counters(session, changes)
    maybe_complete(session, b.id)


# -- numbers issued in Pembina by the ministry ------------------------------------------


def issue_numbers(session: Session, principal: Principal, batch_id: int, body: NumberIssue, expected: ExpectedVersion) -> RegistrationBatch:
    """The ministry's numbers for some or all of a submitted batch's posyandu, checked as an
    import's rows are (item n is row n), all or nothing."""
    b = get_batch(session, principal, batch_id)
    policy.require_role(principal, Action.issue_numbers, b)
    expected.check(b.version, lambda: batch_detail(session, b, principal))
    policy.require(principal, Action.issue_numbers, b)
    parsed = [(i, str(n.posyandu_id), n.registration_number.strip()) for i, n in enumerate(body.numbers, start=1)]
    items, errors, found = _check_rows(session, principal, b, parsed)
    if errors:
        raise ValidationProblem(
            f"{len(errors)} number(s) cannot be issued; nothing was saved.",
            f"{len(errors)} nomor tidak dapat diterbitkan; tidak ada yang disimpan.",
            errors=[{"loc": ["body", "numbers", e.row - 1], "msg": e.msg, "type": "issue_number"} for e in errors],
        )
    to_register = [it for it in items if it.outcome == "register"]
    if to_register:
        b.updated_at = utcnow()  # a new version: what the batch awaits has changed
        _register(session, principal, b, to_register, found)
    return b
