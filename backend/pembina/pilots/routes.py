from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.pilots import service
from pembina.pilots.schemas import PilotComparison, PilotSiteCreate, PilotSiteRead, PilotSiteUpdate
from pembina.kit.params import CODE_PATTERN, MAX_ID, IsoDate, RecordId
from pembina.kit.versioning import Expected


router = api_router(prefix="/pilot-sites", tags=["pilot-sites"])

Region = Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")]
ActiveOn = Annotated[IsoDate | None, Query(description="Pilots whose period includes this date (YYYY-MM-DD).")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Pilots whose period overlaps this year.")]


@router.get('', operation_id='pilot-sites-list')
def list_pilots(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Region = None,
    active_on: ActiveOn = None,
    year: Year = None,
    posyandu_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="Search the posyandu name.")] = None,
) -> Page[PilotSiteRead]:
    """List pilot sites in your region"""
    return service.list_pilots(session, principal, params, region=region, active_on=active_on, year=year, q=q, posyandu_id=posyandu_id)


@router.get('/comparison', operation_id='pilot-sites-compare')
def compare(session: DbSession, principal: CurrentPrincipal, region: Region = None, active_on: ActiveOn = None, year: Year = None) -> PilotComparison:
    """Compare pilot sites across the six SPM fields"""
    return service.comparison(session, principal, region=region, active_on=active_on, year=year)


@router.post('', operation_id='pilot-sites-create', status_code=status.HTTP_201_CREATED, responses=responses(409))
def create_pilot(session: DbSession, principal: CurrentPrincipal, body: PilotSiteCreate) -> PilotSiteRead:
    """Make a posyandu a pilot site for a period"""
    return service.to_read(service.create(session, principal, body), principal)


@router.get('/{pilot_id}', operation_id='pilot-sites-get')
def get_pilot(session: DbSession, principal: CurrentPrincipal, pilot_id: RecordId) -> PilotSiteRead:
    """Get a pilot site with its scorecard"""
    return service.to_read(service.get(session, principal, pilot_id), principal)


@router.patch('/{pilot_id}', operation_id='pilot-sites-update')
def update_pilot(session: DbSession, principal: CurrentPrincipal, pilot_id: RecordId, body: PilotSiteUpdate, expected: Expected) -> PilotSiteRead:
    """Update a pilot site: period, scorecard, good practice (needs If-Match)"""
    return service.to_read(service.update(session, principal, pilot_id, body, expected), principal)


@router.delete('/{pilot_id}', operation_id='pilot-sites-delete', status_code=status.HTTP_204_NO_CONTENT)
def delete_pilot(session: DbSession, principal: CurrentPrincipal, pilot_id: RecordId) -> None:
    """Delete a pilot site"""
    service.delete(session, principal, pilot_id)
