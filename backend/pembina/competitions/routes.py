from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.competitions import service
from pembina.competitions.schemas import (
    CompetitionCreate, CompetitionDetail, CompetitionRead, CompetitionStatus, CompetitionUpdate, EntrantCreate, EntrantRead,
    FinalizeRequest, Ranking, ScoresSet,
)
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, NO_NUL, RecordId
from pembina.regions.schemas import RegionLevel
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected, ExpectedIfSent

router = api_router(prefix="/competitions", tags=["competitions"])


@router.get("", operation_id="competitions-list", summary="List competitions and awards (lomba posyandu) in your region", response_model=Page[CompetitionRead])
def list_competitions(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    level: RegionLevel | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL)] = None,
    status: CompetitionStatus | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL, description="Search the title.")] = None,
) -> Page[CompetitionRead]:
    return service.list_competitions(session, principal, params, region=region, level=level, year=year, category=category, status=status, q=q)


@router.post("", operation_id="competitions-create", summary="Set up a competition (as a draft)", status_code=status.HTTP_201_CREATED, response_model=CompetitionDetail)
def create_competition(session: DbSession, principal: CurrentPrincipal, body: CompetitionCreate) -> CompetitionDetail:
    return service.to_detail(session, service.create(session, principal, body))


@router.get("/{competition_id}", operation_id="competitions-get", summary="Get a competition with its entrants and scores", response_model=CompetitionDetail)
def get_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> CompetitionDetail:
    return service.to_detail(session, service.get(session, principal, competition_id))


@router.patch(
    "/{competition_id}", operation_id="competitions-update", summary="Update a competition: title, criteria, status (needs If-Match)",
    description="Criteria weights must sum to 100. After finalizing only title and notes can change (409 otherwise).",
    response_model=CompetitionDetail, responses=responses(409),
)
def update_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: CompetitionUpdate, expected: Expected) -> CompetitionDetail:
    return service.to_detail(session, service.update(session, principal, competition_id, body, expected))


@router.delete("/{competition_id}", operation_id="competitions-delete", summary="Delete a competition with its entrants", status_code=status.HTTP_204_NO_CONTENT)
def delete_competition(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> None:
    service.delete(session, principal, competition_id)


@router.post(
    "/{competition_id}/entrants", operation_id="competition-entrants-add", summary="Enter a posyandu (or a team of a region below) in the competition",
    status_code=status.HTTP_201_CREATED, response_model=EntrantRead, responses=responses(409),
)
def add_entrant(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: EntrantCreate) -> EntrantRead:
    c, e = service.add_entrant(session, principal, competition_id, body)
    return service.entrant_read(c, e)


@router.delete(
    "/{competition_id}/entrants/{entrant_id}", operation_id="competition-entrants-remove", summary="Withdraw an entrant",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(409),
)
def remove_entrant(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, entrant_id: RecordId) -> None:
    service.remove_entrant(session, principal, competition_id, entrant_id)


@router.put(
    "/{competition_id}/scores", operation_id="competition-scores-set", summary="Record scores (0–100) per entrant and criterion",
    description="Each entry sets (or, with null, clears) one entrant's score on one criterion; others are kept. A draft or open "
    "competition moves to scoring. Final competitions are locked (409). Returns the ranking.",
    response_model=Ranking, responses=responses(409),
)
def set_scores(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: ScoresSet) -> Ranking:
    return service.set_scores(session, principal, competition_id, body)


@router.get(
    "/{competition_id}/ranking", operation_id="competitions-ranking", summary="The ranking by weighted total",
    description="Weighted total = Σ score × weight / 100; ties are ordered by name, then id. Once final, the recorded ranks and prizes.",
    response_model=Ranking,
)
def get_ranking(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId) -> Ranking:
    return service.ranking(session, principal, competition_id)


@router.post(
    "/{competition_id}/finalize", operation_id="competitions-finalize", summary="Finalize: record the ranks, winners and prizes",
    description="Every entrant must be scored on every criterion. Afterwards scores and entrants are locked (409). If-Match is optional.",
    response_model=CompetitionDetail, responses=responses(409),
)
def finalize(session: DbSession, principal: CurrentPrincipal, competition_id: RecordId, body: FinalizeRequest, expected: ExpectedIfSent) -> CompetitionDetail:
    return service.to_detail(session, service.finalize(session, principal, competition_id, body, expected))
