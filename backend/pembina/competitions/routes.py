from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.competitions.schemas import CompetitionFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.competitions import service
from pembina.competitions.schemas import CompetitionCreate, CompetitionDetail, CompetitionRead, CompetitionUpdate, EntrantCreate
from pembina.competitions.schemas import EntrantRead, FinalizeRequest, Ranking, ScoresSet
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected, ExpectedIfSent

router = api_router(prefix="/competitions", tags=["competitions"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="competitions-list")
def list_competitions(
    db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[CompetitionFilters, Query()]
) -> Page[CompetitionRead]:
    """List competitions and awards (lomba posyandu) in your region"""
    return service.list_competitions(db, me, params, filters)


@router.post("", operation_id="competitions-create", status_code=201)
def create_competition(db: DbSession, me: CurrentPrincipal, body: CompetitionCreate) -> CompetitionDetail:
    """Set up a competition (as a draft)"""
    return service.to_detail(db, service.create(db, me, body), me)


@router.get("/{competition_id}", operation_id="competitions-get")
def get_competition(db: DbSession, me: CurrentPrincipal, competition_id: RecordId) -> CompetitionDetail:
    """Get a competition with its entrants and scores"""
    return service.to_detail(db, service.get(db, me, competition_id), me)


@router.patch("/{competition_id}", operation_id="competitions-update", responses=responses(409))
def update_competition(
    db: DbSession, me: CurrentPrincipal, competition_id: RecordId, body: CompetitionUpdate, expected: Expected
) -> CompetitionDetail:
    """Update a competition: title, criteria, status (needs If-Match)

    Criteria weights must sum to 100. After finalizing only title and notes can change (409 otherwise).
    """
    return service.to_detail(db, service.update(db, me, competition_id, body, expected), me)


@router.delete("/{competition_id}", operation_id="competitions-delete", status_code=204)
def delete_competition(db: DbSession, me: CurrentPrincipal, competition_id: RecordId) -> None:
    """Delete a competition with its entrants"""
    service.delete(db, me, competition_id)


@router.post("/{competition_id}/entrants", operation_id="competition-entrants-add", status_code=201, responses=responses(409))
def add_entrant(db: DbSession, me: CurrentPrincipal, competition_id: RecordId, body: EntrantCreate) -> EntrantRead:
    """Enter a posyandu (or a team of a region below) in the competition"""
    c, e = service.add_entrant(db, me, competition_id, body)
    return service.entrant_read(c, e)


@router.delete(
    "/{competition_id}/entrants/{entrant_id}", operation_id="competition-entrants-remove", status_code=204, responses=responses(409)
)
def remove_entrant(db: DbSession, me: CurrentPrincipal, competition_id: RecordId, entrant_id: RecordId) -> None:
    """Withdraw an entrant"""
    service.remove_entrant(db, me, competition_id, entrant_id)


@router.put("/{competition_id}/scores", operation_id="competition-scores-set", responses=responses(409))
def set_scores(db: DbSession, me: CurrentPrincipal, competition_id: RecordId, body: ScoresSet) -> Ranking:
    """Record scores (0–100) per entrant and criterion

    Each entry sets (or, with null, clears) one entrant's score on one criterion; others are kept. A draft or open
    competition moves to scoring. Final competitions are locked (409). Returns the ranking.
    """
    return service.set_scores(db, me, competition_id, body)


@router.get("/{competition_id}/ranking", operation_id="competitions-ranking")
def get_ranking(db: DbSession, me: CurrentPrincipal, competition_id: RecordId) -> Ranking:
    """The ranking by weighted total

    Weighted total = Σ score × weight / 100; ties are ordered by name, then id. Once final, the recorded ranks and
    prizes.
    """
    return service.ranking(db, me, competition_id)


@router.post("/{competition_id}/finalize", operation_id="competitions-finalize", responses=responses(409))
def finalize(
    db: DbSession, me: CurrentPrincipal, competition_id: RecordId, body: FinalizeRequest, expected: ExpectedIfSent
) -> CompetitionDetail:
    """Finalize: record the ranks, winners and prizes

    Every entrant must be scored on every criterion. Afterwards scores and entrants are locked (409). If-Match is
    optional.
    """
    return service.to_detail(db, service.finalize(db, me, competition_id, body, expected), me)
