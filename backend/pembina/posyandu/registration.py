"""The road to a Nomor Registrasi Posyandu: evidence documents, readiness, explicit transitions,
registration batches (export for the ministry, import of the numbers that come back)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.config import get_settings
from pembina.kit.db import utcnow
from pembina.kit.tabular import csv_safe
from pembina.kit.errors import Conflict, InvalidTransition, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationProblem
from pembina.kit.pagination import Page, PageParams, apply_sort
from pembina.posyandu import counters
from pembina.posyandu import service as units
from pembina.posyandu.catalog import fields_of
from pembina.posyandu.models import Posyandu, PosyanduDocument, RegistrationBatch, RegistrationEvent
from pembina.posyandu.models import RegistrationStatus as S
from pembina.kit.params import MAX_ID
from pembina.posyandu.schemas import (
    BatchCreate,
    BatchDetail,
    BatchMember,
    BatchRead,
    BatchStatus,
    BatchUpdate,
    DocumentRead,
    DocumentType,
    ImportRow,
    ImportRowError,
    NumberImportReport,
    Readiness,
    ReadinessGap,
    RegistrationEventRead,
    TransitionRequest,
)
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.kit.scope import Principal, code_covers, level_of, subtree_clause
from pembina.spreadsheets import UnreadableSpreadsheet, is_workbook, workbook_rows
from pembina.stats import service as stats
from pembina.kit.versioning import check_if_match

#: action -> the status it leads to (who may take it, from which status, and when the evidence
#: may change: `pembina.auth.policy`)
TRANSITIONS: dict[str, str] = {
    "propose": S.proposed,
    "verify": S.verified,
    "return": S.returned,
    "reject": S.rejected,
    "register": S.registered,
    "reopen": S.unregistered,
}

DOC_LABELS = {
    "berita_acara_musyawarah": "Berita acara musyawarah pembentukan",
    "sk_pembentukan": "SK pembentukan posyandu",
    "sk_pengurus": "SK pengurus posyandu",
    "data_kader": "Data kader",
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- documents ------------------------------------------------------------------------

def _sniff(data: bytes, filename: str, doc_type: str) -> str:
    """The content type from the bytes themselves (never the client's claim)."""
    suffix = PurePath(filename).suffix.lower()
    kind = None
    if data.startswith(b"%PDF-"):
        kind = "application/pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"PK\x03\x04") and suffix == ".xlsx":
        kind = XLSX
    elif suffix == ".csv" and b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
            kind = "text/csv"
        except UnicodeDecodeError:
            kind = None
    allowed = {"application/pdf", "image/png", "image/jpeg"} | ({XLSX, "text/csv"} if doc_type == "data_kader" else set())
    if kind not in allowed:
        names = "PDF, PNG or JPEG" + (", XLSX or CSV" if doc_type == "data_kader" else "")
        raise UnsupportedMediaType(f"A {doc_type} document must be a {names} file.")
    return kind


def _doc_read(d: PosyanduDocument) -> DocumentRead:
    return DocumentRead.model_validate(d)


def list_documents(session: Session, principal: Principal, posyandu_id: int) -> list[DocumentRead]:
    units.get(session, principal, posyandu_id)
    docs = session.scalars(select(PosyanduDocument).where(PosyanduDocument.posyandu_id == posyandu_id).order_by(PosyanduDocument.doc_type, PosyanduDocument.id))
    return [_doc_read(d) for d in docs]


def add_document(session: Session, principal: Principal, posyandu_id: int, doc_type: DocumentType, filename: str | None, data: bytes) -> DocumentRead:
    p = units.get(session, principal, posyandu_id)
    policy.require(principal, Action.add_document, p)
    limit = get_settings().posyandu_document_max_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.")
    if not data:
        raise ValidationProblem("The file is empty.", loc=["body", "file"])
    name = PurePath((filename or "document").replace("\\", "/")).name
    name = re.sub(r'[\x00-\x1f\x7f"]', "_", name)[:255] or "document"
    kind = _sniff(data, name, doc_type.value)
    doc = PosyanduDocument(
        posyandu_id=p.id, region_code=p.region_code, doc_type=doc_type.value, filename=name, content_type=kind, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), content=data, uploaded_by=principal.subject,
    )
    session.add(doc)
    session.flush()
    return _doc_read(doc)


def get_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> PosyanduDocument:
    units.get(session, principal, posyandu_id)
    doc = session.get(PosyanduDocument, document_id)
    if doc is None or doc.posyandu_id != posyandu_id:
        raise NotFound("Document not found.")
    return doc


def delete_document(session: Session, principal: Principal, posyandu_id: int, document_id: int) -> None:
    doc = get_document(session, principal, posyandu_id, document_id)
    p = units.get(session, principal, posyandu_id)
    policy.require(principal, Action.delete_document, p)
    session.delete(doc)
    session.flush()


# -- readiness and transitions --------------------------------------------------------

def _gaps(session: Session, p: Posyandu) -> tuple[list[ReadinessGap], dict[DocumentType, bool], int]:
    present = set(session.scalars(select(PosyanduDocument.doc_type).where(PosyanduDocument.posyandu_id == p.id).distinct()))
    documents = {t: t.value in present for t in DocumentType}
    gaps = [ReadinessGap(code=f"missing_document:{t.value}", message=f"{DOC_LABELS[t.value]} is not uploaded.") for t, ok in documents.items() if not ok]
    minimum = get_settings().posyandu_min_pengurus_kader
    people = p.pengurus_count + p.kader_count
    if people < minimum:
        gaps.append(ReadinessGap(code="too_few_pengurus_kader", message=f"Pengurus + kader is {people}; at least {minimum} are needed."))
    return gaps, documents, people


def readiness(session: Session, principal: Principal, posyandu_id: int) -> Readiness:
    p = units.get(session, principal, posyandu_id)
    gaps, documents, people = _gaps(session, p)
    return Readiness(
        posyandu_id=p.id, registration_status=p.registration_status, ready=not gaps, missing=gaps, documents=documents,
        pengurus_kader=people, min_pengurus_kader=get_settings().posyandu_min_pengurus_kader,
    )


def _record(session: Session, principal: Principal, p: Posyandu, action: str, frm: str, to: str, *, reason: str | None = None, number: str | None = None, batch_id: int | None = None) -> None:
    session.add(
        RegistrationEvent(
            posyandu_id=p.id, region_code=p.region_code, action=action, from_status=frm, to_status=to, reason=reason,
            registration_number=number, batch_id=batch_id, actor=principal.subject, actor_name=principal.name, occurred_at=utcnow(),
        )
    )


def _move_counters(session: Session, changes: list[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """Apply (region, old contribution, new contribution) changes, one adjust per region."""
    per_region: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region, old, new in changes:
        for k, v in old.items():
            per_region[region][k] -= v
        for k, v in new.items():
            per_region[region][k] += v
    for region in sorted(per_region):
        stats.adjust(session, region, per_region[region])


def check_number_format(number: str) -> str | None:
    pattern = get_settings().registration_number_pattern
    if pattern and not re.fullmatch(pattern, number):
        return f"'{number}' does not match the configured registration number format ({pattern})."
    return None


def _number_taken(session: Session, number: str, posyandu_id: int) -> bool:
    other = session.scalar(select(Posyandu.id).where(Posyandu.registration_number == number, Posyandu.id != posyandu_id).limit(1))
    return other is not None


def transition(session: Session, principal: Principal, posyandu_id: int, req: TransitionRequest, if_match: str | None) -> Posyandu:
    p = units.get(session, principal, posyandu_id)
    action = req.action.value
    policy.require_role(principal, Action(action), p)
    if if_match is not None:
        check_if_match(if_match, p.version, units.to_read(p, principal).model_dump(mode="json"))
    policy.require(principal, Action(action), p)
    target = TRANSITIONS[action]
    if action in ("return", "reject") and not (req.reason and req.reason.strip()):
        raise ValidationProblem(f"Say why: {action} needs a reason.", loc=["body", "reason"])
    if action == "propose":
        gaps, _, _ = _gaps(session, p)
        if gaps:
            raise ValidationProblem(
                f"Not ready to propose: {len(gaps)} gap(s).",
                errors=[{"loc": ["readiness", g.code], "msg": g.message, "type": "not_ready"} for g in gaps],
            )
    number = None
    if action == "register":
        number = (req.registration_number or "").strip()
        if not number:
            raise ValidationProblem("register needs the registration_number issued by the ministry.", loc=["body", "registration_number"])
        problem = check_number_format(number)
        if problem:
            raise ValidationProblem(problem, loc=["body", "registration_number"])
        if _number_taken(session, number, p.id):
            raise Conflict(f"Registration number '{number}' is already used by another posyandu.")
    old = counters.of(p)
    frm = p.registration_status
    p.registration_status = target
    if action in ("return", "reject"):
        p.status_reason = req.reason.strip() if req.reason else None
        batch = session.get(RegistrationBatch, p.batch_id) if p.batch_id else None
        if batch is not None and batch.status == BatchStatus.draft:
            p.batch_id = None  # leaves a draft batch; a submitted batch keeps it for the record
    elif action == "propose":
        p.status_reason = None
        p.batch_id = None  # a re-proposal leaves the batch that returned it (events keep the history)
    if action == "register":
        p.registration_number = number
        p.registered_at = utcnow()
    _record(session, principal, p, action, frm, target, reason=req.reason, number=number, batch_id=p.batch_id)
    session.flush()
    _move_counters(session, [(p.region_code, old, counters.of(p))])
    if p.batch_id and action in ("register", "return", "reject"):
        _maybe_complete(session, p.batch_id)
    return p


def events(session: Session, principal: Principal, posyandu_id: int) -> list[RegistrationEventRead]:
    units.get(session, principal, posyandu_id)
    rows = session.scalars(select(RegistrationEvent).where(RegistrationEvent.posyandu_id == posyandu_id).order_by(RegistrationEvent.occurred_at, RegistrationEvent.id))
    return [RegistrationEventRead.model_validate(e) for e in rows]


# -- batches --------------------------------------------------------------------------

BATCH_SORTS = {"created_at": RegistrationBatch.created_at, "title": RegistrationBatch.title, "status": RegistrationBatch.status, "region_code": RegistrationBatch.region_code}


def _counts(session: Session, batch_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not batch_ids:
        return {}
    stmt = (
        select(Posyandu.batch_id, func.count(), func.count(Posyandu.registration_number))
        .where(Posyandu.batch_id.in_(batch_ids))
        .group_by(Posyandu.batch_id)
    )
    return {cast(int, bid): (int(n), int(reg)) for bid, n, reg in session.execute(stmt)}  # batch_id IN (...): never NULL


def _batch_read(b: RegistrationBatch, counts: tuple[int, int], principal: Principal) -> BatchRead:
    return BatchRead(
        id=b.id, region_code=b.region_code, title=b.title, notes=b.notes, status=b.status, created_by=b.created_by,
        created_at=b.created_at, updated_at=b.updated_at, submitted_at=b.submitted_at, member_count=counts[0],
        registered_count=counts[1], version=b.version, allowed_actions=policy.allowed_actions(principal, b),
    )


def _members(session: Session, batch_id: int) -> list[Posyandu]:
    return list(session.scalars(select(Posyandu).where(Posyandu.batch_id == batch_id).order_by(Posyandu.region_code, Posyandu.name, Posyandu.id)))


def batch_detail(session: Session, b: RegistrationBatch, principal: Principal) -> BatchDetail:
    members = _members(session, b.id)
    read = _batch_read(b, (len(members), sum(1 for m in members if m.registration_number)), principal)
    return BatchDetail(
        **read.model_dump(),
        members=[
            BatchMember(id=m.id, name=m.name, region_code=m.region_code, village_name=m.village.name if m.village else "",
                        registration_status=m.registration_status, registration_number=m.registration_number)
            for m in members
        ],
    )


def get_batch(session: Session, principal: Principal, batch_id: int) -> RegistrationBatch:
    b = session.get(RegistrationBatch, batch_id)
    if b is None:
        raise NotFound("Registration batch not found.")
    principal.ensure_record(b.region_code, "Registration batch")
    return b


def list_batches(session: Session, principal: Principal, params: PageParams, *, region: str | None, status: BatchStatus | None) -> Page[BatchRead]:
    stmt = principal.readable(select(RegistrationBatch), RegistrationBatch.region_code)
    if region:
        principal.ensure_region(region)
        stmt = stmt.where(subtree_clause(RegistrationBatch.region_code, region))
    if status:
        stmt = stmt.where(RegistrationBatch.status == status.value)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    stmt = apply_sort(stmt, params.sort, BATCH_SORTS, default=[RegistrationBatch.created_at.desc()], tiebreak=RegistrationBatch.id)
    rows = list(session.scalars(stmt.limit(params.limit).offset(params.offset)))
    counts = _counts(session, [b.id for b in rows])
    return Page[BatchRead](items=[_batch_read(b, counts.get(b.id, (0, 0)), principal) for b in rows], total=total, limit=params.limit, offset=params.offset)


def _check_members(session: Session, principal: Principal, batch: RegistrationBatch, ids: list[int]) -> list[Posyandu]:
    errors = []
    found = {p.id: p for p in session.scalars(select(Posyandu).where(Posyandu.id.in_(set(ids))))} if ids else {}
    seen: set[int] = set()
    out = []
    for i, pid in enumerate(ids):
        p = found.get(pid)
        msg = None
        if pid in seen:
            msg = f"Posyandu {pid} is listed twice."
        elif p is None or not principal.covers(p.region_code):
            msg = f"Posyandu {pid} not found."
        elif not code_covers(batch.region_code, p.region_code):
            msg = f"Posyandu {pid} is not in {batch.region_code}."
        elif p.registration_status != S.verified:
            msg = f"Posyandu {pid} is {p.registration_status}; only verified posyandu can be batched."
        elif p.batch_id is not None and p.batch_id != batch.id:
            msg = f"Posyandu {pid} is already in batch {p.batch_id}."
        seen.add(pid)
        if msg:
            errors.append({"loc": ["body", "posyandu_ids", i], "msg": msg, "type": "value_error"})
        else:
            assert p is not None  # a message is set whenever p is None
            out.append(p)
    if errors:
        raise ValidationProblem(f"{len(errors)} posyandu cannot be batched.", errors=errors)
    return out


def _set_members(session: Session, principal: Principal, batch: RegistrationBatch, ids: list[int]) -> None:
    members = _check_members(session, principal, batch, ids)
    keep = {p.id for p in members}
    for p in _members(session, batch.id):
        if p.id not in keep:
            p.batch_id = None
    for p in members:
        p.batch_id = batch.id


def create_batch(session: Session, principal: Principal, data: BatchCreate) -> RegistrationBatch:
    policy.require_role(principal, Action.create_batch, Kind.region)
    if not regions._CODE_RE.match(data.region_code) or level_of(data.region_code) != 2:
        raise ValidationProblem("A registration batch belongs to a regency/city: give a code like 33.75.", loc=["body", "region_code"])
    regions.require_existing(session, data.region_code)
    policy.require(principal, Action.create_batch, policy.region(data.region_code))
    b = RegistrationBatch(region_code=data.region_code, title=data.title.strip(), notes=data.notes, status=BatchStatus.draft.value, created_by=principal.subject)
    session.add(b)
    session.flush()
    _set_members(session, principal, b, data.posyandu_ids)
    session.flush()
    return b


def update_batch(session: Session, principal: Principal, batch_id: int, data: BatchUpdate, if_match: str | None) -> RegistrationBatch:
    b = get_batch(session, principal, batch_id)
    policy.require(principal, Action.update, b)
    check_if_match(if_match, b.version, batch_detail(session, b, principal).model_dump(mode="json"))
    changes = data.model_dump(exclude_unset=True)
    if "title" in changes:
        if changes["title"] is None:
            raise ValidationProblem("title cannot be null.", loc=["body", "title"])
        b.title = changes["title"].strip()
    if "notes" in changes:
        b.notes = changes["notes"]
    if "posyandu_ids" in changes:
        if b.status != BatchStatus.draft:
            raise InvalidTransition(f"The batch is {b.status}: its members can no longer change.")
        _set_members(session, principal, b, changes["posyandu_ids"] or [])
    b.updated_at = utcnow()  # bumps the version even when only members changed
    session.flush()
    return b


def delete_batch(session: Session, principal: Principal, batch_id: int) -> None:
    b = get_batch(session, principal, batch_id)
    policy.require(principal, Action.delete, b)
    for p in _members(session, b.id):
        p.batch_id = None
    session.flush()
    session.delete(b)
    session.flush()


def submit_batch(session: Session, principal: Principal, batch_id: int, if_match: str | None) -> RegistrationBatch:
    b = get_batch(session, principal, batch_id)
    policy.require_role(principal, Action.submit, b)
    if if_match is not None:
        check_if_match(if_match, b.version, batch_detail(session, b, principal).model_dump(mode="json"))
    policy.require(principal, Action.submit, b)
    members = _members(session, b.id)
    if not members:
        raise ValidationProblem("The batch has no posyandu.", loc=["body"])
    not_verified = [p.id for p in members if p.registration_status != S.verified]
    if not_verified:
        raise InvalidTransition(f"Posyandu {', '.join(map(str, not_verified))} are no longer verified; remove them first.")
    changes = []
    for p in members:
        old = counters.of(p)
        p.registration_status = S.submitted
        _record(session, principal, p, "submit", S.verified, S.submitted, batch_id=b.id)
        changes.append((p.region_code, old, counters.of(p)))
    b.status = BatchStatus.submitted.value
    b.submitted_at = utcnow()
    session.flush()
    _move_counters(session, changes)
    return b


def _maybe_complete(session: Session, batch_id: int) -> None:
    b = session.get(RegistrationBatch, batch_id)
    if b is None or b.status != BatchStatus.submitted:
        return
    waiting = session.scalar(select(func.count()).where(Posyandu.batch_id == batch_id, Posyandu.registration_status == S.submitted))
    if not waiting:
        b.status = BatchStatus.completed.value
        session.flush()


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
    members = _members(session, b.id)
    codes = {c for m in members for c in _ancestor_codes(m.region_code)}
    names = {r.code: r.name for r in session.scalars(select(Region).where(Region.code.in_(codes)))} if codes else {}
    rows = []
    for i, m in enumerate(members, start=1):
        parts = m.region_code.split(".")
        rows.append([
            i, m.id, m.name, m.region_code, names.get(m.region_code, ""), names.get(".".join(parts[:3]), ""),
            names.get(".".join(parts[:2]), ""), names.get(parts[0], ""), m.rw or "", m.rt or "", m.address or "",
            m.pengurus_count, m.kader_count, m.stratum or "", ", ".join(fields_of(m.spm_mask)),
            "" if m.latitude is None else m.latitude, "" if m.longitude is None else m.longitude, m.registration_number or "",
        ])
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
    """Rows of the first sheet of an XLSX/XLS file, or of a CSV (UTF-8, ',', ';' or tab)."""
    if is_workbook(data[:8]):
        try:  # parsed in a child process with hard limits: a hostile workbook cannot end the server
            return list(workbook_rows(io.BytesIO(data)))
        except UnreadableSpreadsheet as e:
            raise ValidationProblem(e.message, loc=["body", "file"]) from None
    if b"\x00" in data:
        raise UnsupportedMediaType("Send an XLSX or a CSV file.")
    try:
        textual = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationProblem("The CSV file is not UTF-8 text.", loc=["body", "file"]) from None
    sample = textual[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(textual), dialect)]
    except csv.Error as e:
        raise ValidationProblem(f"The CSV file cannot be read: {e}.", loc=["body", "file"]) from None


NUMBER_MAX = 64


def _is_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID


def _chunks(values: list[Any], size: int = 900) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _norm_header(h: str) -> str:
    return re.sub(r"\s+", "_", h.strip().lower())


def import_numbers(session: Session, principal: Principal, batch_id: int, data: bytes, dry_run: bool) -> NumberImportReport:
    b = get_batch(session, principal, batch_id)
    policy.require_role(principal, Action.import_numbers, b)
    limit = get_settings().registration_import_max_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.")
    if not data.strip():
        raise ValidationProblem("The file is empty.", loc=["body", "file"])
    policy.require(principal, Action.import_numbers, b)
    table = read_table(data)
    header_at = next((i for i, r in enumerate(table) if any(c for c in r)), None)
    if header_at is None:
        raise ValidationProblem("The file has no rows.", loc=["body", "file"])
    header = [_norm_header(h) for h in table[header_at]]
    id_col = next((i for i, h in enumerate(header) if h in ID_HEADERS), None)
    num_col = next((i for i, h in enumerate(header) if h in NUMBER_HEADERS), None)
    if id_col is None or num_col is None:
        raise ValidationProblem("The file needs the columns 'posyandu_id' and 'nomor_registrasi' (as in the batch export).", loc=["body", "file"])

    parsed: list[tuple[int, str, str]] = []  # (row number, raw id, number)
    for i, r in enumerate(table[header_at + 1:], start=header_at + 2):
        if not any(r):
            continue
        raw_id = r[id_col] if id_col < len(r) else ""
        number = r[num_col] if num_col < len(r) else ""
        parsed.append((i, raw_id, number))

    ids = {int(raw) for _, raw, _ in parsed if _is_id(raw)}
    found: dict[int, Posyandu] = {}
    for chunk in _chunks(sorted(ids)):
        found.update({p.id: p for p in session.scalars(select(Posyandu).where(Posyandu.id.in_(chunk)))})
    numbers = {n for _, _, n in parsed if n and len(n) <= NUMBER_MAX}
    used: dict[str, int] = {}
    for chunk in _chunks(sorted(numbers)):
        used.update({cast(str, n): i for n, i in session.execute(  # registration_number IN (...): never NULL
            select(Posyandu.registration_number, Posyandu.id).where(Posyandu.registration_number.in_(chunk)))})

    errors: list[ImportRowError] = []
    items: list[ImportRow] = []
    seen_ids: dict[int, int] = {}
    seen_numbers: dict[str, int] = {}
    for row, raw_id, number in parsed:
        def err(msg: str) -> None:
            errors.append(ImportRowError(row=row, posyandu_id=raw_id or None, registration_number=number or None, msg=msg))

        if not _is_id(raw_id):
            err(f"posyandu_id '{raw_id}' is not a posyandu id." if raw_id else "posyandu_id is empty.")
            continue
        pid = int(raw_id)
        p = found.get(pid)
        if p is None or not principal.covers(p.region_code):
            err(f"Unknown posyandu {pid}.")
            continue
        if pid in seen_ids:
            err(f"Posyandu {pid} is listed twice (also on row {seen_ids[pid]}).")
            continue
        seen_ids[pid] = row
        if p.batch_id != b.id:
            err(f"Posyandu {pid} is not in this batch.")
            continue
        if not number:
            err("nomor_registrasi is empty.")
            continue
        if len(number) > NUMBER_MAX:
            err(f"The number is longer than {NUMBER_MAX} characters.")
            continue
        if number in seen_numbers:
            err(f"Number '{number}' is given twice (also on row {seen_numbers[number]}).")
            continue
        seen_numbers[number] = row
        problem = check_number_format(number)
        if problem:
            err(problem)
            continue
        if number in used and used[number] != pid:
            err(f"Number '{number}' is already used by another posyandu.")
            continue
        if p.registration_status == S.registered:
            if p.registration_number == number:
                items.append(ImportRow(row=row, posyandu_id=pid, registration_number=number, outcome="unchanged"))
            else:
                err(f"Posyandu {pid} is already registered as '{p.registration_number}'.")
            continue
        if p.registration_status != S.submitted:
            err(f"Posyandu {pid} is {p.registration_status}, not awaiting a number.")
            continue
        items.append(ImportRow(row=row, posyandu_id=pid, registration_number=number, outcome="register"))

    to_register = [it for it in items if it.outcome == "register"]
    report = NumberImportReport(
        dry_run=dry_run, applied=False, rows=len(parsed), registered=len(to_register), unchanged=len(items) - len(to_register),
        items=items, errors=errors,
    )
    if errors and not dry_run:
        raise ValidationProblem(
            f"{len(errors)} row(s) have errors; nothing was saved.",
            errors=[{"loc": ["file", e.row], "msg": e.msg, "type": "import_row"} for e in errors],
        )
    if dry_run or not items:
        return report
    now = utcnow()
    changes = []
    for it in to_register:
        p = found[it.posyandu_id]
        old = counters.of(p)
        p.registration_status = S.registered
        p.registration_number = it.registration_number
        p.registered_at = now
        _record(session, principal, p, "register", S.submitted, S.registered, number=it.registration_number, batch_id=b.id)
        changes.append((p.region_code, old, counters.of(p)))
    session.flush()
    _move_counters(session, changes)
    _maybe_complete(session, b.id)
    report.applied = True
    return report
