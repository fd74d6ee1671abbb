from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.competitions.schemas import CompetitionFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.competitions import service
from pembina.competitions.schemas import (
    CompetitionCreate, CompetitionDetail, CompetitionRead, CompetitionUpdate, EntrantCreate, EntrantRead,
    FinalizeRequest, Ranking, ScoresSet,
)
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected, ExpectedIfSent

router = api_router(prefix="/competitions", tags=["competitions"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get('', operation_id='competitions-list')
def list_competitions(
    session: DbSession, principal: CurrentPrincipal, params: Paging, filters: Annotated[CompetitionFilters, Query()]
) -> Page[CompetitionRead]:
    """List competitions and awards (lomba posyandu) in your region"""
    return service.list_competitions(session, principal, params, filters)


@router.post('', operation_id='competitions-create', status_code=status.HTTP_201_CREATED)
def create_competition(session: DbSession, principal: CurrentPrincipal, body: CompetitionCreate) -> CompetitionDetail:
    """Set up a competition (as a draft)"""
    return service.to_detail(session, service.create(session, principal, body))


@router.get('/{competition_id}', operation_id='competitions-get')
def get_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> CompetitionDetail:
    """Get a competition with its entrants and scores"""
    return service.to_detail(session, service.get(session, principal, competition_id))


@router.patch('/{competition_id}', operation_id='competitions-update', responses=responses(409))
def update_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: CompetitionUpdate, expected: Expected) -> CompetitionDetail:
    """Update a competition: title, criteria, status (needs If-Match)

    Criteria weights must sum to 100. After finalizing only title and notes can change (409 otherwise).
    """
    return service.to_detail(session, service.update(session, principal, competition_id, body, expected))


@router.delete('/{competition_id}', operation_id='competitions-delete', status_code=status.HTTP_204_NO_CONTENT)
def delete_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> None:
    """Delete a competition with its entrants"""
    service.delete(session, principal, competition_id)


@router.post('/{competition_id}/entrants', operation_id='competition-entrants-add', status_code=status.HTTP_201_CREATED, responses=responses(409))
def add_entrant(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: EntrantCreate) -> EntrantRead:
    """Enter a posyandu (or a team of a region below) in the competition"""
    c, e = service.add_entrant(session, principal, competition_id, body)
    return service.entrant_read(c, e)


@router.delete('/{competition_id}/entrants/{entrant_id}', operation_id='competition-entrants-remove', status_code=status.HTTP_204_NO_CONTENT, responses=responses(409))
def remove_entrant(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, entrant_id: RecordId) -> None:
    """Withdraw an entrant"""
    service.remove_entrant(session, principal, competition_id, entrant_id)


@router.put('/{competition_id}/scores', operation_id='competition-scores-set', responses=responses(409))
def set_scores(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: ScoresSet) -> Ranking:
    """Record scores (0–100) per entrant and criterion

    Each entry sets (or, with null, clears) one entrant's score on one criterion; others are kept. A draft or open
    competition moves to scoring. Final competitions are locked (409). Returns the ranking.
    """
    return service.set_scores(session, principal, competition_id, body)


@router.get('/{competition_id}/ranking', operation_id='competitions-ranking')
def get_ranking(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> Ranking:
    """The ranking by weighted total

    Weighted total = Σ score × weight / 100; ties are ordered by name, then id. Once final, the recorded ranks and
    prizes.
    """
    return service.ranking(session, principal, competition_id)


@router.post('/{competition_id}/finalize', operation_id='competitions-finalize', responses=responses(409))
def finalize(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: FinalizeRequest, expected: ExpectedIfSent) -> CompetitionDetail:
    """Finalize: record the ranks, winners and prizes

    Every entrant must be scored on every criterion. Afterwards scores and entrants are locked (409). If-Match is
    optional.
    """
    return service.to_detail(session, service.finalize(session, principal, competition_id, body, expected))
