from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from collections.abc import AsyncGenerator, AsyncIterator

from fastapi import Depends, Path, Query, Request, Response, status
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.decrees import compliance, service
from pembina.kit.routing import api_router
from pembina.decrees.schemas import (
    ComplianceBoard, DeadlineCreate, DeadlineRead, DeadlineUpdate, DecreeCreate, DecreeRead, DecreeStatus, DecreeSubject,
    DecreeUpdate, TransitionCreate, TransitionRead,
)
from pembina.config import get_settings
from pembina.kit.errors import PayloadTooLarge, ValidationProblem, responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.regions.schemas import RegionLevel
from pembina.kit.params import CODE_PATTERN, MAX_ID, NO_NUL, IsoDate, RecordId
from pembina.kit.versioning import IfMatch, set_etag


router = api_router(prefix="/decrees", tags=["decrees"])
deadlines = api_router(prefix="/reporting-deadlines", tags=["decrees"])
board = api_router(tags=["decrees"])


@router.get(
    "", operation_id="decrees-list", summary="List decrees (SK) in your region", response_model=Page[DecreeRead],
    responses=responses(401, 403, 422),
)
def list_decrees(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    level: RegionLevel | None = None,
    status: DecreeStatus | None = None,
    subject: DecreeSubject | None = None,
    team_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL, description="Search title and number.")] = None,
) -> Page[DecreeRead]:
    return service.list_decrees(session, principal, params, region=region, level=level, status=status, subject=subject, team_id=team_id, q=q)


@router.post(
    "", operation_id="decrees-create", summary="Record a decree (as a draft)", status_code=201, response_model=DecreeRead,
    responses=responses(401, 403, 422),
)
def create_decree(session: DbSession, principal: CurrentPrincipal, body: DecreeCreate, response: Response) -> DecreeRead:
    decree = service.create(session, principal, body)
    set_etag(response, decree.version)
    response.headers["Location"] = f"/api/v1/decrees/{decree.id}"
    return service.to_read(decree, principal)


@router.get("/{decree_id}", operation_id="decrees-get", summary="Get a decree", response_model=DecreeRead, responses=responses(401, 404, 422))
def get_decree(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId, response: Response) -> DecreeRead:
    decree = service.get(session, principal, decree_id)
    set_etag(response, decree.version)
    return service.to_read(decree, principal)


@router.patch(
    "/{decree_id}", operation_id="decrees-update", summary="Update a decree (needs If-Match; most fields only as a draft)",
    response_model=DecreeRead, responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def update_decree(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId, body: DecreeUpdate, response: Response, if_match: IfMatch = None) -> DecreeRead:
    decree = service.update(session, principal, decree_id, body, if_match)
    set_etag(response, decree.version)
    return service.to_read(decree, principal)


@router.delete(
    "/{decree_id}", operation_id="decrees-delete", summary="Delete a draft decree", status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(401, 403, 404, 409, 422),
)
def delete_decree(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId) -> Response:
    service.delete(session, principal, decree_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{decree_id}/transitions", operation_id="decrees-transition", status_code=201, response_model=TransitionRead,
    summary="Move a decree through its lifecycle (issue, report, verify, return, revoke)",
    description="draft →issue→ issued →report→ reported →verify→ verified; reported →return (reason)→ issued; "
    "issued/reported/verified →revoke (reason)→ revoked. The region's operator or any coordinator above issues and "
    "reports; a regency/city coordinator or above (never the decree's own level) verifies and returns. "
    "A step that the current status does not allow is a 409 `invalid-transition`. If-Match is optional here.",
    responses=responses(401, 403, 404, 409, 412, 422),
)
def transition(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId, body: TransitionCreate, response: Response, if_match: IfMatch = None) -> TransitionRead:
    row = service.transition(session, principal, decree_id, body, if_match)
    decree = service.get(session, principal, decree_id)
    set_etag(response, decree.version)
    return service.transition_read(row)


@router.get(
    "/{decree_id}/transitions", operation_id="decrees-transitions-list", summary="A decree's lifecycle history",
    response_model=list[TransitionRead], responses=responses(401, 404, 422),
)
def list_transitions(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId) -> list[TransitionRead]:
    return service.list_transitions(session, principal, decree_id)


#: Room for the multipart framing around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


async def pdf_upload(request: Request) -> AsyncIterator[StarletteUploadFile | None]:
    """The multipart field `file`, read with a cap: a body larger than the allowed file (plus
    framing) is refused with 413 as soon as it is seen, never spooled to disk whole."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        yield None
        return
    limit = get_settings().decree_file_max_bytes
    cap = limit + MULTIPART_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.", max_bytes=limit)

    async def capped() -> AsyncGenerator[bytes, None]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                raise PayloadTooLarge(f"The file is larger than {limit:,} bytes.", max_bytes=limit)
            yield chunk

    try:
        form = await MultiPartParser(request.headers, capped(), max_files=1, max_fields=10).parse()
    except MultiPartException as e:
        raise ValidationProblem(f"Malformed multipart body: {e.message}", loc=["body", "file"]) from None
    try:
        file = form.get("file")
        yield file if isinstance(file, StarletteUploadFile) else None
    finally:
        await form.close()


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": "The PDF scan."}},
                }
            }
        },
    }
}


@router.put(
    "/{decree_id}/file", operation_id="decrees-file-upload", summary="Attach (or replace) the decree's PDF",
    description="multipart/form-data with field `file`: a PDF (checked by its content, not its name), at most "
    "`PEMBINA_DECREE_FILE_MAX_BYTES` (10 MiB by default).",
    response_model=DecreeRead, responses=responses(401, 403, 404, 409, 413, 415, 422), openapi_extra=UPLOAD_BODY,
)
def upload_file(
    session: DbSession, principal: CurrentPrincipal, decree_id: RecordId, response: Response,
    file: Annotated[StarletteUploadFile | None, Depends(pdf_upload)],
) -> DecreeRead:
    decree = service.upload_file(session, principal, decree_id, file.filename if file else None, file.file if file else None)
    set_etag(response, decree.version)
    return service.to_read(decree, principal)


@router.get(
    "/{decree_id}/file", operation_id="decrees-file-download", summary="Download the decree's PDF", response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "The PDF."}, **responses(401, 404, 422)},
)
def download_file(session: DbSession, principal: CurrentPrincipal, decree_id: RecordId) -> Response:
    name, content = service.download_file(session, principal, decree_id)
    return Response(
        content=content, media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "X-Content-Type-Options": "nosniff"},
    )


# -- reporting deadlines ---------------------------------------------------------

@deadlines.get(
    "", operation_id="reporting-deadlines-list", summary="List SK reporting deadlines in your region", response_model=Page[DeadlineRead],
    responses=responses(401, 403, 422),
)
def list_deadlines(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.DEADLINE_SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[DeadlineRead]:
    return service.list_deadlines(session, principal, params, region=region, year=year)


@deadlines.post(
    "", operation_id="reporting-deadlines-create", summary="Set an SK reporting deadline for a region and year", status_code=201,
    response_model=DeadlineRead, responses=responses(401, 403, 409, 422),
)
def create_deadline(session: DbSession, principal: CurrentPrincipal, body: DeadlineCreate, response: Response) -> DeadlineRead:
    d = service.create_deadline(session, principal, body)
    set_etag(response, d.version)
    response.headers["Location"] = f"/api/v1/reporting-deadlines/{d.id}"
    return service.deadline_read(d, principal)


@deadlines.get(
    "/{deadline_id}", operation_id="reporting-deadlines-get", summary="Get a reporting deadline", response_model=DeadlineRead,
    responses=responses(401, 404, 422),
)
def get_deadline(session: DbSession, principal: CurrentPrincipal, deadline_id: RecordId, response: Response) -> DeadlineRead:
    d = service.get_deadline(session, principal, deadline_id)
    set_etag(response, d.version)
    return service.deadline_read(d, principal)


@deadlines.patch(
    "/{deadline_id}", operation_id="reporting-deadlines-update", summary="Move a reporting deadline (needs If-Match)",
    response_model=DeadlineRead, responses=responses(401, 403, 404, 412, 422, 428),
)
def update_deadline(session: DbSession, principal: CurrentPrincipal, deadline_id: RecordId, body: DeadlineUpdate, response: Response, if_match: IfMatch = None) -> DeadlineRead:
    d = service.update_deadline(session, principal, deadline_id, body, if_match)
    set_etag(response, d.version)
    return service.deadline_read(d, principal)


@deadlines.delete(
    "/{deadline_id}", operation_id="reporting-deadlines-delete", summary="Delete a reporting deadline",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 403, 404, 422),
)
def delete_deadline(session: DbSession, principal: CurrentPrincipal, deadline_id: RecordId) -> Response:
    service.delete_deadline(session, principal, deadline_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- the compliance board --------------------------------------------------------

@board.get(
    "/regions/{code}/compliance", operation_id="regions-compliance",
    summary="Which teams have their SK issued, reported, verified — per child region",
    description="For each child of `code` and in total: regions at `level` (expected teams), with a team, with a "
    "team-formation SK issued / reported / verified, missing (no issued SK), percentages, the reporting deadline "
    "and whether it is overdue; and the regions at `level` with no reported SK. Without `as_of` the numbers come "
    "from live counters; with `as_of` they are replayed from the transitions' effective dates. `year` picks the "
    "reporting deadlines (default: the year of `as_of`, or this year).",
    response_model=ComplianceBoard, responses=responses(401, 403, 404, 422),
)
def compliance_board(
    session: DbSession,
    principal: CurrentPrincipal,
    code: Annotated[str, Path(pattern=CODE_PATTERN, examples=["33.75"])],
    level: RegionLevel = RegionLevel.village,
    as_of: Annotated[IsoDate | None, Query(description="The state at the end of this day (YYYY-MM-DD).")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    missing_limit: Annotated[int, Query(ge=0, le=5000, description="At most this many regions in `missing_reports`.")] = 1000,
) -> ComplianceBoard:
    return compliance.board(session, principal, code, level, as_of, year, missing_limit)
