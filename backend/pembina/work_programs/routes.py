from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

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


@router.get("", operation_id="work-programs-list")
def list_programs(
    db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[WorkProgramFilters, Query()]
) -> Page[WorkProgramRead]:
    """List work programs (program kerja) in your region"""
    return service.list_programs(db, me, params, filters)


@router.post("", operation_id="work-programs-create", status_code=201)
def create_program(db: DbSession, me: CurrentPrincipal, body: WorkProgramCreate) -> WorkProgramRead:
    """Create a work program for a team and year"""
    return service.to_read(db, service.create(db, me, body), me)


@router.get("/{program_id}", operation_id="work-programs-get")
def get_program(db: DbSession, me: CurrentPrincipal, program_id: RecordId) -> WorkProgramRead:
    """Get a work program"""
    return service.to_read(db, service.get(db, me, program_id), me)


@router.patch("/{program_id}", operation_id="work-programs-update")
def update_program(
    db: DbSession, me: CurrentPrincipal, program_id: RecordId, body: WorkProgramUpdate, expected: Expected
) -> WorkProgramRead:
    """Update a work program: schedule, status, linked allocations (needs If-Match)"""
    return service.to_read(db, service.update(db, me, program_id, body, expected), me)


@router.delete("/{program_id}", operation_id="work-programs-delete", status_code=204)
def delete_program(db: DbSession, me: CurrentPrincipal, program_id: RecordId) -> None:
    """Delete a work program"""
    service.delete(db, me, program_id)
