"""Coordination meetings (rakor): the record, its legal basis, attachments and follow-up actions."""

from __future__ import annotations

from functools import partial

from collections.abc import Sequence

from datetime import date
from typing import Any

from sqlalchemy import bindparam, case, func, literal_column, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit import search as text_search
from pembina.kit.repository import where_equal
from pembina.regions.filters import held_in
from pembina.meetings.schemas import FollowUpFilters, MeetingFilters
from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.config import get_settings
from pembina.kit.db import flush_write, utcnow
from pembina.kit import clock, files
from pembina.kit.errors import UnsupportedMediaType, ValidationProblem
from pembina.kit.reads import read
from pembina.legal import service as legal
from pembina.legal.models import LegalReference
from pembina.meetings.models import FollowUp, Meeting, MeetingAttachment, MeetingAttendance, MeetingLegalBasis
from pembina.meetings.schemas import (
    PENDING,
    AttachmentRead,
    AttendanceIn,
    AttendanceRead,
    DatePrecision,
    FollowUpSummary,
    FollowUpCreate,
    FollowUpRead,
    FollowUpStatus,
    FollowUpUpdate,
    MeetingCreate,
    MeetingDetail,
    MeetingRead,
    MeetingUpdate,
    SpeakerRead,
)
from pembina.kit.pagination import SEARCH_COUNT_LIMIT, Page, PageParams, apply_sort, paginate_batch
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_or_404, scoped_select, search
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.kit.scope import Principal, code_covers, level_of
from pembina.teams import service as teams
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "held_on": Meeting.held_on,
    "region_code": Meeting.region_code,
    "title": Meeting.title,
    "participant_count": Meeting.participant_count,
    "created_at": Meeting.created_at,
}
FOLLOW_UP_SORTS = {
    "due_on": FollowUp.due_on,
    "status": FollowUp.status,
    "region_code": FollowUp.region_code,
    "created_at": FollowUp.created_at,
}


def today() -> date:
    """The day follow-ups are judged on: the offices' today (one clock, `kit.clock`), never the host's."""
    return clock.today()


# -- reads -------------------------------------------------------------------------


def _counts(session: Session, meeting_ids: list[int], as_of: date) -> tuple[dict[int, FollowUpSummary], dict[int, int]]:
    if not meeting_ids:
        return {}, {}
    pending = FollowUp.status.in_(PENDING)
    rows = session.execute(
        select(FollowUp.meeting_id, func.count().filter(pending), func.count().filter(pending, FollowUp.due_on < as_of))
        .where(FollowUp.meeting_id.in_(meeting_ids))
        .group_by(FollowUp.meeting_id)
    ).all()
    counts = {mid: FollowUpSummary(open=o, overdue=d) for mid, o, d in rows}
    files = dict(
        session.execute(
            select(MeetingAttachment.meeting_id, func.count())
            .where(MeetingAttachment.meeting_id.in_(meeting_ids))
            .group_by(MeetingAttachment.meeting_id)
        ).all()
    )
    return counts, files


def _legal_bases(session: Session, meeting_ids: list[int]) -> dict[int, list[LegalReference]]:
    out: dict[int, list[LegalReference]] = {}
    if not meeting_ids:
        return out
    rows = session.execute(
        select(MeetingLegalBasis.meeting_id, LegalReference)
        .join(LegalReference, LegalReference.id == MeetingLegalBasis.legal_reference_id)
        .where(MeetingLegalBasis.meeting_id.in_(meeting_ids))
        .order_by(MeetingLegalBasis.meeting_id, MeetingLegalBasis.position)
    ).all()
    for meeting_id, ref in rows:
        out.setdefault(meeting_id, []).append(ref)
    return out


def _attendance(session: Session, meeting_ids: list[int]) -> dict[int, list[AttendanceRead]]:
    out: dict[int, list[AttendanceRead]] = {}
    if not meeting_ids:
        return out
    rows = session.execute(
        select(MeetingAttendance.meeting_id, Region.code, Region.name, Region.level, MeetingAttendance.participant_count)
        .join(Region, Region.code == MeetingAttendance.attendee_region_code)
        .where(MeetingAttendance.meeting_id.in_(meeting_ids))
        .order_by(MeetingAttendance.meeting_id, Region.code)
    ).all()
    for meeting_id, code, name, level, count in rows:
        out.setdefault(meeting_id, []).append(AttendanceRead(region_code=code, region_name=name, level=level, participant_count=count))
    return out


def _participants(attendance: list[AttendanceRead]) -> int | None:
    counted = [a.participant_count for a in attendance if a.participant_count is not None]
    return sum(counted) if counted else None


def _to_reads(session: Session, meetings: list[Meeting], principal: Principal) -> list[MeetingRead]:
    ids = [m.id for m in meetings]
    counts, files = _counts(session, ids, today())
    bases = _legal_bases(session, ids)
    attendance = _attendance(session, ids)
    return [
        policy.read(
            MeetingRead,
            principal,
            m,
            speakers=[SpeakerRead(name_or_office=s["name_or_office"], topic=s.get("topic")) for s in (m.speakers or [])],
            legal_basis=[legal.to_ref(r) for r in bases.get(m.id, [])],
            follow_ups=counts.get(m.id, FollowUpSummary(open=0, overdue=0)),
            attachment_count=files.get(m.id, 0),
            attendance=attendance.get(m.id, []),
            attendance_participants=_participants(attendance.get(m.id, [])),
        )
        for m in meetings
    ]


def to_read(session: Session, m: Meeting, principal: Principal) -> MeetingRead:
    return _to_reads(session, [m], principal)[0]


def to_detail(session: Session, m: Meeting, principal: Principal) -> MeetingDetail:
    items = session.scalars(
        select(FollowUp).where(FollowUp.meeting_id == m.id).order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.id)
    ).all()
    return MeetingDetail(**to_read(session, m, principal).model_dump(), follow_up_items=[follow_up_read(f, m, principal) for f in items])


def get(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    """The meeting, if the caller may read it: one of its region's, or a national one (`policy.readable`)."""
    return get_or_404(session, Meeting, meeting_id, tr("Meeting", "Rapat"), visible=partial(policy.readable, principal))


def list_meetings(session: Session, principal: Principal, params: PageParams, filters: MeetingFilters) -> Page[MeetingRead]:
    f = filters
    national = policy.reads_national(principal, Kind.meeting)
    stmt = where_equal(held_in(select(Meeting), Meeting, principal, f, national=national), (Meeting.funding_source, f.funding_source))
    if f.held_from:
        stmt = stmt.where(Meeting.held_on >= f.held_from)
    if f.held_to:
        stmt = stmt.where(Meeting.held_on <= f.held_to)
    if f.legal_reference_id is not None:
        cited = select(MeetingLegalBasis.meeting_id).where(MeetingLegalBasis.legal_reference_id == f.legal_reference_id)
        stmt = stmt.where(Meeting.id.in_(cited))
    if f.q:
        stmt = stmt.where(text_search.matches(session, Meeting, f.q))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Meeting.held_on.desc()], tiebreak=Meeting.id)
    return paginate_batch(
        session, stmt, params, lambda page: _to_reads(session, page, principal), count_at_most=SEARCH_COUNT_LIMIT if f.q else None
    )


# -- writes ------------------------------------------------------------------------


def _check_team(session: Session, principal: Principal, team_id: int | None, region_code: str | None) -> None:
    teams.check_named(session, principal, team_id, region_code, "The organising team must belong to the meeting's region.")


def _apply(m: Meeting, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key == "speakers":
            value = [{"name_or_office": s["name_or_office"], "topic": s.get("topic")} for s in value]
        elif key in ("funding_source", "held_on_precision") and value is not None:
            value = str(value.value if hasattr(value, "value") else value)
        setattr(m, key, value)


def _check_precision(held_on: date, precision: str) -> None:
    if precision == DatePrecision.month.value and held_on.day != 1:
        raise ValidationProblem(
            "A date known only to its month is given as the month's first day.",
            "Tanggal yang hanya diketahui bulannya ditulis sebagai tanggal 1 bulan itu.",
            loc=["body", "held_on"],
        )


def _set_attendance(session: Session, m: Meeting, attendance: list[AttendanceIn]) -> bool:
    """Replace the meeting's attendance; True if it changed. Each region exists and lies under the
    meeting's region (a national meeting: any region)."""
    for i, a in enumerate(attendance):
        loc: list[str | int] = ["body", "attendance", i, "region_code"]
        if session.get(Region, a.region_code) is None:
            raise ValidationProblem(f"Region {a.region_code} does not exist.", f"Wilayah {a.region_code} tidak ada.", loc=loc)
        if not code_covers(m.region_code, a.region_code):
            raise ValidationProblem(
                f"Region {a.region_code} is not under the meeting's region {m.region_code}.",
                f"Wilayah {a.region_code} tidak berada di bawah wilayah rapat {m.region_code}.",
                loc=loc,
            )
    current = list(session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == m.id)))
    wanted = {a.region_code: a.participant_count for a in attendance}
    if {c.attendee_region_code: c.participant_count for c in current} == wanted:
        return False
    for c in current:
        session.delete(c)
    session.flush()
    for code, count in wanted.items():
        session.add(MeetingAttendance(meeting_id=m.id, attendee_region_code=code, participant_count=count, region_code=m.region_code))
    return True


def _set_legal_basis(session: Session, m: Meeting, ids: list[int]) -> bool:
    """Replace the meeting's legal basis (ids in citation order); True if it changed."""
    refs = legal.resolve(session, ids, ["body", "legal_reference_ids"])
    current = list(
        session.scalars(select(MeetingLegalBasis).where(MeetingLegalBasis.meeting_id == m.id).order_by(MeetingLegalBasis.position))
    )
    if [b.legal_reference_id for b in current] == [r.id for r in refs]:
        return False
    for b in current:
        session.delete(b)
    session.flush()
    for position, ref in enumerate(refs, start=1):
        session.add(MeetingLegalBasis(meeting_id=m.id, legal_reference_id=ref.id, position=position, region_code=m.region_code))
    return True


def create(session: Session, principal: Principal, data: MeetingCreate) -> Meeting:
    if data.region_code is not None:
        regions.require_existing(session, data.region_code)
    policy.require(principal, Action.create_meeting, policy.region(data.region_code))
    _check_team(session, principal, data.team_id, data.region_code)
    _check_precision(data.held_on, data.held_on_precision.value)
    m = Meeting(region_code=data.region_code, level=level_of(data.region_code))
    _apply(m, data.model_dump(exclude={"region_code", "legal_reference_ids", "attendance"}))
    session.add(m)
    session.flush()
    _set_legal_basis(session, m, data.legal_reference_ids)
    _set_attendance(session, m, data.attendance)
    session.flush()
    return m


def update(session: Session, principal: Principal, meeting_id: int, data: MeetingUpdate, expected: ExpectedVersion) -> Meeting:
    m = get(session, principal, meeting_id)
    policy.require(principal, Action.update, m)
    expected.check(m.version, lambda: to_read(session, m, principal))
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(
        changes, "title", "held_on", "held_on_precision", "institutions", "agenda", "goals", "speakers", "legal_reference_ids", "attendance"
    )
    _check_precision(changes.get("held_on", m.held_on), str(changes.get("held_on_precision", m.held_on_precision)))
    if "team_id" in changes:
        _check_team(session, principal, changes["team_id"], m.region_code)
    ids = changes.pop("legal_reference_ids", None)
    if ids is not None and _set_legal_basis(session, m, ids):
        m.updated_at = utcnow()  # a new legal basis is a new version of the meeting
    attendance = changes.pop("attendance", None)
    if attendance is not None and _set_attendance(session, m, [AttendanceIn(**a) for a in attendance]):
        m.updated_at = utcnow()  # so is a new attendance
    _apply(m, changes)
    flush_write(session)
    return m


def delete(session: Session, principal: Principal, meeting_id: int) -> None:
    m = get(session, principal, meeting_id)
    policy.require(principal, Action.delete, m)
    # Children one by one, so that the audit trail and the change feed see each delete.
    for child in session.scalars(select(FollowUp).where(FollowUp.meeting_id == m.id)):
        session.delete(child)
    for attachment in session.scalars(select(MeetingAttachment).where(MeetingAttachment.meeting_id == m.id)):
        session.delete(attachment)
    for basis in session.scalars(select(MeetingLegalBasis).where(MeetingLegalBasis.meeting_id == m.id)):
        session.delete(basis)
    for attended in session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == m.id)):
        session.delete(attended)
    session.flush()
    session.delete(m)
    session.flush()


# -- attachments -------------------------------------------------------------------


def attachment_read(a: MeetingAttachment) -> AttachmentRead:
    return read(AttachmentRead, a)


def list_attachments(session: Session, principal: Principal, meeting_id: int) -> list[AttachmentRead]:
    get(session, principal, meeting_id)
    rows = session.scalars(select(MeetingAttachment).where(MeetingAttachment.meeting_id == meeting_id).order_by(MeetingAttachment.id))
    return [attachment_read(a) for a in rows]


#: What an attachment may be.
ATTACHMENT_KINDS = {files.PDF, files.PNG, files.JPEG}


def add_attachment(
    session: Session, principal: Principal, meeting_id: int, filename: str | None, data: bytes | None, content_type: str | None = None
) -> AttachmentRead:
    """Attach a PDF, PNG or JPEG, judged by its content (a PDF like a decree's: `%PDF-` … `%%EOF`);
    a name ending or a declared type that claims another kind is refused too (415)."""
    m = get(session, principal, meeting_id)
    policy.require(principal, Action.add_attachment, m)
    if data is None:
        raise ValidationProblem(
            "Send the file as multipart/form-data field `file`.",
            "Kirim berkas sebagai isian multipart/form-data `file`.",
            loc=["body", "file"],
        )
    upload = files.accept(
        data,
        filename,
        limit=get_settings().attachment_max_bytes,
        kinds=ATTACHMENT_KINDS,
        default_name="attachment",
        refusal=tr(
            "An attachment must be a PDF, PNG or JPEG file (checked by its content).",
            "Lampiran harus berupa berkas PDF, PNG atau JPEG (diperiksa dari isinya).",
        ),
    )
    if not files.claims_match(upload.content_type, filename, content_type):
        raise UnsupportedMediaType(
            f"The file's content is {upload.content_type}, but its name or declared type claims otherwise: they must match.",
            f"Isi berkas adalah {upload.content_type}, tetapi nama atau jenis yang dinyatakan berbeda: keduanya harus sesuai.",
        )
    a = MeetingAttachment(meeting_id=m.id, region_code=m.region_code).holding(upload, principal.subject)
    session.add(a)
    session.flush()
    return attachment_read(a)


def get_attachment(session: Session, principal: Principal, meeting_id: int, attachment_id: int) -> MeetingAttachment:
    get(session, principal, meeting_id)
    return get_or_404(
        session, MeetingAttachment, attachment_id, tr("Attachment", "Lampiran"), parent=(MeetingAttachment.meeting_id, meeting_id)
    )


def delete_attachment(session: Session, principal: Principal, meeting_id: int, attachment_id: int) -> None:
    a = get_attachment(session, principal, meeting_id, attachment_id)
    policy.require(principal, Action.delete, a)
    session.delete(a)
    session.flush()


# -- follow-ups --------------------------------------------------------------------


def _overdue(f: FollowUp, as_of: date) -> bool:
    return f.status in PENDING and f.due_on is not None and f.due_on < as_of


def follow_up_read(f: FollowUp, m: Meeting, principal: Principal, as_of: date | None = None) -> FollowUpRead:
    return policy.read(FollowUpRead, principal, f, meeting_title=m.title, meeting_held_on=m.held_on, overdue=_overdue(f, as_of or today()))


def list_follow_ups(session: Session, principal: Principal, params: PageParams, filters: FollowUpFilters) -> Page[FollowUpRead]:
    f = filters
    as_of = f.as_of or today()
    stmt = scoped_select(
        select(FollowUp, Meeting).join(Meeting, Meeting.id == FollowUp.meeting_id), FollowUp.region_code, principal, f.region
    )
    stmt = where_equal(stmt, (FollowUp.status, f.status), (FollowUp.meeting_id, f.meeting_id))
    is_overdue = FollowUp.status.in_(PENDING) & FollowUp.due_on.is_not(None) & (FollowUp.due_on < as_of)
    if f.overdue is not None:
        stmt = stmt.where(is_overdue if f.overdue else ~is_overdue)
    if f.q:
        stmt = stmt.where(search(f.q, FollowUp.action, FollowUp.owner))
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    default = [case((FollowUp.due_on.is_(None), 1), else_=0), FollowUp.due_on]
    stmt = apply_sort(stmt, params.sort, FOLLOW_UP_SORTS, default=default, tiebreak=FollowUp.id)
    rows = session.execute(stmt.limit(params.limit).offset(params.offset)).all()
    return Page[FollowUpRead](
        items=[follow_up_read(f, m, principal, as_of) for f, m in rows], total=total, limit=params.limit, offset=params.offset
    )


def _done_on(status: str, done_on: date | None, held_on: date) -> date | None:
    if status != FollowUpStatus.done.value:
        if done_on is not None:
            raise ValidationProblem(
                "done_on is only for follow-ups that are done.",
                "done_on hanya untuk tindak lanjut yang sudah selesai.",
                loc=["body", "done_on"],
            )
        return None
    done_on = done_on or today()
    if done_on < held_on:
        raise ValidationProblem("done_on is before the meeting.", "done_on sebelum tanggal rapat.", loc=["body", "done_on"])
    return done_on


def create_follow_up(session: Session, principal: Principal, meeting_id: int, data: FollowUpCreate) -> tuple[FollowUp, Meeting]:
    m = get(session, principal, meeting_id)
    policy.require(principal, Action.add_follow_up, m)
    f = FollowUp(
        **columns(data, "done_on"), meeting_id=m.id, region_code=m.region_code, done_on=_done_on(data.status.value, data.done_on, m.held_on)
    )
    session.add(f)
    session.flush()
    return f, m


def get_follow_up(session: Session, principal: Principal, meeting_id: int, follow_up_id: int) -> tuple[FollowUp, Meeting]:
    m = get(session, principal, meeting_id)
    return get_or_404(session, FollowUp, follow_up_id, tr("Follow-up", "Tindak lanjut"), parent=(FollowUp.meeting_id, meeting_id)), m


def update_follow_up(
    session: Session, principal: Principal, meeting_id: int, follow_up_id: int, data: FollowUpUpdate, expected: ExpectedVersion
) -> tuple[FollowUp, Meeting]:
    f, m = get_follow_up(session, principal, meeting_id, follow_up_id)
    policy.require(principal, Action.update, f)
    expected.check(f.version, lambda: follow_up_read(f, m, principal))
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "action", "status")
    status = str(changes.get("status", f.status))
    if "done_on" in changes:
        done_on = changes["done_on"]
    else:
        done_on = f.done_on if status == FollowUpStatus.done.value else None
    f.done_on = _done_on(status, done_on, m.held_on)
    f.status = status
    assign(f, changes, "action", "owner", "due_on", "notes")
    flush_write(session)
    return f, m


def delete_follow_up(session: Session, principal: Principal, meeting_id: int, follow_up_id: int) -> None:
    f, _ = get_follow_up(session, principal, meeting_id, follow_up_id)
    policy.require(principal, Action.delete, f)
    session.delete(f)
    session.flush()


#: The summaries' follow-up counts, nationally and for a subtree: constant statements (read on
#: every summary; PostgreSQL prepares them after a few runs).
_PENDING_COUNTS = select(func.count(), func.count().filter(FollowUp.due_on < bindparam("as_of"))).where(
    FollowUp.status.in_([literal_column(f"'{v}'") for v in PENDING])  # constants of the enum, rendered once
)
_PENDING_COUNTS_UNDER = _PENDING_COUNTS.where(FollowUp.region_code >= bindparam("root"), FollowUp.region_code < bindparam("root_end"))


def summary_counts(session: Session, code: str | None, as_of: date | None = None) -> FollowUpSummary:
    """Open and overdue follow-ups of meetings in `code`'s subtree, or the nation's (for the summaries)."""
    params: dict[str, object] = {"as_of": as_of or today()}
    if code is None:
        stmt = _PENDING_COUNTS
    else:
        stmt = _PENDING_COUNTS_UNDER  # the subtree as one index range, as scope.subtree_clause
        params.update(root=code, root_end=code + "/")
    open_, overdue = session.connection().execute(stmt, params).one()
    return FollowUpSummary(open=open_, overdue=overdue)


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------


def _feed_follow_ups(session: Session, principal: Principal, rows: Sequence[FollowUp]) -> list[FollowUpRead]:
    meetings = {m.id: m for m in session.scalars(select(Meeting).where(Meeting.id.in_({f.meeting_id for f in rows})))}
    return [follow_up_read(f, meetings[f.meeting_id], principal) for f in rows]


feed.register(Meeting, MeetingRead, lambda session, principal, rows: _to_reads(session, list(rows), principal))
feed.register(FollowUp, FollowUpRead, _feed_follow_ups)
feed.register(MeetingAttachment, AttachmentRead, lambda _s, _p, rows: [attachment_read(a) for a in rows])
