"""Monthly trends of a region (or the nation): SK progress and posyandu registration over the last 12 months.

One point per month: the end of each of the 11 months before this one, and today (Asia/Jakarta). Never a loop
over regions or records, whatever the region's size:

* **SK progress** follows the compliance rule's `as_of` replay (`decrees.compliance`): a region at the level
  counts as issued / reported / verified at a month's end when an SK forming its active TP Posyandu is in such a
  status then (its last step by that day). One grouped query over the team-formation transitions: each step is a
  segment of its decree's life, from its effective date to the next step's (`LEAD()`); a point counts the
  distinct regions with a segment of an accepted status covering its day. **With team** is one grouped query
  over the active TP Posyandu: a team existed from its formation date (else the day its record was created) or
  from its first SK's first step, whichever is earlier. The point for today equals the live counters.
* **Registration** is replayed backwards from today's counters: the posyandu created after a day are taken out
  (with their current status), and the registration events after it undone (a step into `registered` is one
  fewer registered then, a step out of it one more). Two grouped queries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pembina.decrees import compliance
from pembina.decrees.models import Decree, DecreeTransition
from pembina.kit import clock
from pembina.kit.errors import Forbidden, ValidationProblem
from pembina.kit.reads import read
from pembina.kit.scope import Principal, subtree_clause
from pembina.posyandu import counters as posyandu_counters
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.regions.models import Region
from pembina.regions.schemas import LEVEL_NAME, LEVEL_NUMBER, RegionLevel, RegionRef
from pembina.regions.service import Nation, get_region, nation
from pembina.stats import service as stats
from pembina.summary.schemas import RegionTrends, TrendPoint
from pembina.teams.models import Team

MONTHS = 12
REGISTERED = "registered"


def month_ends(today: date, months: int = MONTHS) -> list[date]:
    """The last day of each of the `months - 1` months before today's, then today."""
    out: list[date] = []
    first = today.replace(day=1)
    for _ in range(months - 1):
        first_of_prev = (first - timedelta(days=1)).replace(day=1)
        out.append(first - timedelta(days=1))
        first = first_of_prev
    return [*reversed(out), today]


def _end_of(day: date) -> datetime:
    """The UTC instant the office day after `day` begins: stored instants before it fall on or before `day`."""
    return clock.start_of(day + timedelta(days=1)).astimezone(UTC)


def _within(column: Any, code: str | None) -> ColumnElement[bool]:
    return subtree_clause(column, code) if code is not None else true()


def _count_if(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _regions_with(session: Session, stmt: Any, key: Any, conds: list[ColumnElement[bool]]) -> list[int]:
    """Per condition: how many distinct `key`s have a row of `stmt` meeting it (one pass grouped by key, then sums)."""
    flags = [func.max(case((c, 1), else_=0)).label(f"c{i}") for i, c in enumerate(conds)]
    per_key = stmt.with_only_columns(key, *flags).group_by(key).subquery()
    row = session.execute(select(*[func.coalesce(func.sum(per_key.c[f"c{i}"]), 0) for i in range(len(conds))])).one()
    return [int(v) for v in row]


def _sk_progress(session: Session, code: str | None, lvl: int, days: list[date]) -> list[dict[str, int]]:
    """Per day: regions at `lvl` under `code` with a TP Posyandu, and with an SK forming it issued, reported, verified."""
    t = DecreeTransition
    nxt = func.lead(t.effective_date).over(partition_by=t.decree_id, order_by=(t.effective_date, t.occurred_at, t.id))
    steps = (
        select(t.region_code.label("code"), t.to_status.label("status"), t.effective_date.label("start"), nxt.label("stop"), Decree.team_id)
        .join(Decree, Decree.id == t.decree_id)
        .where(t.subject == compliance.TEAM_FORMATION, t.level == lvl, _within(t.region_code, code))
        .subquery()
    )
    tp = (
        select(Team.id, Team.region_code)
        .where(Team.kind == compliance.TP_POSYANDU, Team.is_active.is_(True), Team.level == lvl, _within(Team.region_code, code))
        .subquery()
    )
    in_status = []
    for d in days:
        covers = and_(steps.c.start <= d, or_(steps.c.stop.is_(None), steps.c.stop > d))
        for flag in ("issued", "reported", "verified"):
            in_status.append(and_(covers, steps.c.status.in_(sorted(compliance.AT_LEAST[flag]))))
    forming = select(steps.c.code).join(
        tp, and_(tp.c.region_code == steps.c.code, or_(steps.c.team_id.is_(None), steps.c.team_id == tp.c.id))
    )
    counted = _regions_with(session, forming, steps.c.code, in_status)

    # the first step of an SK forming each TP Posyandu: the team existed by then
    first = (
        select(Decree.region_code, Decree.team_id, func.min(t.effective_date).label("first_step"))
        .join(t, t.decree_id == Decree.id)
        .where(Decree.subject == compliance.TEAM_FORMATION, Decree.level == lvl, _within(Decree.region_code, code))
        .group_by(Decree.region_code, Decree.team_id)
        .subquery()
    )
    formed = [
        or_(
            Team.formed_on <= d,
            and_(Team.formed_on.is_(None), Team.created_at < literal(_end_of(d), Team.created_at.type)),
            first.c.first_step <= d,
        )
        for d in days
    ]
    teams_of = (
        select(Team.region_code)
        .outerjoin(first, and_(first.c.region_code == Team.region_code, or_(first.c.team_id.is_(None), first.c.team_id == Team.id)))
        .where(Team.kind == compliance.TP_POSYANDU, Team.is_active.is_(True), Team.level == lvl, _within(Team.region_code, code))
    )
    teams = _regions_with(session, teams_of, Team.region_code, formed)
    return [
        {"with_team": teams[i], "issued": counted[3 * i], "reported": counted[3 * i + 1], "verified": counted[3 * i + 2]}
        for i in range(len(days))
    ]


def _registration(session: Session, code: str | None, days: list[date]) -> list[dict[str, int]]:
    """Per day: posyandu under `code`, registered and in the pipeline then (today's counters, replayed backwards)."""
    now = stats.values(session, code)
    summary = posyandu_counters.summary(session, code, now)
    pipeline = sorted(posyandu_counters.PIPELINE)
    ends = [_end_of(d) for d in days]

    # posyandu created after each day: not there then (with the status they have now)
    p_cols = []
    for end in ends:
        later = Posyandu.created_at >= literal(end, Posyandu.created_at.type)
        p_cols += [
            _count_if(later),
            _count_if(and_(later, Posyandu.registration_status == REGISTERED)),
            _count_if(and_(later, Posyandu.registration_status.in_(pipeline))),
        ]
    created = session.execute(select(*p_cols).where(_within(Posyandu.region_code, code))).one()

    # steps taken after each day by posyandu that were there: undone
    e = RegistrationEvent
    e_cols = []
    for end in ends:
        after = and_(e.occurred_at >= literal(end, e.occurred_at.type), Posyandu.created_at < literal(end, Posyandu.created_at.type))
        e_cols += [
            _count_if(and_(after, e.to_status == REGISTERED)) - _count_if(and_(after, e.from_status == REGISTERED)),
            _count_if(and_(after, e.to_status.in_(pipeline))) - _count_if(and_(after, e.from_status.in_(pipeline))),
        ]
    steps = session.execute(
        select(*e_cols).select_from(e).join(Posyandu, Posyandu.id == e.posyandu_id).where(_within(e.region_code, code))
    ).one()

    out = []
    for i in range(len(days)):
        out.append(
            {
                "posyandu": summary.count - int(created[3 * i]),
                "registered": summary.registration.registered - int(created[3 * i + 1]) - int(steps[2 * i]),
                "in_pipeline": summary.registration.in_pipeline - int(created[3 * i + 2]) - int(steps[2 * i + 1]),
            }
        )
    return out


def trends(session: Session, principal: Principal, code: str | None, level: RegionLevel) -> RegionTrends:
    """The region's (None: the nation's) SK progress at `level` and its posyandu registration, month by month."""
    whole: Region | Nation
    if code is None:
        if not principal.is_national:
            raise Forbidden(
                f"The national trends are for national accounts; yours is bound to {principal.region_code}: "
                f"use /api/v1/regions/{principal.region_code}/trends.",
                f"Tren nasional hanya untuk akun nasional; akun Anda terikat pada {principal.region_code}: "
                f"gunakan /api/v1/regions/{principal.region_code}/trends.",
            )
        whole = nation(session)
        ref = None
    else:
        whole = get_region(session, principal, code)
        ref = read(RegionRef, whole)
    lvl = LEVEL_NUMBER[level]
    if lvl < whole.level:
        raise ValidationProblem(
            f"level must be at or below {LEVEL_NAME[whole.level].value} for region {code}.",
            f"level harus pada atau di bawah {LEVEL_NAME[whole.level].value} untuk wilayah {code}.",
            loc=["query", "level"],
        )
    days = month_ends(clock.today())
    sk = _sk_progress(session, code, lvl, days)
    reg = _registration(session, code, days)
    points = [TrendPoint(month=d.strftime("%Y-%m"), as_of=d, **sk[i], **reg[i]) for i, d in enumerate(days)]
    return RegionTrends(region=ref, level=level, expected=compliance.expected(whole, lvl), points=points)
