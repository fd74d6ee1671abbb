from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.work_programs.schemas import WorkProgramFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected
from pembina.work_programs import service
from pembina.work_programs.schemas import WorkProgramCreate, WorkProgramRead, WorkProgramUpdate

router = api_router(prefix="/work-programs", tags=["work-programs"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get('', operation_id='work-programs-list')
def list_programs(
    session: DbSession, principal: CurrentPrincipal, params: Paging, filters: Annotated[WorkProgramFilters, Query()]
) -> Page[WorkProgramRead]:
    """List work programs (program kerja) in your region"""
    return service.list_programs(session, principal, params, filters)


@router.post('', operation_id='work-programs-create', status_code=status.HTTP_201_CREATED)
def create_program(session: DbSession, principal: CurrentPrincipal, body: WorkProgramCreate) -> WorkProgramRead:
    """Create a work program for a team and year"""
    return service.to_read(session, service.create(session, principal, body), principal)


@router.get('/{program_id}', operation_id='work-programs-get')
def get_program(session: DbSession, principal: CurrentPrincipal, program_id: RecordId) -> WorkProgramRead:
    """Get a work program"""
    return service.to_read(session, service.get(session, principal, program_id), principal)


@router.patch('/{program_id}', operation_id='work-programs-update')
def update_program(session: DbSession, principal: CurrentPrincipal, program_id: RecordId, body: WorkProgramUpdate, expected: Expected) -> WorkProgramRead:
    """Update a work program: schedule, status, linked allocations (needs If-Match)"""
    return service.to_read(session, service.update(session, principal, program_id, body, expected), principal)


@router.delete('/{program_id}', operation_id='work-programs-delete', status_code=status.HTTP_204_NO_CONTENT)
def delete_program(session: DbSession, principal: CurrentPrincipal, program_id: RecordId) -> None:
    """Delete a work program"""
    service.delete(session, principal, program_id)
