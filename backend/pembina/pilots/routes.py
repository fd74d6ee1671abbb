from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.pilots import service
from pembina.pilots.schemas import PilotComparison, PilotFilters, PilotPeriod, PilotSiteCreate, PilotSiteRead, PilotSiteUpdate
from pembina.kit.params import RecordId
from pembina.kit.versioning import Expected


router = api_router(prefix="/pilot-sites", tags=["pilot-sites"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="pilot-sites-list")
def list_pilots(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[PilotFilters, Query()]) -> Page[PilotSiteRead]:
    """List pilot sites in your region"""
    return service.list_pilots(db, me, params, filters)


@router.get("/comparison", operation_id="pilot-sites-compare")
def compare(db: DbSession, me: CurrentPrincipal, filters: Annotated[PilotPeriod, Query()]) -> PilotComparison:
    """Compare pilot sites across the six SPM fields"""
    return service.comparison(db, me, filters)


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
