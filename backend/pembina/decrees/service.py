"""Decrees (SK): records, their PDF, their lifecycle by role, and reporting deadlines."""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.regions.filters import held_in
from pembina.kit import feed, personal
from pembina.kit import search as text_search
from pembina.kit.repository import where_equal
from pembina.decrees.schemas import DecreeFilters, DeadlineFilters
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit.db import flush_write, utcnow
from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition, ReportingDeadline
from pembina.decrees.schemas import (
    DeadlineCreate,
    DeadlineRead,
    DeadlineUpdate,
    DecreeAction,
    DecreeCreate,
    DecreeFileInfo,
    DecreeRead,
    DecreeSubject,
    DecreeUpdate,
    TransitionCreate,
    TransitionRead,
)
from pembina.kit import clock, files
from pembina.kit.errors import Conflict, NotFound, ValidationProblem
from pembina.kit.reads import read
from pembina.kit.pagination import SEARCH_COUNT_LIMIT, Page, PageParams, apply_sort, paginate
from pembina.kit.patch import reject_nulls, columns, stored
from pembina.kit.repository import get_scoped, scoped_select
from pembina.kit.params import CODE_PATTERN
from pembina.regions import service as regions
from pembina.kit.scope import Principal, level_of
from pembina.teams import service as teams
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "region_code": Decree.region_code,
    "decree_date": Decree.decree_date,
    "number": Decree.number,
    "status": Decree.status,
    "created_at": Decree.created_at,
    "updated_at": Decree.updated_at,
    "title": Decree.title,
}

#: action -> the status it leads to (who may take it, and from which status: `pembina.auth.policy`)
TRANSITIONS: dict[DecreeAction, str] = {
    DecreeAction.issue: "issued",
    DecreeAction.report: "reported",
    DecreeAction.verify: "verified",
    DecreeAction.return_: "issued",
    DecreeAction.revoke: "revoked",
}
#: Fields that only a draft may change.
DRAFT_ONLY = ("region_code", "subject", "number", "decree_date", "signer", "team_id")
_CODE_RE = re.compile(CODE_PATTERN)


def to_read(d: Decree, principal: Principal) -> DecreeRead:
    file = None
    if d.file_name is not None and d.file_size is not None and d.file_sha256 and d.file_uploaded_at:
        file = DecreeFileInfo(name=d.file_name, size=d.file_size, sha256=d.file_sha256, uploaded_at=d.file_uploaded_at)
    return policy.read(DecreeRead, principal, d, file=file)


def get(session: Session, principal: Principal, decree_id: int, *, lock: bool = False) -> Decree:
    return get_scoped(session, principal, Decree, decree_id, tr("Decree", "SK"), lock=lock)


def list_decrees(session: Session, principal: Principal, params: PageParams, filters: DecreeFilters) -> Page[DecreeRead]:
    f = filters
    stmt = where_equal(
        held_in(select(Decree), Decree, principal, f), (Decree.status, f.status), (Decree.subject, f.subject), (Decree.team_id, f.team_id)
    )
    if f.q:
        stmt = stmt.where(text_search.matches(session, Decree, f.q))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Decree.region_code], tiebreak=Decree.id)
    return paginate(session, stmt, params, lambda d: to_read(d, principal), count_at_most=SEARCH_COUNT_LIMIT if f.q else None)


def _check_region(session: Session, code: str) -> None:
    if not _CODE_RE.match(code):
        raise ValidationProblem(f"'{code}' is not a region code.", f"'{code}' bukan kode wilayah.", loc=["body", "region_code"])
    regions.require_existing(session, code)


def _check_team(session: Session, principal: Principal, team_id: int | None, region_code: str) -> None:
    teams.check_named(session, principal, team_id, region_code, "The team must belong to the decree's region.")


def create(session: Session, principal: Principal, data: DecreeCreate) -> Decree:
    _check_region(session, data.region_code)
    policy.require(principal, Action.create_decree, policy.region(data.region_code))
    _check_team(session, principal, data.team_id, data.region_code)
    decree = Decree(**columns(data), level=level_of(data.region_code), status="draft")
    session.add(decree)
    session.flush()
    return decree


def update(session: Session, principal: Principal, decree_id: int, data: DecreeUpdate, expected: ExpectedVersion) -> Decree:
    decree = get(session, principal, decree_id, lock=True)
    expected.check(decree.version, lambda: to_read(decree, principal))
    policy.require(principal, Action.update, decree)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "region_code", "subject", "title")
    frozen = [k for k in DRAFT_ONLY if k in changes and stored(changes[k]) != getattr(decree, k)]
    if frozen and decree.status != "draft":
        raise Conflict(
            f"The decree is {decree.status}: only title and notes can change ({', '.join(frozen)} cannot).",
            f"SK berstatus {decree.status}: hanya judul dan catatan yang dapat diubah ({', '.join(frozen)} tidak dapat).",
        )
    region_code = changes.get("region_code", decree.region_code)
    if region_code != decree.region_code:
        _check_region(session, region_code)
        policy.require(principal, Action.create_decree, policy.region(region_code))
    team_id = changes["team_id"] if "team_id" in changes else decree.team_id
    if "team_id" in changes or region_code != decree.region_code:
        _check_team(session, principal, team_id, region_code)
    for key, value in changes.items():
        setattr(decree, key, stored(value))
    decree.level = level_of(decree.region_code)
    flush_write(session)
    return decree


def delete(session: Session, principal: Principal, decree_id: int) -> None:
    decree = get(session, principal, decree_id)
    policy.require(principal, Action.delete, decree)
    session.delete(decree)
    session.flush()


# -- lifecycle -------------------------------------------------------------------


def transition(
    session: Session, principal: Principal, decree_id: int, data: TransitionCreate, expected: ExpectedVersion
) -> DecreeTransition:
    decree = get(session, principal, decree_id, lock=True)
    expected.check(decree.version, lambda: to_read(decree, principal))
    policy.require(principal, Action(data.action.value), decree)
    target = TRANSITIONS[data.action]
    reason = data.reason.strip() if data.reason else None
    if data.action in (DecreeAction.return_, DecreeAction.revoke) and not reason:
        raise ValidationProblem(
            f"A reason is required to {data.action.value} a decree.",
            f"Alasan wajib diisi untuk {data.action.value} SK.",
            loc=["body", "reason"],
        )
    today = clock.today()
    effective = data.effective_date or (decree.decree_date if data.action == DecreeAction.issue and decree.decree_date else today)
    if effective > today:
        raise ValidationProblem(
            "effective_date cannot be in the future.", "effective_date tidak boleh di masa depan.", loc=["body", "effective_date"]
        )
    last = session.scalar(
        select(DecreeTransition.effective_date).where(DecreeTransition.decree_id == decree.id).order_by(DecreeTransition.id.desc()).limit(1)
    )
    if last is not None and effective < last:
        raise ValidationProblem(
            f"effective_date cannot be before the previous step ({last.isoformat()}).",
            f"effective_date tidak boleh sebelum langkah sebelumnya ({last.isoformat()}).",
            loc=["body", "effective_date"],
        )
    row = DecreeTransition(
        decree_id=decree.id,
        region_code=decree.region_code,
        level=decree.level,
        subject=decree.subject,
        action=data.action.value,
        from_status=decree.status,
        to_status=target,
        reason=reason,
        effective_date=effective,
        actor=principal.subject,
        actor_name=principal.name,
        occurred_at=utcnow(),
    )
    decree.status = target
    session.add(row)
    flush_write(session)
    if decree.subject == DecreeSubject.team_formation.value:
        compliance.refresh(session, decree.region_code)
    return row


def transition_read(t: DecreeTransition) -> TransitionRead:
    return read(TransitionRead, t)


def list_transitions(session: Session, principal: Principal, decree_id: int) -> list[TransitionRead]:
    get(session, principal, decree_id)
    rows = session.scalars(select(DecreeTransition).where(DecreeTransition.decree_id == decree_id).order_by(DecreeTransition.id))
    return [personal.minimise(transition_read(t), None, principal.sees_personal_data) for t in rows]


# -- the PDF ---------------------------------------------------------------------


def upload_file(session: Session, principal: Principal, decree_id: int, filename: str | None, stream: BinaryIO | None) -> Decree:
    decree = get(session, principal, decree_id, lock=True)
    policy.require_role(principal, Action.upload_file, decree)
    if stream is None:
        raise ValidationProblem(
            "Send the PDF as multipart/form-data field 'file'.", "Kirim PDF sebagai isian multipart/form-data 'file'.", loc=["body", "file"]
        )
    policy.require(principal, Action.upload_file, decree)
    limit = get_settings().decree_file_max_bytes
    upload = files.accept(
        files.read_capped(stream, limit),
        filename,
        limit=limit,
        kinds={files.PDF},
        default_name=f"sk-{decree.id}.pdf",
        refusal=tr(
            "The file is not a PDF (its content does not start with %PDF- and end with %%EOF).",
            "Berkas bukan PDF (isinya tidak diawali %PDF- dan diakhiri %%EOF).",
        ),
        empty=None,  # an empty file is not a PDF: 415 like any other
    )
    decree.file_name = upload.name
    decree.file_size = upload.size
    decree.file_sha256 = files.store(upload)
    decree.file_uploaded_at = utcnow()
    flush_write(session)
    return decree


def download_file(session: Session, principal: Principal, decree_id: int) -> tuple[str, str]:
    """The PDF's name and its sha256 in the file store."""
    decree = get(session, principal, decree_id)
    if decree.file_name is None or decree.file_sha256 is None:
        raise NotFound("This decree has no file.", "SK ini tidak memiliki berkas.")
    return decree.file_name, decree.file_sha256


# -- reporting deadlines ---------------------------------------------------------

DEADLINE_SORTS = {"region_code": ReportingDeadline.region_code, "year": ReportingDeadline.year, "due_date": ReportingDeadline.due_date}


def deadline_read(d: ReportingDeadline, principal: Principal) -> DeadlineRead:
    return policy.read(DeadlineRead, principal, d)


def get_deadline(session: Session, principal: Principal, deadline_id: int) -> ReportingDeadline:
    return get_scoped(session, principal, ReportingDeadline, deadline_id, tr("Reporting deadline", "Batas waktu pelaporan"))


def list_deadlines(session: Session, principal: Principal, params: PageParams, filters: DeadlineFilters) -> Page[DeadlineRead]:
    stmt = scoped_select(select(ReportingDeadline), ReportingDeadline.region_code, principal, filters.region)
    stmt = where_equal(stmt, (ReportingDeadline.year, filters.year))
    stmt = apply_sort(
        stmt,
        params.sort,
        DEADLINE_SORTS,
        default=[ReportingDeadline.year.desc(), ReportingDeadline.region_code],
        tiebreak=ReportingDeadline.id,
    )
    return paginate(session, stmt, params, lambda d: deadline_read(d, principal))


def create_deadline(session: Session, principal: Principal, data: DeadlineCreate) -> ReportingDeadline:
    _check_region(session, data.region_code)
    policy.require(principal, Action.set_deadline, policy.region(data.region_code))
    clash = session.scalar(
        select(ReportingDeadline.id).where(ReportingDeadline.region_code == data.region_code, ReportingDeadline.year == data.year)
    )
    if clash is not None:
        raise Conflict(
            f"Region {data.region_code} already has a deadline for {data.year} (id {clash}): update it.",
            f"Wilayah {data.region_code} sudah memiliki batas waktu untuk tahun {data.year} (id {clash}): perbarui yang itu.",
        )
    d = ReportingDeadline(**columns(data))
    session.add(d)
    session.flush()
    return d


def update_deadline(
    session: Session, principal: Principal, deadline_id: int, data: DeadlineUpdate, expected: ExpectedVersion
) -> ReportingDeadline:
    d = get_deadline(session, principal, deadline_id)
    expected.check(d.version, lambda: deadline_read(d, principal))
    policy.require(principal, Action.update, d)
    changes = data.model_dump(exclude_unset=True)
    if "due_date" in changes:
        if changes["due_date"] is None:
            raise ValidationProblem("due_date cannot be null.", "due_date tidak boleh null.", loc=["body", "due_date"])
        d.due_date = changes["due_date"]
    if "notes" in changes:
        d.notes = changes["notes"]
    flush_write(session)
    return d


def delete_deadline(session: Session, principal: Principal, deadline_id: int) -> None:
    d = get_deadline(session, principal, deadline_id)
    policy.require(principal, Action.delete, d)
    session.delete(d)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(Decree, DecreeRead, feed.each(to_read))
feed.register(ReportingDeadline, DeadlineRead, feed.each(deadline_read))
feed.register(DecreeTransition, TransitionRead, lambda _s, _p, rows: [transition_read(t) for t in rows])
