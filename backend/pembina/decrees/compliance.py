"""Compliance: which regions have a TP Posyandu, and an SK that forms it issued, reported, verified.

What counts (one rule, `region_flags`, for the live counters, their rebuild and the `as_of` replay):

* A region **has a team** when it has an active team of kind TP Posyandu. A Pokjanal or Pokja
  Posyandu (the structures before Permendagri 13/2024) is never counted as one: an active one is
  counted apart as a **legacy structure** (`legacy_structures` on the board), so that a kelurahan
  still run by its old Pokja shows as such instead of as compliant.
* An SK **counts** when it is a team-formation SK of the region that forms the region's TP
  Posyandu: it names that team, or it names no team. An SK naming no team is taken to form the
  TP Posyandu (the only team an SK forms since 2024) and counts only while the region has an
  active TP Posyandu; an SK naming a Pokjanal/Pokja, or an inactive team, never counts. So a
  counted SK always has its team: with_team >= issued >= reported >= verified, at every level.
* **As of a date** (`as_of` boards replay the transitions' effective dates): a team existed from
  its formation date (`formed_on`; unknown: the day its record was created, in the offices' zone)
  or from the day its first SK was issued, whichever is earlier (a team formed by an SK existed
  at least from that SK's date). A team's kind and whether it is active have no history: today's
  apply to every date. So the board replayed for today is the live board.

Live numbers come from pembina.stats counters. Each region at level L holds 0/1 flags
`compliance.<L>.team|issued|reported|verified|legacy` for itself; `stats.adjust` rolls them up to
every ancestor, so "how many of the 27 kelurahan of 33.75 reported" is one counter row.
`refresh(code)` recomputes one region's own flags from its own rows (a handful) after any
write that may change them, in the write's transaction; `_source` gives stats.rebuild() the same
flags from the whole tables (migration 0015 recounted existing databases by this rule).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, exists, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pembina.decrees.models import Decree, DecreeTransition, ReportingDeadline
from pembina.decrees.schemas import (
    ComplianceBoard,
    ComplianceCounts,
    ComplianceLevelCounts,
    ComplianceRow,
    MissingFilters,
    MissingGroup,
    MissingPage,
    MissingReport,
    MissingReportRow,
    NationalComplianceBoard,
)
from pembina.kit.pagination import PageParams
from pembina.kit import clock
from pembina.kit.errors import Forbidden, ValidationProblem
from pembina.kit.reads import read
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.regions.schemas import LEVEL_NAME, LEVEL_NUMBER, RegionLevel, RegionRef
from pembina.kit.scope import Principal, ancestors_of, level_of, subtree_clause
from pembina.stats import service as stats
from pembina.stats.models import RegionStat
from pembina.teams.models import Team
from pembina.teams.service import TEAM_CHANGED
from pembina.posyandu.registration.common import SK_REPORTED

#: The counted flags, each at most the one before it (the board's invariant).
FLAGS = ("team", "issued", "reported", "verified")
#: Beside them: an active Pokjanal/Pokja Posyandu (shown, never counted as a TP Posyandu).
LEGACY = "legacy"
TRACKED = (*FLAGS, LEGACY)
TEAM_FORMATION = "team_formation"
TP_POSYANDU = "tp_posyandu"
#: Decree statuses that count as "issued or beyond", "reported or beyond", "verified".
AT_LEAST = {"issued": {"issued", "reported", "verified"}, "reported": {"reported", "verified"}, "verified": {"verified"}}


def metric(level: int, flag: str) -> str:
    return f"compliance.{LEVEL_NAME[level].value}.{flag}"


def metrics(level: int) -> list[str]:
    return [metric(level, f) for f in TRACKED]


# -- the rule ----------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    """An active team as the rule sees it."""

    id: int
    region_code: str
    kind: str


@dataclass(frozen=True)
class SkRow:
    """A team-formation SK as the rule sees it: its region, the team it names, its status."""

    region_code: str
    team_id: int | None
    status: str


def forms_tp(tp_team_id: int | None, sk_team_id: int | None) -> bool:
    """Whether an SK naming `sk_team_id` forms its region's active TP Posyandu `tp_team_id`
    (None: the region has none, and no SK counts)."""
    return tp_team_id is not None and sk_team_id in (None, tp_team_id)


def region_flags(teams: Iterable[TeamRow], sks: Iterable[SkRow]) -> dict[str, dict[str, int]]:
    """The flags of every region named by `teams` (active ones) and `sks` (team-formation SKs)."""
    tp: dict[str, int] = {}
    legacy: set[str] = set()
    for t in teams:
        if t.kind == TP_POSYANDU:
            tp[t.region_code] = t.id
        else:
            legacy.add(t.region_code)
    statuses: dict[str, set[str]] = defaultdict(set)
    for sk in sks:
        if forms_tp(tp.get(sk.region_code), sk.team_id):
            statuses[sk.region_code].add(sk.status)
    return {code: _flags(code in tp, statuses.get(code, ()), code in legacy) for code in tp.keys() | legacy}


def _flags(has_team: bool, statuses: Iterable[str], legacy: bool = False) -> dict[str, int]:
    st = set(statuses)
    out = {"team": int(has_team)}
    for flag, accepted in AT_LEAST.items():
        out[flag] = int(bool(st & accepted))
    out[LEGACY] = int(legacy)
    return out


_COUNTED_STATUSES = sorted(AT_LEAST["issued"])


def own_flags(session: Session, code: str) -> dict[str, int]:
    """The region's own flags, computed from its own rows only."""
    teams = [
        TeamRow(i, code, k)
        for i, k in session.execute(select(Team.id, Team.kind).where(Team.region_code == code, Team.is_active.is_(True)))
    ]
    sks = [
        SkRow(code, t, st)
        for t, st in session.execute(
            select(Decree.team_id, Decree.status)
            .where(Decree.region_code == code, Decree.subject == TEAM_FORMATION, Decree.status.in_(_COUNTED_STATUSES))
            .distinct()
        )
    ]
    return region_flags(teams, sks).get(code) or _flags(False, ())


def refresh(session: Session, code: str | None) -> None:
    """Bring the counters of `code` (and so of its ancestors) in line with its rows.

    Call after flushing any write to a team or a team-formation decree of `code`. The
    region row is locked first (PostgreSQL) so that two writers of one region serialise.
    """
    if code is None:  # a national team (the national TP Posyandu) is no region's team
        return
    session.execute(select(Region.code).where(Region.code == code).with_for_update())
    level = level_of(code)
    names = metrics(level)
    old = stats.values(session, code, names)
    new = own_flags(session, code)
    deltas = {metric(level, f): new[f] - old.get(metric(level, f), 0) for f in TRACKED}
    if any(deltas.values()):
        stats.adjust(session, code, deltas)


def _source(session: Session) -> Iterable[tuple[str, str, int]]:
    """For stats.rebuild(): every region's flags, from the whole tables (rebuild only)."""
    teams = [
        TeamRow(i, c, k)
        for i, c, k in session.execute(select(Team.id, Team.region_code, Team.kind).where(Team.is_active.is_(True)))
        if c is not None  # a national team (no region) is counted in no region
    ]
    sks = [
        SkRow(*r)
        for r in session.execute(
            select(Decree.region_code, Decree.team_id, Decree.status)
            .where(Decree.subject == TEAM_FORMATION, Decree.status.in_(_COUNTED_STATUSES))
            .distinct()
        )
    ]
    for code, flags in region_flags(teams, sks).items():
        level = level_of(code)
        for flag, value in flags.items():
            if value:
                yield code, metric(level, flag), 1


stats.register_source("compliance", _source)
TEAM_CHANGED.append(refresh)  # a team created, changed or deleted changes its region's flags


def sk_reported(column: Any, level: int) -> ColumnElement[bool]:
    """True where the region `column`, of `level`, has its own SK TP Posyandu reported (or
    verified), by this module's rule (its live counters)."""
    return exists().where(RegionStat.region_code == column, RegionStat.metric == metric(level, "reported"), RegionStat.value > 0)


def village_sk_reported(column: Any) -> ColumnElement[bool]:
    """True where the village `column` has its SK TP Posyandu reported (or verified): what
    registration waits for."""
    return sk_reported(column, 4)


def any_sk_reported(column: Any) -> ColumnElement[bool]:
    """True where the region `column`, of any level (read from `regions`), has its own SK TP
    Posyandu reported (or verified)."""
    own = case({level: metric(level, "reported") for level in _COUNT_COLUMN}, value=Region.level)
    return exists().where(Region.code == column, RegionStat.region_code == Region.code, RegionStat.metric == own, RegionStat.value > 0)


SK_REPORTED.append(village_sk_reported)


# -- counts ----------------------------------------------------------------------

_COUNT_COLUMN = {1: "province_count", 2: "regency_count", 3: "district_count", 4: "village_count"}


def expected(region: Region | regions.Nation, level: int) -> int:
    """How many regions of `level` lie in `region` (itself at its own level; the nation is level 0)."""
    if level == region.level:
        return 1
    if level < region.level:
        return 0
    return int(getattr(region, _COUNT_COLUMN[level]))


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _counts(exp: int, flags: dict[str, int]) -> dict[str, int | float | None]:
    """The ComplianceCounts fields (a dict: each row's model is built once, with them)."""
    team, issued, reported, verified, legacy = (flags.get(f, 0) for f in TRACKED)
    return {
        "expected": exp,
        "with_team": team,
        "issued": issued,
        "reported": reported,
        "verified": verified,
        "missing": max(exp - issued, 0),
        "not_reported": max(exp - reported, 0),
        "pct_with_team": _pct(team, exp),
        "pct_issued": _pct(issued, exp),
        "pct_reported": _pct(reported, exp),
        "pct_verified": _pct(verified, exp),
        "legacy_structures": legacy,
    }


def level_counts(
    session: Session, region: Region | regions.Nation, counters: Mapping[str, int] | None = None
) -> list[ComplianceLevelCounts]:
    """The region summary's section: counts per level at and below the region (its counters,
    read here unless the caller passes them)."""
    levels = range(max(region.level, 1), 5)
    vals = stats.values(session, region.code) if counters is None else counters
    out = []
    for lvl in levels:
        flags = {f: vals.get(metric(lvl, f), 0) for f in TRACKED}
        out.append(ComplianceLevelCounts(level=LEVEL_NAME[lvl], **_counts(expected(region, lvl), flags)))
    return out


# -- the board -------------------------------------------------------------------


def _ref(r: Region) -> RegionRef:
    return read(RegionRef, r)


def deadlines(session: Session, code: str, year: int) -> dict[str, date]:
    """Deadlines of `year` at `code`, its ancestors and anywhere below it."""
    stmt = select(ReportingDeadline.region_code, ReportingDeadline.due_date).where(
        ReportingDeadline.year == year,
        or_(ReportingDeadline.region_code.in_([*ancestors_of(code), code]), subtree_clause(ReportingDeadline.region_code, code)),
    )
    return {c: d for c, d in session.execute(stmt)}


def nearest_deadline(deadlines: dict[str, date], code: str) -> date | None:
    for c in [code, *reversed(ancestors_of(code))]:
        if c in deadlines:
            return deadlines[c]
    return None


def _within(column: Any, code: str | None) -> ColumnElement[bool]:
    """`column` lies in the subtree of `code` (None: anywhere in the nation)."""
    return subtree_clause(column, code) if code is not None else true()


def _history_flags(session: Session, code: str | None, level: int, as_of: date) -> dict[str, dict[str, int]]:
    """Per region of `level` under `code` (None: the nation): its flags at the end of `as_of`,
    replayed from the transitions' effective dates, by the module's rule (`region_flags`)."""
    replayed: dict[int, SkRow] = {}
    stmt = (
        select(DecreeTransition.decree_id, DecreeTransition.region_code, Decree.team_id, DecreeTransition.to_status)
        .join(Decree, Decree.id == DecreeTransition.decree_id)
        .where(
            DecreeTransition.subject == TEAM_FORMATION,
            DecreeTransition.level == level,
            _within(DecreeTransition.region_code, code),
            DecreeTransition.effective_date <= as_of,
        )
        .order_by(DecreeTransition.decree_id, DecreeTransition.effective_date, DecreeTransition.occurred_at, DecreeTransition.id)
    )
    for decree_id, region_code, team_id, to_status in session.execute(stmt):
        replayed[decree_id] = SkRow(region_code, team_id, to_status)
    teams = session.execute(
        select(Team.id, Team.region_code, Team.kind, Team.formed_on, Team.created_at).where(
            Team.level == level, _within(Team.region_code, code), Team.is_active.is_(True)
        )
    ).all()
    tp_of = {c: i for i, c, kind, _, _ in teams if kind == TP_POSYANDU}
    # an SK with a step by `as_of` was issued by then, so the team it forms existed by then
    # (the team it names, or the region's TP Posyandu when it names none)
    formed_by_sk = {sk.team_id if sk.team_id is not None else tp_of.get(sk.region_code) for sk in replayed.values()}
    existing = [
        TeamRow(i, c, kind)
        for i, c, kind, formed_on, created_at in teams
        if c is not None and (i in formed_by_sk or (formed_on or clock.local(created_at).date()) <= as_of)
    ]
    return region_flags(existing, replayed.values())


@dataclass
class _State:
    """The board's numbers at one level under one region, live or replayed (`as_of`)."""

    region: Region
    lvl: int
    as_of: date | None
    ref_date: date
    year: int
    dues: dict[str, date]
    per_child: dict[str, dict[str, int]]
    total_flags: dict[str, int]
    #: the regions' own flags (history: every region's; live: filled in for the missing page)
    flags_of: dict[str, dict[str, int]]


def _state(session: Session, principal: Principal, code: str, level: RegionLevel, as_of: date | None, year: int | None) -> _State:
    region = regions.get_region(session, principal, code)
    lvl = LEVEL_NUMBER[level]
    if lvl <= region.level:
        raise ValidationProblem(
            f"level must be below {LEVEL_NAME[region.level].value} for region {code}.",
            f"level harus di bawah {LEVEL_NAME[region.level].value} untuk wilayah {code}.",
            loc=["query", "level"],
        )
    today = clock.today()
    if as_of is not None and as_of > today:
        raise ValidationProblem("as_of cannot be in the future.", "as_of tidak boleh di masa depan.", loc=["query", "as_of"])
    ref_date = as_of or today
    year = year or ref_date.year
    dues = deadlines(session, code, year)
    if as_of is None:
        names = metrics(lvl)
        per_child_raw = stats.children_values(session, code, names)
        per_child = {c: {f: v.get(metric(lvl, f), 0) for f in TRACKED} for c, v in per_child_raw.items()}
        tv = stats.values(session, code, names)
        return _State(region, lvl, None, ref_date, year, dues, per_child, {f: tv.get(metric(lvl, f), 0) for f in TRACKED}, {})
    flags_of = _history_flags(session, code, lvl, as_of)
    child_len = region.level + 1
    replayed: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TRACKED, 0))
    total_flags = dict.fromkeys(TRACKED, 0)
    for c, flags in flags_of.items():
        child = ".".join(c.split(".")[:child_len])
        for f in TRACKED:
            replayed[child][f] += flags[f]
            total_flags[f] += flags[f]
    return _State(region, lvl, as_of, ref_date, year, dues, replayed, total_flags, flags_of)


def _missing_regions(session: Session, st: _State, limit: int, offset: int = 0, descending: bool = False) -> list[Region]:
    """The regions at the state's level with no reported SK, in code order, one page; for live
    counters also fills `st.flags_of` with the page's own flags."""
    code = st.region.code
    if st.as_of is None:
        # An anti-join probing each region's counter in code order, stopping at the limit (not
        # a NOT IN over every reported counter of the subtree: 21 ms -> 0.4 ms for a province).
        reported_clause = exists().where(
            RegionStat.region_code == Region.code, RegionStat.metric == metric(st.lvl, "reported"), RegionStat.value > 0
        )
        stmt = (
            select(Region)
            .where(Region.level == st.lvl, subtree_clause(Region.code, code), ~reported_clause)
            .order_by(Region.code.desc() if descending else Region.code)
            .offset(offset)
            .limit(limit)
        )
        found = list(session.scalars(stmt).all())
        if found:
            rows = session.execute(
                select(RegionStat.region_code, RegionStat.metric).where(
                    RegionStat.region_code.in_([r.code for r in found]), RegionStat.metric.in_(metrics(st.lvl)), RegionStat.value > 0
                )
            ).all()
            for c, m in rows:
                st.flags_of.setdefault(c, {})[m.rsplit(".", 1)[1]] = 1
        return found
    reported = {c for c, flags in st.flags_of.items() if flags["reported"]}
    candidates = session.scalars(
        select(Region)
        .where(Region.level == st.lvl, subtree_clause(Region.code, code))
        .order_by(Region.code.desc() if descending else Region.code)
    )
    out: list[Region] = []
    skipped = 0
    for r in candidates:
        if r.code in reported:
            continue
        if skipped < offset:
            skipped += 1
            continue
        out.append(r)
        if len(out) >= limit:
            break
    return out


def _missing_report(st: _State, r: Region) -> MissingReport:
    flags = st.flags_of.get(r.code, {})
    due = nearest_deadline(st.dues, r.code)
    return MissingReport(
        code=r.code,
        name=r.name,
        parent_code=r.parent_code,
        has_team=bool(flags.get("team")),
        issued=bool(flags.get("issued")),
        legacy_structure=bool(flags.get(LEGACY)),
        deadline=due,
        overdue=bool(due and st.ref_date > due),
    )


def _row(st: _State, r: Region, flags: dict[str, int]) -> ComplianceRow:
    counts = _counts(expected(r, st.lvl), flags)
    due = nearest_deadline(st.dues, r.code)
    return ComplianceRow(region=_ref(r), **counts, deadline=due, overdue=bool(due and st.ref_date > due and counts["not_reported"]))


def board(
    session: Session, principal: Principal, code: str, level: RegionLevel, as_of: date | None, year: int | None, missing_limit: int
) -> ComplianceBoard:
    st = _state(session, principal, code, level, as_of, year)
    children = session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)).all()
    rows = [_row(st, c, st.per_child.get(c.code, {})) for c in children]
    total = _row(st, st.region, st.total_flags)
    missing = [_missing_report(st, r) for r in _missing_regions(session, st, missing_limit)]
    return ComplianceBoard(
        region=_ref(st.region),
        level=level,
        as_of=as_of,
        year=st.year,
        source="counters" if as_of is None else "history",
        rows=rows,
        total=total,
        missing_reports=missing,
        missing_reports_total=total.not_reported,
    )


def national_board(
    session: Session, principal: Principal, level: RegionLevel, as_of: date | None, year: int | None
) -> NationalComplianceBoard:
    """The board of the whole nation: one row per province (national accounts)."""
    if not principal.is_national:
        raise Forbidden(
            f"The national board is for national accounts; yours is bound to {principal.region_code}: "
            f"use /api/v1/regions/{principal.region_code}/compliance.",
            f"Papan nasional hanya untuk akun nasional; akun Anda terikat pada {principal.region_code}: "
            f"gunakan /api/v1/regions/{principal.region_code}/compliance.",
        )
    lvl = LEVEL_NUMBER[level]
    today = clock.today()
    if as_of is not None and as_of > today:
        raise ValidationProblem("as_of cannot be in the future.", "as_of tidak boleh di masa depan.", loc=["query", "as_of"])
    ref_date = as_of or today
    year = year or ref_date.year
    provinces = session.scalars(select(Region).where(Region.level == 1).order_by(Region.code)).all()
    dues = {
        c: d
        for c, d in session.execute(
            select(ReportingDeadline.region_code, ReportingDeadline.due_date)
            .join(Region, Region.code == ReportingDeadline.region_code)
            .where(ReportingDeadline.year == year, Region.level == 1)
        )
    }
    if as_of is None:
        names = metrics(lvl)
        per_child = {c: {f: v.get(metric(lvl, f), 0) for f in TRACKED} for c, v in stats.children_values(session, None, names).items()}
        tv = stats.values(session, None, names)
        total_flags = {f: tv.get(metric(lvl, f), 0) for f in TRACKED}
    else:
        per_child = defaultdict(lambda: dict.fromkeys(TRACKED, 0))
        total_flags = dict.fromkeys(TRACKED, 0)
        for c, flags in _history_flags(session, None, lvl, as_of).items():
            for f in TRACKED:
                per_child[c.split(".")[0]][f] += flags[f]
                total_flags[f] += flags[f]
    rows = []
    for p in provinces:
        counts = _counts(expected(p, lvl), per_child.get(p.code, {}))
        due = dues.get(p.code)
        rows.append(ComplianceRow(region=_ref(p), **counts, deadline=due, overdue=bool(due and ref_date > due and counts["not_reported"])))
    return NationalComplianceBoard(
        level=level,
        as_of=as_of,
        year=year,
        source="counters" if as_of is None else "history",
        rows=rows,
        total=ComplianceCounts(**_counts(expected(regions.nation(session), lvl), total_flags)),
    )


def missing_page(session: Session, principal: Principal, code: str, filters: MissingFilters, params: PageParams) -> MissingPage:
    """The regions with no reported SK, one page at a time, each with its kab/kota and kecamatan,
    and how many there are per kab/kota over all pages."""
    st = _state(session, principal, code, filters.level, filters.as_of, filters.year)
    if params.sort not in (None, "code", "-code"):
        raise ValidationProblem(
            "Unknown sort key. Allowed: code (prefix '-' for descending).",
            "Kunci urutan tidak dikenal. Yang diizinkan: code (awali '-' untuk urutan menurun).",
            loc=["query", "sort"],
        )
    found = _missing_regions(session, st, params.limit, params.offset, descending=params.sort == "-code")
    wanted = {c for r in found for c in ancestors_of(r.code) if level_of(c) in (2, 3)}
    refs = {r.code: _ref(r) for r in session.scalars(select(Region).where(Region.code.in_(wanted)))} if wanted else {}

    def near(c: str, level: int) -> RegionRef | None:
        return refs.get(".".join(c.split(".")[:level])) if level_of(c) > level else None

    items = [MissingReportRow(**_missing_report(st, r).model_dump(), regency=near(r.code, 2), district=near(r.code, 3)) for r in found]
    total = _row(st, st.region, st.total_flags)
    groups: list[MissingGroup] = []
    if st.region.level == 1:
        children = session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)).all()
        for c in children:
            row = _row(st, c, st.per_child.get(c.code, {}))
            if row.not_reported:
                groups.append(MissingGroup(regency=row.region, not_reported=row.not_reported, overdue=row.overdue))
    else:
        regency = st.region if st.region.level == 2 else session.get(Region, ".".join(code.split(".")[:2]))
        if regency is not None and total.not_reported:
            groups.append(MissingGroup(regency=_ref(regency), not_reported=total.not_reported, overdue=total.overdue))
    return MissingPage(
        items=items,
        total=total.not_reported,
        limit=params.limit,
        offset=params.offset,
        level=filters.level,
        as_of=filters.as_of,
        year=st.year,
        groups=groups,
    )


# -- late reports in one's region (GET /auth/me/tasks) --------------------------------------------


def overdue_reports(session: Session, principal: Principal, limit: int) -> tuple[int, list[tuple[Region, date]]]:
    """The villages of the caller's region with no reported SK whose reporting deadline (of this
    year, the nearest at or above each) has passed: how many, and the first `limit` in code order.

    Counted from the counters, one subtree per deadline: the villages a deadline governs are its
    region's unreported ones minus those under a nearer deadline."""
    root = principal.region_code
    today = clock.today()
    lvl = 4
    stmt = select(ReportingDeadline.region_code, ReportingDeadline.due_date).where(ReportingDeadline.year == today.year)
    if root is not None:
        stmt = stmt.where(
            or_(ReportingDeadline.region_code.in_([*ancestors_of(root), root]), subtree_clause(ReportingDeadline.region_code, root))
        )
    dues = dict(session.execute(stmt).all())
    # each deadline's governed subtree inside the caller's region (one above it governs the whole region)
    governs: dict[str, date] = {c: d for c, d in dues.items() if root is None or (c != root and c.startswith(root + "."))}
    above = nearest_deadline(dues, root) if root is not None else None
    key_root = root or ""
    if above is not None:
        governs[key_root] = above
    if not governs:
        return 0, []

    def parent_key(k: str) -> str | None:
        for c in reversed(ancestors_of(k)) if k else []:
            if c in governs:
                return c
        return key_root if k != key_root and key_root in governs else None

    def unreported(k: str) -> int:
        if k == "":
            whole: Region | regions.Nation = regions.nation(session)
        else:
            found = session.get(Region, k)
            if found is None:
                return 0
            whole = found
        return max(expected(whole, lvl) - stats.values(session, k or None, [metric(lvl, "reported")]).get(metric(lvl, "reported"), 0), 0)

    nested: dict[str, list[str]] = defaultdict(list)
    for k in governs:
        p = parent_key(k)
        if p is not None:
            nested[p].append(k)
    passed = sorted(k for k, d in governs.items() if today > d)
    count = 0
    for k in passed:
        count += unreported(k) - sum(unreported(j) for j in nested[k])
    items: list[tuple[Region, date]] = []
    reported_clause = exists().where(
        RegionStat.region_code == Region.code, RegionStat.metric == metric(lvl, "reported"), RegionStat.value > 0
    )
    for k in passed:
        if len(items) >= limit:
            break
        q = select(Region).where(Region.level == lvl, ~reported_clause)
        if k:
            q = q.where(subtree_clause(Region.code, k))
        for j in nested[k]:
            q = q.where(~subtree_clause(Region.code, j))
        items += [(r, governs[k]) for r in session.scalars(q.order_by(Region.code).limit(limit - len(items)))]
    items.sort(key=lambda item: item[0].code)
    return count, items
