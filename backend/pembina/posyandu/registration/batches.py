"""Registration batches: a regency/city's verified posyandu, built as a draft, submitted to the
ministry, completed when every member is registered, returned or rejected."""

from __future__ import annotations

from collections.abc import Sequence

from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.db import utcnow
from pembina.kit.errors import InvalidTransition, ValidationProblem
from pembina.kit.reads import read
from pembina.kit.repository import get_scoped, scoped_select
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate_batch
from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.kit.scope import Principal, code_covers, level_of
from pembina.kit.versioning import ExpectedVersion
from pembina.posyandu import counters
from pembina.posyandu.models import Posyandu, RegistrationBatch
from pembina.posyandu.models import RegistrationStatus as S
from pembina.posyandu.registration.common import move_counters, record
from pembina.posyandu.schemas import BatchCreate, BatchDetail, BatchMember, BatchRead, BatchStatus, BatchUpdate
from pembina.regions import service as regions

BATCH_SORTS = {
    "created_at": RegistrationBatch.created_at,
    "title": RegistrationBatch.title,
    "status": RegistrationBatch.status,
    "region_code": RegistrationBatch.region_code,
}


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
    return policy.read(BatchRead, principal, b, member_count=counts[0], registered_count=counts[1])


def batch_members(session: Session, batch_id: int) -> list[Posyandu]:
    return list(
        session.scalars(select(Posyandu).where(Posyandu.batch_id == batch_id).order_by(Posyandu.region_code, Posyandu.name, Posyandu.id))
    )


def batch_detail(session: Session, b: RegistrationBatch, principal: Principal) -> BatchDetail:
    members = batch_members(session, b.id)
    return policy.read(
        BatchDetail,
        principal,
        b,
        member_count=len(members),
        registered_count=sum(1 for m in members if m.registration_number),
        members=[read(BatchMember, m, village_name=m.village.name if m.village else "") for m in members],
    )


def get_batch(session: Session, principal: Principal, batch_id: int) -> RegistrationBatch:
    return get_scoped(session, principal, RegistrationBatch, batch_id, tr("Registration batch", "Batch registrasi"))


def list_batches(
    session: Session, principal: Principal, params: PageParams, *, region: str | None, status: BatchStatus | None
) -> Page[BatchRead]:
    stmt = scoped_select(select(RegistrationBatch), RegistrationBatch.region_code, principal, region)
    if status:
        stmt = stmt.where(RegistrationBatch.status == status.value)
    stmt = apply_sort(stmt, params.sort, BATCH_SORTS, default=[RegistrationBatch.created_at.desc()], tiebreak=RegistrationBatch.id)

    def reads(rows: list[RegistrationBatch]) -> list[BatchRead]:
        counts = _counts(session, [b.id for b in rows])
        return [_batch_read(b, counts.get(b.id, (0, 0)), principal) for b in rows]

    return paginate_batch(session, stmt, params, reads)


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
        raise ValidationProblem(
            f"{len(errors)} posyandu cannot be batched.", f"{len(errors)} posyandu tidak dapat dimasukkan ke batch.", errors=errors
        )
    return out


def _set_members(session: Session, principal: Principal, batch: RegistrationBatch, ids: list[int]) -> None:
    members = _check_members(session, principal, batch, ids)
    keep = {p.id for p in members}
    for p in batch_members(session, batch.id):
        if p.id not in keep:
            p.batch_id = None
    for p in members:
        p.batch_id = batch.id


def create_batch(session: Session, principal: Principal, data: BatchCreate) -> RegistrationBatch:
    policy.require_role(principal, Action.create_batch, Kind.region)
    if not regions._CODE_RE.match(data.region_code) or level_of(data.region_code) != 2:
        raise ValidationProblem(
            "A registration batch belongs to a regency/city: give a code like 33.75.",
            "Batch registrasi milik kabupaten/kota: berikan kode seperti 33.75.",
            loc=["body", "region_code"],
        )
    regions.require_existing(session, data.region_code)
    policy.require(principal, Action.create_batch, policy.region(data.region_code))
    b = RegistrationBatch(
        region_code=data.region_code,
        title=data.title.strip(),
        notes=data.notes,
        status=BatchStatus.draft.value,
        created_by=principal.subject,
    )
    session.add(b)
    session.flush()
    _set_members(session, principal, b, data.posyandu_ids)
    session.flush()
    return b


def update_batch(session: Session, principal: Principal, batch_id: int, data: BatchUpdate, expected: ExpectedVersion) -> RegistrationBatch:
    b = get_batch(session, principal, batch_id)
    policy.require(principal, Action.update, b)
    expected.check(b.version, lambda: batch_detail(session, b, principal))
    changes = data.model_dump(exclude_unset=True)
    if "title" in changes:
        if changes["title"] is None:
            raise ValidationProblem("title cannot be null.", "title tidak boleh null.", loc=["body", "title"])
        b.title = changes["title"].strip()
    if "notes" in changes:
        b.notes = changes["notes"]
    if "posyandu_ids" in changes:
        if b.status != BatchStatus.draft:
            raise InvalidTransition(
                f"The batch is {b.status}: its members can no longer change.",
                f"Batch berstatus {b.status}: anggotanya tidak dapat diubah lagi.",
            )
        _set_members(session, principal, b, changes["posyandu_ids"] or [])
    b.updated_at = utcnow()  # bumps the version even when only members changed
    session.flush()
    return b


def delete_batch(session: Session, principal: Principal, batch_id: int) -> None:
    b = get_batch(session, principal, batch_id)
    policy.require(principal, Action.delete, b)
    for p in batch_members(session, b.id):
        p.batch_id = None
    session.flush()
    session.delete(b)
    session.flush()


def submit_batch(session: Session, principal: Principal, batch_id: int, expected: ExpectedVersion) -> RegistrationBatch:
    b = get_batch(session, principal, batch_id)
    policy.require_role(principal, Action.submit, b)
    expected.check(b.version, lambda: batch_detail(session, b, principal))
    policy.require(principal, Action.submit, b)
    members = batch_members(session, b.id)
    if not members:
        raise ValidationProblem("The batch has no posyandu.", "Batch tidak memiliki posyandu.", loc=["body"])
    not_verified = [p.id for p in members if p.registration_status != S.verified]
    if not_verified:
        raise InvalidTransition(
            f"Posyandu {', '.join(map(str, not_verified))} are no longer verified; remove them first.",
            f"Posyandu {', '.join(map(str, not_verified))} tidak lagi terverifikasi; keluarkan dulu.",
        )
    changes = []
    for p in members:
        old = counters.of(p)
        p.registration_status = S.submitted
        record(session, principal, p, "submit", S.verified, S.submitted, batch_id=b.id)
        changes.append((p.region_code, old, counters.of(p)))
    b.status = BatchStatus.submitted.value
    b.submitted_at = utcnow()
    session.flush()
    move_counters(session, changes)
    return b


def maybe_complete(session: Session, batch_id: int) -> None:
    b = session.get(RegistrationBatch, batch_id)
    if b is None or b.status != BatchStatus.submitted:
        return
    waiting = session.scalar(select(func.count()).where(Posyandu.batch_id == batch_id, Posyandu.registration_status == S.submitted))
    if not waiting:
        b.status = BatchStatus.completed.value
        session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------


def _feed_reads(session: Session, principal: Principal, batches: Sequence[RegistrationBatch]) -> list[BatchRead]:
    counts = _counts(session, [b.id for b in batches])
    return [_batch_read(b, counts.get(b.id, (0, 0)), principal) for b in batches]


feed.register(RegistrationBatch, BatchRead, _feed_reads)
