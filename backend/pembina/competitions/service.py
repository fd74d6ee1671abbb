"""Competitions and awards (lomba posyandu): criteria with weights, entrants, scores, ranking, winners."""

from __future__ import annotations

from functools import partial

from collections.abc import Sequence

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.regions.filters import held_in
from pembina.kit import feed
from pembina.kit.repository import where_equal
from pembina.competitions.schemas import CompetitionFilters
from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.competitions.models import Competition, CompetitionEntrant
from pembina.competitions.schemas import (
    CompetitionCreate,
    CompetitionDetail,
    CompetitionRead,
    CompetitionStatus,
    CompetitionUpdate,
    EntrantCreate,
    EntrantRead,
    FinalizeRequest,
    Ranking,
    RankingRow,
    ScoresSet,
)
from pembina.kit.db import utcnow
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.reads import read
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate_batch
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_or_404, search
from pembina.posyandu.models import Posyandu
from pembina.regions import service as regions
from pembina.kit.scope import Principal, code_covers, level_of
from pembina.teams.models import Team
from pembina.kit.db import flush_write
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "year": Competition.year,
    "region_code": Competition.region_code,
    "title": Competition.title,
    "status": Competition.status,
    "created_at": Competition.created_at,
}
FINAL = CompetitionStatus.final.value


# -- reads -------------------------------------------------------------------------


def _entrants(session: Session, competition_id: int) -> list[CompetitionEntrant]:
    return list(
        session.scalars(
            select(CompetitionEntrant).where(CompetitionEntrant.competition_id == competition_id).order_by(CompetitionEntrant.id)
        )
    )


def entrant_read(c: Competition, e: CompetitionEntrant) -> EntrantRead:
    names = [cr["name"] for cr in c.criteria or []]
    scores = {k: v for k, v in (e.scores or {}).items() if k in names}
    total = sum(scores.get(cr["name"], 0) * cr["weight"] for cr in c.criteria or []) / 100
    complete = bool(names) and all(n in scores for n in names)
    return read(EntrantRead, e, region_code=e.entrant_region_code, scores=scores, total=round(total, 2), complete=complete)


def to_read(session: Session, c: Competition, principal: Principal, entrant_count: int | None = None) -> CompetitionRead:
    if entrant_count is None:
        entrant_count = session.scalar(select(func.count()).where(CompetitionEntrant.competition_id == c.id)) or 0
    return policy.read(CompetitionRead, principal, c, entrant_count=entrant_count)


def _to_reads(session: Session, principal: Principal, competitions: list[Competition]) -> list[CompetitionRead]:
    """Reads of a page of competitions, their entrants counted in one query."""
    counts: dict[int, int] = {}
    if competitions:
        counts = dict(
            session.execute(
                select(CompetitionEntrant.competition_id, func.count())
                .where(CompetitionEntrant.competition_id.in_([c.id for c in competitions]))
                .group_by(CompetitionEntrant.competition_id)
            ).all()
        )
    return [to_read(session, c, principal, counts.get(c.id, 0)) for c in competitions]


def to_detail(session: Session, c: Competition, principal: Principal) -> CompetitionDetail:
    entrants = _entrants(session, c.id)
    return policy.read(CompetitionDetail, principal, c, entrant_count=len(entrants), entrants=[entrant_read(c, e) for e in entrants])


def get(session: Session, principal: Principal, competition_id: int) -> Competition:
    """The competition, if the caller may read it: one of its region's, or a national one (`policy.readable`)."""
    return get_or_404(session, Competition, competition_id, tr("Competition", "Lomba"), visible=partial(policy.readable, principal))


def list_competitions(session: Session, principal: Principal, params: PageParams, filters: CompetitionFilters) -> Page[CompetitionRead]:
    f = filters
    stmt = held_in(select(Competition), Competition, principal, f, national=policy.reads_national(principal, Kind.competition))
    stmt = where_equal(stmt, (Competition.year, f.year), (Competition.category, f.category), (Competition.status, f.status))
    if f.q:
        stmt = stmt.where(search(f.q, Competition.title))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Competition.year.desc(), Competition.region_code], tiebreak=Competition.id)
    return paginate_batch(session, stmt, params, lambda page: _to_reads(session, principal, page))


# -- writes ------------------------------------------------------------------------


def _criteria(criteria: list[Any]) -> list[dict[str, Any]]:
    return [{"name": c.name.strip(), "weight": c.weight} for c in criteria]


def _ensure_open(c: Competition, what: str) -> None:
    if c.status == FINAL:
        raise Conflict(f"The competition is final: {what} can no longer change.", f"Lomba sudah final: {what} tidak dapat diubah lagi.")


def create(session: Session, principal: Principal, data: CompetitionCreate) -> Competition:
    if data.region_code is not None:
        regions.require_existing(session, data.region_code)
    policy.require(principal, Action.create_competition, policy.region(data.region_code))
    c = Competition(
        **columns(data, "criteria"),
        level=level_of(data.region_code),
        status=CompetitionStatus.draft.value,
        criteria=_criteria(data.criteria),
        prizes=[],
    )
    session.add(c)
    session.flush()
    return c


def update(session: Session, principal: Principal, competition_id: int, data: CompetitionUpdate, expected: ExpectedVersion) -> Competition:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.update, c)  # entrants, scores and the final ranking are part of it
    expected.check(c.version, lambda: to_read(session, c, principal))
    changes = data.model_dump(exclude_unset=True)
    reject_nulls(changes, "title", "year", "category", "status", "criteria")
    if set(changes) - {"title", "notes"}:
        _ensure_open(c, "only its title and notes")
    if changes.get("status") == CompetitionStatus.final:
        raise ValidationProblem(
            "A competition becomes final only through POST /competitions/{id}/finalize.",
            "Lomba menjadi final hanya melalui POST /competitions/{id}/finalize.",
            loc=["body", "status"],
        )
    assign(c, changes, "title", "year", "category", "notes")
    if "status" in changes:
        c.status = CompetitionStatus(changes["status"]).value
    if data.criteria is not None:
        c.criteria = _criteria(data.criteria)
        names = {cr["name"] for cr in c.criteria}
        for e in _entrants(session, c.id):
            kept = {k: v for k, v in (e.scores or {}).items() if k in names}
            if kept != (e.scores or {}):
                e.scores = kept
    flush_write(session)
    return c


def delete(session: Session, principal: Principal, competition_id: int) -> None:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.delete, c)
    for e in _entrants(session, c.id):
        session.delete(e)
    session.flush()
    session.delete(c)
    session.flush()


def add_entrant(session: Session, principal: Principal, competition_id: int, data: EntrantCreate) -> tuple[Competition, CompetitionEntrant]:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.update, c)  # entrants, scores and the final ranking are part of it
    _ensure_open(c, "its entrants")
    if data.posyandu_id is not None:
        p = session.get(Posyandu, data.posyandu_id)
        if p is None or not principal.covers(p.region_code) or not code_covers(c.region_code, p.region_code):
            raise ValidationProblem(
                f"Posyandu {data.posyandu_id} is not under the competition's region {c.region_code}.",
                f"Posyandu {data.posyandu_id} tidak berada di bawah wilayah lomba {c.region_code}.",
                loc=["body", "posyandu_id"],
            )
        clash = select(CompetitionEntrant.id).where(CompetitionEntrant.competition_id == c.id, CompetitionEntrant.posyandu_id == p.id)
        e = CompetitionEntrant(
            competition_id=c.id, region_code=c.region_code, posyandu_id=p.id, name=p.name, entrant_region_code=p.region_code, scores={}
        )
    else:
        t = session.get(Team, data.team_id)
        if (
            t is None
            or t.region_code is None  # the national team enters no competition
            or not principal.covers(t.region_code)
            or not code_covers(c.region_code, t.region_code)
            or t.region_code == c.region_code
        ):
            raise ValidationProblem(
                f"Team {data.team_id} is not a team of a region under {c.region_code}.",
                f"Tim {data.team_id} bukan tim dari wilayah di bawah {c.region_code}.",
                loc=["body", "team_id"],
            )
        clash = select(CompetitionEntrant.id).where(CompetitionEntrant.competition_id == c.id, CompetitionEntrant.team_id == t.id)
        e = CompetitionEntrant(
            competition_id=c.id, region_code=c.region_code, team_id=t.id, name=t.name, entrant_region_code=t.region_code, scores={}
        )
    existing = session.scalar(clash)
    if existing is not None:
        raise Conflict(f"Already entered (entrant {existing}).", f"Sudah terdaftar (peserta {existing}).")
    session.add(e)
    session.flush()
    return c, e


def remove_entrant(session: Session, principal: Principal, competition_id: int, entrant_id: int) -> None:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.update, c)  # entrants, scores and the final ranking are part of it
    e = get_or_404(session, CompetitionEntrant, entrant_id, tr("Entrant", "Peserta"), parent=(CompetitionEntrant.competition_id, c.id))
    _ensure_open(c, "its entrants")
    session.delete(e)
    session.flush()


def set_scores(session: Session, principal: Principal, competition_id: int, data: ScoresSet) -> Ranking:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.update, c)  # entrants, scores and the final ranking are part of it
    _ensure_open(c, "its scores")
    entrants = {e.id: e for e in _entrants(session, c.id)}
    names = {cr["name"] for cr in c.criteria or []}
    updated: dict[int, dict[str, int]] = {}
    for i, entry in enumerate(data.scores):
        if entry.entrant_id not in entrants:
            raise ValidationProblem(
                f"Entrant {entry.entrant_id} is not in this competition.",
                f"Peserta {entry.entrant_id} tidak ada dalam lomba ini.",
                loc=["body", "scores", i, "entrant_id"],
            )
        if entry.criterion not in names:
            raise ValidationProblem(
                f"Unknown criterion '{entry.criterion}'.",
                f"Kriteria '{entry.criterion}' tidak dikenal.",
                loc=["body", "scores", i, "criterion"],
            )
        scores = updated.setdefault(entry.entrant_id, dict(entrants[entry.entrant_id].scores or {}))
        if entry.score is None:
            scores.pop(entry.criterion, None)
        else:
            scores[entry.criterion] = entry.score
    for eid, scores in updated.items():
        entrants[eid].scores = scores
    if c.status in (CompetitionStatus.draft.value, CompetitionStatus.open.value):
        c.status = CompetitionStatus.scoring.value
    flush_write(session)
    return ranking(session, principal, c.id)


def _ranked(c: Competition, entrants: list[CompetitionEntrant]) -> list[EntrantRead]:
    reads = [entrant_read(c, e) for e in entrants]
    if c.status == FINAL and all(r.final_rank is not None for r in reads):
        return sorted(reads, key=lambda r: (r.final_rank or 0, r.id))
    return sorted(reads, key=lambda r: (-r.total, r.name.lower(), r.id))


def ranking(session: Session, principal: Principal, competition_id: int) -> Ranking:
    c = get(session, principal, competition_id)
    prizes = {p["rank"]: p["prize"] for p in c.prizes or []}
    rows = [RankingRow(rank=i, entrant=r, prize=prizes.get(i)) for i, r in enumerate(_ranked(c, _entrants(session, c.id)), start=1)]
    return Ranking(competition_id=c.id, status=CompetitionStatus(c.status), final=c.status == FINAL, rows=rows)


def finalize(session: Session, principal: Principal, competition_id: int, data: FinalizeRequest, expected: ExpectedVersion) -> Competition:
    c = get(session, principal, competition_id)
    policy.require(principal, Action.update, c)  # entrants, scores and the final ranking are part of it
    expected.check(c.version, lambda: to_read(session, c, principal))
    _ensure_open(c, "the result")
    if not c.criteria:
        raise Conflict("The competition has no criteria.", "Lomba belum memiliki kriteria.")
    entrants = _entrants(session, c.id)
    if not entrants:
        raise Conflict("The competition has no entrants.", "Lomba belum memiliki peserta.")
    unscored = [e.name for e in entrants if not entrant_read(c, e).complete]
    if unscored:
        raise Conflict(
            f"Not every entrant is scored on every criterion: {', '.join(unscored[:10])}.",
            f"Belum semua peserta dinilai pada setiap kriteria: {', '.join(unscored[:10])}.",
        )
    too_low = [p.rank for p in data.prizes if p.rank > len(entrants)]
    if too_low:
        raise ValidationProblem(
            f"Prize rank(s) {too_low} exceed the {len(entrants)} entrants.",
            f"Peringkat hadiah {too_low} melebihi jumlah peserta ({len(entrants)}).",
            loc=["body", "prizes"],
        )
    by_id = {e.id: e for e in entrants}
    for rank, r in enumerate(_ranked(c, entrants), start=1):
        by_id[r.id].final_rank = rank
    c.prizes = [{"rank": p.rank, "prize": p.prize} for p in sorted(data.prizes, key=lambda p: p.rank)]
    c.status = FINAL
    c.finalized_at = utcnow()
    flush_write(session)
    return c


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------


def _feed_entrants(session: Session, _principal: Principal, rows: Sequence[CompetitionEntrant]) -> list[EntrantRead]:
    competitions = {c.id: c for c in session.scalars(select(Competition).where(Competition.id.in_({e.competition_id for e in rows})))}
    return [entrant_read(competitions[e.competition_id], e) for e in rows]


feed.register(Competition, CompetitionRead, lambda session, principal, rows: _to_reads(session, principal, list(rows)))
feed.register(CompetitionEntrant, EntrantRead, _feed_entrants)
