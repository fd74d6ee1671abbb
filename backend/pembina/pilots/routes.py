from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

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


@router.get("", operation_id="pilot-sites-list")
def list_pilots(
    db: DbSession,
    me: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Region = None,
    active_on: ActiveOn = None,
    year: Year = None,
    posyandu_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="Search the posyandu name.")] = None,
) -> Page[PilotSiteRead]:
    """List pilot sites in your region"""
    return service.list_pilots(db, me, params, region=region, active_on=active_on, year=year, q=q, posyandu_id=posyandu_id)


@router.get("/comparison", operation_id="pilot-sites-compare")
def compare(db: DbSession, me: CurrentPrincipal, region: Region = None, active_on: ActiveOn = None, year: Year = None) -> PilotComparison:
    """Compare pilot sites across the six SPM fields"""
    return service.comparison(db, me, region=region, active_on=active_on, year=year)


@router.post("", operation_id="pilot-sites-create", status_code=201, responses=responses(409))
def create_pilot(db: DbSession, me: CurrentPrincipal, body: PilotSiteCreate) -> PilotSiteRead:
    """Make a posyandu a pilot site for a period"""
    return service.to_read(service.create(db, me, body), me)


@router.get("/{pilot_id}", operation_id="pilot-sites-get")
def get_pilot(db: DbSession, me: CurrentPrincipal, pilot_id: RecordId) -> PilotSiteRead:
    """Get a pilot site with its scorecard"""
    return service.to_read(service.get(db, me, pilot_id), me)


@router.patch("/{pilot_id}", operation_id="pilot-sites-update")
def update_pilot(db: DbSession, me: CurrentPrincipal, pilot_id: RecordId, body: PilotSiteUpdate, expected: Expected) -> PilotSiteRead:
    """Update a pilot site: period, scorecard, good practice (needs If-Match)"""
    return service.to_read(service.update(db, me, pilot_id, body, expected), me)


@router.delete("/{pilot_id}", operation_id="pilot-sites-delete", status_code=204)
def delete_pilot(db: DbSession, me: CurrentPrincipal, pilot_id: RecordId) -> None:
    """Delete a pilot site"""
    service.delete(db, me, pilot_id)
