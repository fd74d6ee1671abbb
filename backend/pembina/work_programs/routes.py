from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, MAX_ID, NO_NUL, RecordId
from pembina.posyandu.catalog import SpmField
from pembina.kit.routing import api_router
from pembina.kit.versioning import IfMatch, set_etag
from pembina.work_programs import service
from pembina.work_programs.schemas import WorkProgramCreate, WorkProgramRead, WorkProgramStatus, WorkProgramUpdate

router = api_router(prefix="/work-programs", tags=["work-programs"])


@router.get(
    "", operation_id="work-programs-list", summary="List work programs (program kerja) in your region", response_model=Page[WorkProgramRead],
    responses=responses(401, 403, 422),
)
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
    return service.list_programs(
        session, principal, params, region=region, year=year, team_id=team_id, spm_field=spm_field, status=status, q=q, allocation_id=allocation_id,
    )


@router.post(
    "", operation_id="work-programs-create", summary="Create a work program for a team and year", status_code=status.HTTP_201_CREATED,
    response_model=WorkProgramRead, responses=responses(401, 403, 422),
)
def create_program(session: DbSession, principal: CurrentPrincipal, body: WorkProgramCreate, response: Response) -> WorkProgramRead:
    wp = service.create(session, principal, body)
    set_etag(response, wp.version)
    response.headers["Location"] = f"/api/v1/work-programs/{wp.id}"
    return service.to_read(session, wp, principal)


@router.get(
    "/{program_id}", operation_id="work-programs-get", summary="Get a work program", response_model=WorkProgramRead,
    responses=responses(401, 404, 422),
)
def get_program(session: DbSession, principal: CurrentPrincipal, program_id: RecordId, response: Response) -> WorkProgramRead:
    wp = service.get(session, principal, program_id)
    set_etag(response, wp.version)
    return service.to_read(session, wp, principal)


@router.patch(
    "/{program_id}", operation_id="work-programs-update", summary="Update a work program: schedule, status, linked allocations (needs If-Match)",
    response_model=WorkProgramRead, responses=responses(401, 403, 404, 412, 422, 428),
)
def update_program(
    session: DbSession, principal: CurrentPrincipal, program_id: RecordId, body: WorkProgramUpdate, response: Response, if_match: IfMatch = None,
) -> WorkProgramRead:
    wp = service.update(session, principal, program_id, body, if_match)
    set_etag(response, wp.version)
    return service.to_read(session, wp, principal)


@router.delete(
    "/{program_id}", operation_id="work-programs-delete", summary="Delete a work program", status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(401, 403, 404, 422),
)
def delete_program(session: DbSession, principal: CurrentPrincipal, program_id: RecordId) -> Response:
    service.delete(session, principal, program_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
