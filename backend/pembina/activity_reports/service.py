"""Monthly activity reports: records, their lifecycle by role, the completeness board, the trend,
the service totals and the posyandu that did not report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport, ActivityReportPhoto
from pembina.activity_reports.schemas import (
    Board,
    BoardRow,
    Completeness,
    FieldDefinition,
    FieldDefinitions,
    FieldTotals,
    MissingFilters,
    MissingPosyandu,
    ReportAction,
    ReportCreate,
    ReportFilters,
    ReportRead,
    ReportUpdate,
    ServiceTotal,
    ServiceTotals,
    TransitionCreate,
    Trend,
)
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.config import get_settings
from pembina.kit import feed
from pembina.kit.db import flush_write, utcnow
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.i18n import tr
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.reads import read
from pembina.kit.repository import get_scoped, where_equal
from pembina.kit.scope import Principal, level_of, subtree_clause
from pembina.kit.versioning import ExpectedVersion
from pembina.posyandu import counters as posyandu_counters
from pembina.posyandu.catalog import SPM_BIT, SPM_FIELDS
from pembina.posyandu.models import Posyandu
from pembina.regions.filters import held_in
from pembina.regions.models import Region
from pembina.regions.schemas import RegionRef
from pembina.regions import service as regions
from pembina.stats import service as stats
from pembina.stats.models import RegionStat

SORTS = {
    "period": ActivityReport.period,
    "region_code": ActivityReport.region_code,
    "status": ActivityReport.status,
    "submitted_at": ActivityReport.submitted_at,
    "created_at": ActivityReport.created_at,
    "updated_at": ActivityReport.updated_at,
}
#: action -> the status it leads to (who may take it, and from which status: `pembina.auth.policy`)
TRANSITIONS: dict[ReportAction, str] = {ReportAction.submit: "submitted", ReportAction.accept: "accepted", ReportAction.return_: "returned"}


def _label() -> str:
    return tr("Activity report", "Laporan kegiatan")


def to_read(r: ActivityReport, principal: Principal) -> ReportRead:
    active = [f for f in SPM_FIELDS if r.active_mask & SPM_BIT[f]]
    return policy.read(ReportRead, principal, r, active_fields=active)


def get(session: Session, principal: Principal, report_id: int, *, lock: bool = False) -> ActivityReport:
    return get_scoped(session, principal, ActivityReport, report_id, _label(), lock=lock)


def list_reports(session: Session, principal: Principal, params: PageParams, filters: ReportFilters) -> Page[ReportRead]:
    f = filters
    stmt = where_equal(
        held_in(select(ActivityReport), ActivityReport, principal, f),
        (ActivityReport.period, f.period),
        (ActivityReport.status, f.status),
        (ActivityReport.posyandu_id, f.posyandu_id),
    )
    stmt = apply_sort(
        stmt, params.sort, SORTS, default=[ActivityReport.period.desc(), ActivityReport.region_code], tiebreak=ActivityReport.id
    )
    return paginate(session, stmt, params, lambda r: to_read(r, principal))


def field_definitions() -> FieldDefinitions:
    period = fields.last_period()
    s = get_settings()
    return FieldDefinitions(
        fields=[FieldDefinition(field=f, questions=q) for f, q in fields.definitions().items()],
        target_groups=dict(fields.TARGET_GROUPS),
        due_working_day=s.activity_report_due_working_day,
        acceptor=s.activity_report_acceptor,
        current_period=period,
        current_due_date=fields.due_date(period),
        photo_max_count=s.activity_report_photo_max_count,
        photo_max_bytes=s.activity_report_photo_max_bytes,
    )


# -- writes ----------------------------------------------------------------------


def _answers(questions: dict[str, dict[str, str]], counts: dict[Any, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The answers as stored (field -> code -> count, zeros dropped), each code one the report asks."""
    out: dict[str, dict[str, int]] = {}
    for field, values in counts.items():
        f = str(field)
        asked = questions.get(f, {})
        unknown = sorted(set(values) - set(asked))
        if unknown:
            raise ValidationProblem(
                f"Not asked in {f}: {', '.join(unknown)} (see GET /activity-reports/fields).",
                f"Tidak ditanyakan pada {f}: {', '.join(unknown)} (lihat GET /activity-reports/fields).",
                loc=["body", "counts", f],
            )
        kept = {code: int(v) for code, v in values.items() if v}
        if kept:
            out[f] = kept
    return out


def _groups(groups: dict[Any, int]) -> dict[str, int]:
    return {str(k): int(v) for k, v in groups.items() if v}


def _check_period(period: str) -> None:
    if period > fields.current_period():
        raise ValidationProblem(
            f"{period} has not begun yet: a month is reported from its own days on.",
            f"{period} belum dimulai: laporan suatu bulan dibuat sejak bulan itu berjalan.",
            loc=["body", "period"],
        )


def create(session: Session, principal: Principal, data: ReportCreate) -> ActivityReport:
    p = get_scoped(session, principal, Posyandu, data.posyandu_id, "Posyandu")
    policy.require(principal, Action.create_activity_report, policy.region(p.region_code))
    _check_period(data.period)
    if not p.is_active:
        raise Conflict(
            "The posyandu is inactive: inactive posyandu are not expected to report.",
            "Posyandu tidak aktif: posyandu tidak aktif tidak wajib melapor.",
        )
    clash = session.scalar(select(ActivityReport.id).where(ActivityReport.posyandu_id == p.id, ActivityReport.period == data.period))
    if clash is not None:
        raise Conflict(
            f"The posyandu already has a report for {data.period} (id {clash}): update that one.",
            f"Posyandu sudah memiliki laporan {data.period} (id {clash}): perbarui laporan itu.",
        )
    questions = fields.definitions()
    answers = _answers(questions, dict(data.counts))
    r = ActivityReport(
        region_code=p.region_code,
        level=level_of(p.region_code),
        posyandu_id=p.id,
        period=data.period,
        status="draft",
        days_open=data.days_open,
        kader_present=data.kader_present,
        questions=questions,
        counts=answers,
        target_groups=_groups(dict(data.target_groups)),
        active_mask=fields.active_mask(answers),
        notes=data.notes,
        due_date=fields.due_date(data.period),
    )
    session.add(r)
    session.flush()
    return r


def update(session: Session, principal: Principal, report_id: int, data: ReportUpdate, expected: ExpectedVersion) -> ActivityReport:
    r = get(session, principal, report_id, lock=True)
    expected.check(r.version, lambda: to_read(r, principal))
    policy.require(principal, Action.update, r)
    changes = data.model_dump(exclude_unset=True)
    for key in ("days_open", "kader_present", "counts", "target_groups"):
        if key in changes and changes[key] is None:
            raise ValidationProblem(f"{key} cannot be null.", f"{key} tidak boleh null.", loc=["body", key])
    old = counters.contribution(r)
    if "counts" in changes:
        answers = _answers(r.questions, dict(data.counts or {}))
        r.counts = answers
        r.active_mask = fields.active_mask(answers)
    if "target_groups" in changes:
        r.target_groups = _groups(dict(data.target_groups or {}))
    for key in ("days_open", "kader_present", "notes"):
        if key in changes:
            setattr(r, key, changes[key])
    flush_write(session)
    counters.move(session, old, counters.contribution(r), r.region_code, r.period)
    return r


def delete(session: Session, principal: Principal, report_id: int) -> None:
    r = get(session, principal, report_id)
    policy.require(principal, Action.delete, r)
    # its photos first, one by one (each audited); their bytes stay in the store until `pembina files gc`
    for photo in session.scalars(select(ActivityReportPhoto).where(ActivityReportPhoto.report_id == r.id)):
        session.delete(photo)
    session.flush()
    session.delete(r)
    session.flush()


def transition(session: Session, principal: Principal, report_id: int, data: TransitionCreate, expected: ExpectedVersion) -> ActivityReport:
    r = get(session, principal, report_id, lock=True)
    expected.check(r.version, lambda: to_read(r, principal))
    policy.require(principal, Action(data.action.value), r)
    reason = data.reason.strip() if data.reason else None
    if data.action == ReportAction.return_ and not reason:
        raise ValidationProblem(
            "A reason is required to return a report.", "Alasan wajib diisi untuk mengembalikan laporan.", loc=["body", "reason"]
        )
    old = counters.contribution(r)
    now = utcnow()
    if data.action == ReportAction.submit:
        if r.first_submitted_at is None:
            r.due_date = fields.due_date(r.period)
            r.first_submitted_at = now
            r.on_time = fields.on_time(now, r.due_date)
        r.submitted_at = now
    elif data.action == ReportAction.accept:
        r.accepted_at = now
        r.decided_by = principal.subject
    else:
        r.returned_at = now
        r.return_reason = reason
        r.accepted_at = None
        r.decided_by = principal.subject
    r.status = TRANSITIONS[data.action]
    flush_write(session)
    counters.move(session, old, counters.contribution(r), r.region_code, r.period)
    return r


# -- the board -------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _completeness(period: str, expected: int, v: dict[str, int]) -> dict[str, Any]:
    received = v.get(counters.RECEIVED, 0)
    on_time = v.get(counters.ON_TIME, 0)
    return {
        "period": period,
        "expected": expected,
        "received": received,
        "on_time": on_time,
        "accepted": v.get(counters.ACCEPTED, 0),
        "returned": v.get(counters.RETURNED, 0),
        "missing": max(expected - received, 0),
        "pct_received": _pct(received, expected),
        "pct_on_time": _pct(on_time, expected),
    }


def _where(session: Session, principal: Principal, code: str | None) -> Region | None:
    """The region asked for (default: the caller's own; None: the nation, national accounts only)."""
    code = code or principal.region_code
    if code is None:
        return None
    return regions.get_region(session, principal, code)


def _ref(r: Region | None) -> RegionRef | None:
    return read(RegionRef, r) if r is not None else None


def _province_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Region.code).where(Region.level == 1)))


def _rows(session: Session, codes: list[str], periods: list[str], *, sums: bool = False) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(region, month) -> its totals row, for these regions and months (with the JSON sums only
    when `sums`: the board and the trend read the integer columns alone)."""
    t = counters.TABLE
    columns = [c for c in t.columns if sums or c.name != "totals"]
    stmt = select(*columns).where(t.c.region_code.in_(codes), t.c.period.in_(periods))
    return {(r["region_code"], r["period"]): dict(r) for r in session.execute(stmt).mappings()}


def _expected(is_open: bool, row: Mapping[str, Any] | None, live: int) -> int:
    """The month's expected (`counters` gives the rule): kept once the month has closed, today's
    active count while it is open or when no row was kept; never below received."""
    kept = row["expected"] if row is not None and not is_open else live
    return max(kept, row["received"] if row is not None else 0)


def _metrics(row: Mapping[str, Any] | None) -> dict[str, int]:
    return counters.metrics_of(row) if row is not None else {}


def _add(into: dict[str, int], v: Mapping[str, int]) -> None:
    for m, n in v.items():
        into[m] = into.get(m, 0) + n


def board(session: Session, principal: Principal, code: str | None, period: str | None) -> Board:
    region = _where(session, principal, code)
    period = period or fields.last_period()
    parent = region.code if region is not None else None
    # the children, today's active posyandu and the month's row of each, in one statement
    t = counters.TABLE
    columns = [t.c[c] for c in ("expected", *counters.COLUMNS.values())]
    stmt = (
        select(Region, RegionStat.value, *columns)
        .outerjoin(RegionStat, and_(RegionStat.region_code == Region.code, RegionStat.metric == posyandu_counters.ACTIVE))
        .outerjoin(t, and_(t.c.region_code == Region.code, t.c.period == period))
        .where(Region.parent_code == parent if parent else Region.level == 1)
        .order_by(Region.code)
    )
    is_open = counters.is_open(period)
    rows = []
    total_v: dict[str, int] = {}
    for c, active, *values in session.execute(stmt):
        row = dict(zip([col.name for col in columns], values, strict=True)) if values[0] is not None else None
        v = _metrics(row)
        rows.append(BoardRow(region=read(RegionRef, c), **_completeness(period, _expected(is_open, row, active or 0), v)))
        _add(total_v, v)
    if region is None:
        total_expected = sum(r.expected for r in rows)
    else:
        own = _rows(session, [region.code], [period]).get((region.code, period))
        total_v = _metrics(own)
        live_total = stats.values(session, region.code, [posyandu_counters.ACTIVE]).get(posyandu_counters.ACTIVE, 0)
        total_expected = _expected(is_open, own, live_total)
    return Board(
        region=_ref(region),
        period=period,
        due_date=fields.due_date(period),
        rows=rows,
        total=Completeness(**_completeness(period, total_expected, total_v)),
    )


def _live(session: Session, region: Region | None) -> dict[str, int]:
    """Today's active posyandu of the region, or of each province for the nation."""
    if region is None:
        return {c: v.get(posyandu_counters.ACTIVE, 0) for c, v in stats.children_values(session, None, [posyandu_counters.ACTIVE]).items()}
    return {region.code: stats.values(session, region.code, [posyandu_counters.ACTIVE]).get(posyandu_counters.ACTIVE, 0)}


def trend(session: Session, principal: Principal, code: str | None, until: str | None) -> Trend:
    region = _where(session, principal, code)
    until = until or fields.last_period()
    periods = [fields.shift(until, -i) for i in range(11, -1, -1)]
    codes = [region.code] if region is not None else _province_codes(session)
    live = _live(session, region)
    got = _rows(session, codes, periods)
    months = []
    for p in periods:
        v: dict[str, int] = {}
        expected = 0
        is_open = counters.is_open(p)
        for c in codes:
            row = got.get((c, p))
            _add(v, _metrics(row))
            expected += _expected(is_open, row, live.get(c, 0))
        months.append(Completeness(**_completeness(p, expected, v)))
    return Trend(region=_ref(region), months=months)


def _sums(session: Session, region: Region | None, period: str) -> dict[str, int]:
    """Every metric of the region's month (the nation: the provinces summed; a village: its
    service and group sums from its reports, which its row does not keep)."""
    if region is None:
        v: dict[str, int] = {}
        for row in _rows(session, _province_codes(session), [period], sums=True).values():
            _add(v, _metrics(row))
        return v
    v = _metrics(_rows(session, [region.code], [period], sums=True).get((region.code, period)))
    if not counters.keeps_json(region.code):
        v.update(counters.village_totals(session, region.code, period))
    return v


def service_totals(session: Session, principal: Principal, code: str | None, period: str | None) -> ServiceTotals:
    region = _where(session, principal, code)
    period = period or fields.last_period()
    v = _sums(session, region, period)
    received = v.get(counters.RECEIVED, 0)
    defs = fields.definitions()
    out = []
    for f in SPM_FIELDS:
        prefix = f"svc.{f}."
        labels = dict(defs.get(f, {}))
        for m in v:
            if m.startswith(prefix):
                labels.setdefault(m[len(prefix) :], m[len(prefix) :])  # a code asked before the definitions changed
        with_activity = v.get(counters.active_metric(f), 0)
        out.append(
            FieldTotals(
                field=f,
                reports_with_activity=with_activity,
                reports_without_activity=max(received - with_activity, 0),
                services=[ServiceTotal(code=c, label=label, total=v.get(counters.svc_metric(f, c), 0)) for c, label in labels.items()],
            )
        )
    return ServiceTotals(
        region=_ref(region),
        period=period,
        received=received,
        days_open=v.get(counters.DAYS_OPEN, 0),
        kader_present=v.get(counters.KADER_PRESENT, 0),
        fields=out,
        target_groups={g: v.get(counters.group_metric(g), 0) for g in fields.TARGET_GROUPS},
    )


def missing(session: Session, principal: Principal, filters: MissingFilters, params: PageParams) -> Page[MissingPosyandu]:
    """The active posyandu of the region with no received report for the month (or, with
    `no_activity_in`, whose received report shows no activity in that field), in code order."""
    region = _where(session, principal, filters.region)
    period = filters.period or fields.last_period()
    if params.sort not in (None, "region_code"):
        raise ValidationProblem(
            "Unknown sort key. Allowed: region_code.", "Kunci urutan tidak dikenal. Yang diizinkan: region_code.", loc=["query", "sort"]
        )
    joined = and_(ActivityReport.posyandu_id == Posyandu.id, ActivityReport.period == period)  # at most one (unique)
    stmt = select(Posyandu.id, Posyandu.name, Posyandu.region_code, Posyandu.rw, ActivityReport.id, ActivityReport.status).outerjoin(
        ActivityReport, joined
    )
    stmt = stmt.where(Posyandu.is_active.is_(True))
    if region is not None:
        stmt = stmt.where(subtree_clause(Posyandu.region_code, region.code))
    if filters.no_activity_in is None:
        stmt = stmt.where(or_(ActivityReport.id.is_(None), ActivityReport.status == "draft"))
    else:
        stmt = stmt.where(ActivityReport.status != "draft", ActivityReport.active_mask.op("&")(SPM_BIT[filters.no_activity_in.value]) == 0)
    stmt = stmt.order_by(Posyandu.region_code, Posyandu.id)
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = session.execute(stmt.limit(params.limit).offset(params.offset)).all()
    items = [MissingPosyandu(id=i, name=n, region_code=c, rw=rw, report_id=rid, report_status=st) for i, n, c, rw, rid, st in rows]
    return Page[MissingPosyandu](items=items, total=total, limit=params.limit, offset=params.offset)


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(ActivityReport, ReportRead, feed.each(to_read))
