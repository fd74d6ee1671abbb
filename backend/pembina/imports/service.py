"""Spreadsheet imports: kinds, templates, and the all-or-nothing run (dry run or commit).

Every run reads the file once, validates every row (the domain's enums, limits and rules, and
the caller's region for each row), and either writes everything or nothing: any error is a 422
listing the rows and columns at fault, and the transaction is rolled back. Re-importing the
same file changes nothing (created 0, updated 0)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.audit.models import AuditEvent
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit.db import utcnow
from pembina.kit.errors import PayloadTooLarge, ValidationProblem
from pembina.imports import activity_reports, bulk_posyandu, records
from pembina.imports.columns import COLUMNS, kind_spec
from pembina.imports.reader import FileProblem
from pembina.imports.reader import rows as file_rows
from pembina.imports.rows import Errors, read_header
from pembina.imports.rows import record_batches
from pembina.imports.schemas import ImportKind, ImportMode, ImportReport, KindSpec
from pembina.regions.models import Region
from pembina.kit.scope import Principal, level_of

Progress = Callable[[int], None]


def kinds() -> list[KindSpec]:
    return [kind_spec(k) for k in ImportKind]


def measure(stream: BinaryIO, limit: int) -> tuple[int, str]:
    """The upload's size and SHA-256, read in chunks; 413 past `limit`."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.", f"Berkas lebih besar dari {limit:,} bita.", max_bytes=limit)
        digest.update(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def _ensure_may_import(principal: Principal) -> None:
    policy.require(principal, Action.import_records, policy.region(principal.region_code))


def _report(
    kind: ImportKind, mode: ImportMode, errors: Errors, sha256: str, counts: tuple[int, int, int] = (0, 0, 0), committed: bool = False
) -> ImportReport:
    created, updated, unchanged = counts
    return ImportReport(
        kind=kind,
        mode=mode,
        rows=errors.rows,
        created=created,
        updated=updated,
        unchanged=unchanged,
        errors=errors.items,
        error_count=errors.count,
        committed=committed,
        sha256=sha256,
    )


def _rejected(report: ImportReport) -> ValidationProblem:
    first = report.errors[0]
    where = f"row {first.row}" + (f", column {first.column}" if first.column else "") if first.row else "the file"
    p = ValidationProblem(
        f"{report.error_count} error(s); nothing was written. First: {where}: {first.message}",
        f"{report.error_count} kesalahan; tidak ada yang ditulis. Yang pertama: {where}: {first.message}",
        errors=[
            {
                "loc": ["file", e.row, e.column or ""],
                "msg": e.message,
                "type": "value_error",
                "row": e.row,
                "column": e.column,
                "value": e.value,
            }
            for e in report.errors
        ],
    )
    p.extra["report"] = report.model_dump(mode="json", exclude={"errors"})
    p.extra["error_count"] = report.error_count
    return p


def _villages(session: Session, principal: Principal) -> set[str]:
    stmt = principal.readable(select(Region.code).where(Region.level == 4), Region.code)
    return set(session.scalars(stmt))


def _posyandu_check(villages: set[str], principal: Principal) -> Callable[[int, dict[str, Any], Errors], bool]:
    def check(row_no: int, v: dict[str, Any], errors: Errors) -> bool:
        code = v["region_code"]
        if code not in villages:
            if level_of(code) != 4:
                msg = tr(
                    f"'{code}' is not a village (kelurahan/desa) code: a posyandu belongs to a village.",
                    f"'{code}' bukan kode desa/kelurahan: posyandu berada di desa/kelurahan.",
                )
            elif not principal.covers(code):
                msg = tr(
                    f"{code} is outside your region ({principal.region_code or 'national'}).",
                    f"{code} berada di luar wilayah Anda ({principal.region_code or 'nasional'}).",
                )
            else:
                msg = tr(f"There is no village {code}.", f"Tidak ada desa/kelurahan {code}.")
            errors.add(row_no, "region_code", code, msg)
            return False
        if ("lat" in v or "lon" in v) and (v.get("lat") is None) != (v.get("lon") is None):
            errors.add(row_no, "lat" if v.get("lat") is None else "lon", None, "give both lat and lon, or neither")
            return False
        return True

    return check


def _posyandu_batch_check(villages: set[str]) -> Callable[[dict[str, list[Any]]], bool]:
    """`_posyandu_check` for a whole batch of rows at once: True when every row passes it."""

    def check(v: dict[str, list[Any]]) -> bool:
        if not villages.issuperset(v["region_code"]):
            return False
        lat, lon = v.get("lat"), v.get("lon")
        if lat is not None and lon is not None:
            return all((a is None) == (b is None) for a, b in zip(lat, lon))
        return lat is None and lon is None

    return check


def _run_posyandu(
    session: Session, principal: Principal, mode: ImportMode, raw: Any, errors: Errors, progress: Progress | None
) -> tuple[int, int, int]:
    header, present, header_row = read_header(raw, COLUMNS[ImportKind.posyandu], errors)
    if ("lat" in present) != ("lon" in present):
        errors.add(header_row, "lat" if "lat" not in present else "lon", None, "The columns lat and lon go together.")
    if errors:
        return (0, 0, 0)
    villages = _villages(session, principal)
    batches = record_batches(raw, header, header_row, errors, _posyandu_check(villages, principal), _posyandu_batch_check(villages))
    stage = bulk_posyandu.new_stage()
    bulk_posyandu.load_stage(session, stage, bulk_posyandu.stage_batches(batches), progress)
    if errors:
        return (0, 0, 0)
    fields = bulk_posyandu.updated_fields(present)
    staged = bulk_posyandu.match(session, stage, fields, errors)
    if errors:
        return (0, 0, 0)
    counts = bulk_posyandu.classify(session, staged)
    if mode == ImportMode.commit:
        bulk_posyandu.apply(session, staged, fields)
    bulk_posyandu.drop(session, stage)
    return counts


def _record(session: Session, principal: Principal, report: ImportReport, filename: str | None, size: int) -> None:
    """One audit event per committed import: what, which file, what it did."""
    conn = session.connection()
    values: dict[str, Any] = {
        "occurred_at": utcnow(),
        "actor": principal.subject if principal.kind != "system" else session.info.get("actor", "system"),
        "actor_name": principal.name,
        "action": "create",
        "entity_type": "imports",
        "entity_id": uuid.uuid4().hex,
        "region_code": principal.region_code,
        "before": None,
        "request_id": session.info.get("request_id"),
        "after": {
            "kind": report.kind.value,
            "file_name": filename,
            "file_size": size,
            "sha256": report.sha256,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    }
    stmt = insert(AuditEvent.__table__)
    if conn.dialect.name == "postgresql":
        stmt = stmt.values(txid=func.txid_current())
    conn.execute(stmt, values)


def run(
    session: Session,
    principal: Principal,
    kind: ImportKind,
    mode: ImportMode,
    stream: BinaryIO,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate (and on commit, write) a whole file; raises a 422 problem listing the errors."""
    _ensure_may_import(principal)
    size, sha256 = measure(stream, get_settings().import_max_bytes)
    errors = Errors()
    try:
        raw = file_rows(stream)
        if kind == ImportKind.posyandu:
            counts = _run_posyandu(session, principal, mode, raw, errors, progress)
        elif kind == ImportKind.activity_reports:
            counts = activity_reports.run(session, principal, mode, raw, errors, progress)
        else:
            counts = records.run(session, principal, kind, mode, raw, errors, progress)
    except FileProblem as e:
        errors.add(0, None, None, e.detail or tr("The file cannot be read.", "Berkas tidak dapat dibaca."))
    if errors:
        raise _rejected(_report(kind, mode, errors, sha256))
    committed = mode == ImportMode.commit
    report = _report(kind, mode, errors, sha256, counts, committed)
    if committed:
        _record(session, principal, report, filename, size)
    return report
