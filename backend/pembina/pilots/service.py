"""Pilot sites (percontohan 6 SPM): a posyandu, a period, a scorecard per SPM field."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_scoped, scoped_select, search, where_equal
from pembina.posyandu.models import PilotSite, Posyandu
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.pilots.schemas import (
    FieldComparison,
    PilotComparison,
    PilotComparisonRow,
    PilotFilters,
    PilotPeriod,
    PilotSiteCreate,
    PilotSiteRead,
    PilotSiteUpdate,
    ScoreRead,
)
from pembina.posyandu import counters
from pembina.posyandu.catalog import SPM_FIELDS, SpmField
from pembina.kit.scope import Principal
from pembina.stats import service as stats
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "start_date": PilotSite.start_date,
    "end_date": PilotSite.end_date,
    "region_code": PilotSite.region_code,
    "created_at": PilotSite.created_at,
}

#: The comparison covers at most this many pilots (pilots are a handful per region).
COMPARISON_LIMIT = 500


def _score(raw: dict[str, Any] | None) -> ScoreRead:
    raw = raw or {}
    b, c = raw.get("baseline_score"), raw.get("current_score")
    return ScoreRead(
        baseline_score=b, current_score=c, change=(c - b) if b is not None and c is not None else None, evidence=raw.get("evidence")
    )


def _scores(s: PilotSite) -> dict[str, ScoreRead]:
    return {f: _score((s.scorecard or {}).get(f)) for f in SPM_FIELDS}


def to_read(s: PilotSite, principal: Principal) -> PilotSiteRead:
    p = s.posyandu
    return policy.read(
        PilotSiteRead, principal, s, posyandu_name=p.name, village_name=p.village.name if p.village else "", scorecard=_scores(s)
    )


def _scorecard(card: dict[Any, Any]) -> dict[str, Any]:
    return {str(getattr(f, "value", f)): v.model_dump() for f, v in card.items()}


def get(session: Session, principal: Principal, pilot_id: int) -> PilotSite:
    return get_scoped(session, principal, PilotSite, pilot_id, tr("Pilot site", "Lokasi uji coba"))


def _filtered(principal: Principal, filters: PilotPeriod) -> Any:
    stmt = scoped_select(select(PilotSite), PilotSite.region_code, principal, filters.region)
    if filters.active_on:
        on = filters.active_on
        stmt = stmt.where(PilotSite.start_date <= on, or_(PilotSite.end_date.is_(None), PilotSite.end_date >= on))
    if filters.year:
        first, last = date(filters.year, 1, 1), date(filters.year, 12, 31)
        stmt = stmt.where(PilotSite.start_date <= last, or_(PilotSite.end_date.is_(None), PilotSite.end_date >= first))
    if isinstance(filters, PilotFilters):
        stmt = where_equal(stmt, (PilotSite.posyandu_id, filters.posyandu_id))
        if filters.q:
            stmt = stmt.join(Posyandu, Posyandu.id == PilotSite.posyandu_id).where(search(filters.q, Posyandu.name))
    return stmt


def list_pilots(session: Session, principal: Principal, params: PageParams, filters: PilotFilters) -> Page[PilotSiteRead]:
    stmt = apply_sort(
        _filtered(principal, filters), params.sort, SORTS, default=[PilotSite.region_code, PilotSite.start_date], tiebreak=PilotSite.id
    )
    return paginate(session, stmt, params, lambda s: to_read(s, principal))


def create(session: Session, principal: Principal, data: PilotSiteCreate) -> PilotSite:
    p = session.get(Posyandu, data.posyandu_id)
    if p is None or not principal.covers(p.region_code):
        raise ValidationProblem(
            f"Posyandu {data.posyandu_id} not found.", f"Posyandu {data.posyandu_id} tidak ditemukan.", loc=["body", "posyandu_id"]
        )
    policy.require(principal, Action.create_pilot_site, policy.region(p.region_code))
    clash = session.scalar(
        select(PilotSite.id)
        .where(
            PilotSite.posyandu_id == p.id,
            or_(PilotSite.end_date.is_(None), PilotSite.end_date >= data.start_date),
            PilotSite.start_date <= (data.end_date or date.max),
        )
        .limit(1)
    )
    if clash is not None:
        raise Conflict(
            f"Posyandu {p.id} is already a pilot site for an overlapping period (pilot site {clash}).",
            f"Posyandu {p.id} sudah menjadi lokasi uji coba pada periode yang bertumpang tindih (lokasi uji coba {clash}).",
        )
    s = PilotSite(**columns(data, "scorecard"), region_code=p.region_code, scorecard=_scorecard(data.scorecard))
    session.add(s)
    session.flush()
    stats.adjust(session, s.region_code, {counters.PILOTS: 1})
    session.refresh(s, ["posyandu"])
    return s


def update(session: Session, principal: Principal, pilot_id: int, data: PilotSiteUpdate, expected: ExpectedVersion) -> PilotSite:
    s = get(session, principal, pilot_id)
    policy.require(principal, Action.update, s)
    expected.check(s.version, lambda: to_read(s, principal))
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "start_date")
    start = changes.get("start_date", s.start_date)
    end = changes.get("end_date", s.end_date)
    if end is not None and end < start:
        raise ValidationProblem("end_date is before start_date.", "end_date sebelum start_date.", loc=["body", "end_date"])
    s.start_date, s.end_date = start, end
    if data.scorecard is not None:
        card = dict(s.scorecard or {})
        card.update(_scorecard(data.scorecard))
        s.scorecard = card
    assign(s, changes, "good_practices", "notes")
    session.flush()
    return s


def delete(session: Session, principal: Principal, pilot_id: int) -> None:
    s = get(session, principal, pilot_id)
    policy.require(principal, Action.delete, s)
    stats.adjust(session, s.region_code, {counters.PILOTS: -1})
    session.delete(s)
    session.flush()


def _avg(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def comparison(session: Session, principal: Principal, filters: PilotPeriod) -> PilotComparison:
    stmt = _filtered(principal, filters)
    stmt = stmt.order_by(PilotSite.region_code, PilotSite.start_date, PilotSite.id).limit(COMPARISON_LIMIT)
    sites = session.scalars(stmt).all()
    rows = []
    for s in sites:
        r = to_read(s, principal)
        rows.append(
            PilotComparisonRow(
                pilot_site_id=s.id,
                posyandu_id=s.posyandu_id,
                posyandu_name=r.posyandu_name,
                region_code=s.region_code,
                village_name=r.village_name,
                start_date=s.start_date,
                end_date=s.end_date,
                scores=r.scorecard,
            )
        )
    by_field = {}
    for f in SPM_FIELDS:
        field = SpmField(f)
        scored = [(score, row.pilot_site_id) for row in rows if (score := row.scores[field].current_score) is not None]
        baselines = [row.scores[field].baseline_score for row in rows if row.scores[field].baseline_score is not None]
        best = max(scored, key=lambda t: (t[0], -t[1]))[1] if scored else None
        by_field[f] = FieldComparison(
            pilots_scored=len(scored),
            baseline_average=_avg([b for b in baselines if b is not None]),
            current_average=_avg([c for c, _ in scored]),
            best_pilot_id=best,
        )
    return PilotComparison(region_code=filters.region, fields=list(SPM_FIELDS), pilots=rows, by_field=by_field)


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(PilotSite, PilotSiteRead, feed.each(to_read))
