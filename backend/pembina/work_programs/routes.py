from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, MAX_ID, NO_NUL, RecordId
from pembina.posyandu.catalog import SpmField
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected
from pembina.work_programs import service
from pembina.work_programs.schemas import WorkProgramCreate, WorkProgramRead, WorkProgramStatus, WorkProgramUpdate

router = api_router(prefix="/work-programs", tags=["work-programs"])


@router.get('', operation_id='work-programs-list')
def list_programs(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    team_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    spm_field: SpmField | None = None,
    status: WorkProgramStatus | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL, description="Search the title.")] = None,
    allocation_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Programs linked to this budget allocation.")] = None,
) -> Page[WorkProgramRead]:
    """List work programs (program kerja) in your region"""
    return service.list_programs(
        session, principal, params, region=region, year=year, team_id=team_id, spm_field=spm_field, status=status, q=q, allocation_id=allocation_id,
    )


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
