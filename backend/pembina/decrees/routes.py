from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Path, Query, Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from pembina.decrees.schemas import DecreeFilters, DeadlineFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.decrees import chase, compliance, service
from pembina.kit.routing import api_router
from pembina.decrees.schemas import DeadlineUpdate, DecreeCreate, DecreeRead, DecreeUpdate, TransitionCreate, TransitionRead
from pembina.decrees.schemas import ChaseSheet, ComplianceBoard, DeadlineCreate, RegionContacts, MissingFilters, MissingPage, DeadlineRead
from pembina.decrees.schemas import NationalComplianceBoard
from pembina.kit.errors import responses
from pembina.kit import files
from pembina.kit.files import multipart_body, multipart_file
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.regions.schemas import RegionLevel
from pembina.kit.params import CODE_PATTERN, IsoDate, RecordId
from pembina.kit.versioning import Expected, ExpectedIfSent, etag


router = api_router(prefix="/decrees", tags=["decrees"])
deadlines = api_router(prefix="/reporting-deadlines", tags=["decrees"])
board = api_router(tags=["decrees"])
#: /regions/compliance: mounted before the regions router (whose /regions/{code} would take it).
national_board = api_router(tags=["decrees"])

RegionCodePath = Annotated[str, Path(pattern=CODE_PATTERN, examples=["33.75"])]

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]
DeadlinePaging = Annotated[PageParams, Depends(sortable(service.DEADLINE_SORTS))]


@router.get("", operation_id="decrees-list")
def list_decrees(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[DecreeFilters, Query()]) -> Page[DecreeRead]:
    """List decrees (SK) in your region"""
    return service.list_decrees(db, me, params, filters)


@router.post("", operation_id="decrees-create", status_code=201)
def create_decree(db: DbSession, me: CurrentPrincipal, body: DecreeCreate) -> DecreeRead:
    """Record a decree (as a draft)"""
    return service.to_read(service.create(db, me, body), me)


@router.get("/{decree_id}", operation_id="decrees-get")
def get_decree(db: DbSession, me: CurrentPrincipal, decree_id: RecordId) -> DecreeRead:
    """Get a decree"""
    return service.to_read(service.get(db, me, decree_id), me)


@router.patch("/{decree_id}", operation_id="decrees-update", responses=responses(409))
def update_decree(db: DbSession, me: CurrentPrincipal, decree_id: RecordId, body: DecreeUpdate, expected: Expected) -> DecreeRead:
    """Update a decree (needs If-Match; most fields only as a draft)"""
    return service.to_read(service.update(db, me, decree_id, body, expected), me)


@router.delete("/{decree_id}", operation_id="decrees-delete", status_code=204, responses=responses(409))
def delete_decree(db: DbSession, me: CurrentPrincipal, decree_id: RecordId) -> None:
    """Delete a draft decree"""
    service.delete(db, me, decree_id)


@router.post("/{decree_id}/transitions", operation_id="decrees-transition", status_code=201, responses=responses(409))
def transition(
    db: DbSession, me: CurrentPrincipal, decree_id: RecordId, body: TransitionCreate, response: Response, expected: ExpectedIfSent
) -> TransitionRead:
    """Move a decree through its lifecycle (issue, report, verify, return, revoke)

    draft →issue→ issued →report→ reported →verify→ verified; reported →return (reason)→ issued;
    issued/reported/verified →revoke (reason)→ revoked. The region's operator or any coordinator above issues and
    reports; a regency/city coordinator or above (never the decree's own level) verifies and returns. A step that
    the current status does not allow is a 409 `invalid-transition`. If-Match is optional here.
    """
    row = service.transition(db, me, decree_id, body, expected)
    response.headers["ETag"] = etag(service.get(db, me, decree_id).version)  # the decree's, not the transition's
    return service.transition_read(row)


@router.get("/{decree_id}/transitions", operation_id="decrees-transitions-list")
def list_transitions(db: DbSession, me: CurrentPrincipal, decree_id: RecordId) -> list[TransitionRead]:
    """A decree's lifecycle history"""
    return service.list_transitions(db, me, decree_id)


#: The multipart field `file`, capped by `PEMBINA_DECREE_FILE_MAX_BYTES` while it streams in.
pdf_upload = multipart_file("decree_file_max_bytes")

UPLOAD_BODY = multipart_body("The PDF scan.")


@router.put("/{decree_id}/file", operation_id="decrees-file-upload", responses=responses(409), openapi_extra=UPLOAD_BODY)
def upload_file(
    db: DbSession, me: CurrentPrincipal, decree_id: RecordId, file: Annotated[StarletteUploadFile | None, Depends(pdf_upload)]
) -> DecreeRead:
    """Attach (or replace) the decree's PDF

    multipart/form-data with field `file`: a PDF (checked by its content, not its name), at most
    `PEMBINA_DECREE_FILE_MAX_BYTES` (10 MiB by default).
    """
    return service.to_read(service.upload_file(db, me, decree_id, file.filename if file else None, file.file if file else None), me)


@router.get(
    "/{decree_id}/file",
    operation_id="decrees-file-download",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "The PDF."}},
)
def download_file(db: DbSession, me: CurrentPrincipal, decree_id: RecordId) -> Response:
    """Download the decree's PDF"""
    name, sha256 = service.download_file(db, me, decree_id)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "X-Content-Type-Options": "nosniff"}
    return files.download(sha256, "application/pdf", headers)


# -- reporting deadlines ---------------------------------------------------------


@deadlines.get("", operation_id="reporting-deadlines-list")
def list_deadlines(
    db: DbSession, me: CurrentPrincipal, params: DeadlinePaging, filters: Annotated[DeadlineFilters, Query()]
) -> Page[DeadlineRead]:
    """List SK reporting deadlines in your region"""
    return service.list_deadlines(db, me, params, filters)


@deadlines.post("", operation_id="reporting-deadlines-create", status_code=201, responses=responses(409))
def create_deadline(db: DbSession, me: CurrentPrincipal, body: DeadlineCreate) -> DeadlineRead:
    """Set an SK reporting deadline for a region and year"""
    return service.deadline_read(service.create_deadline(db, me, body), me)


@deadlines.get("/{deadline_id}", operation_id="reporting-deadlines-get")
def get_deadline(db: DbSession, me: CurrentPrincipal, deadline_id: RecordId) -> DeadlineRead:
    """Get a reporting deadline"""
    return service.deadline_read(service.get_deadline(db, me, deadline_id), me)


@deadlines.patch("/{deadline_id}", operation_id="reporting-deadlines-update")
def update_deadline(db: DbSession, me: CurrentPrincipal, deadline_id: RecordId, body: DeadlineUpdate, expected: Expected) -> DeadlineRead:
    """Move a reporting deadline (needs If-Match)"""
    return service.deadline_read(service.update_deadline(db, me, deadline_id, body, expected), me)


@deadlines.delete("/{deadline_id}", operation_id="reporting-deadlines-delete", status_code=204)
def delete_deadline(db: DbSession, me: CurrentPrincipal, deadline_id: RecordId) -> None:
    """Delete a reporting deadline"""
    service.delete_deadline(db, me, deadline_id)


# -- the compliance board --------------------------------------------------------


@national_board.get("/regions/compliance", operation_id="regions-national-compliance", responses=responses(403))
def national_compliance_board(
    db: DbSession,
    me: CurrentPrincipal,
    level: RegionLevel = RegionLevel.village,
    as_of: Annotated[IsoDate | None, Query(description="The state at the end of this day (YYYY-MM-DD).")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> NationalComplianceBoard:
    """The national board: SK compliance per province (national accounts)

    For each of the 38 provinces and for the nation: regions at `level` (expected teams), with a team, with a
    team-formation SK issued / reported / verified, missing, percentages, and the province's reporting deadline
    and whether it is overdue. Live counters, or replayed with `as_of` like a region's board. The regions that have
    not reported are listed per province (`/regions/{code}/compliance/missing`). Region-bound accounts get 403.
    """
    return compliance.national_board(db, me, level, as_of, year)


@board.get("/regions/{code}/compliance", operation_id="regions-compliance")
def compliance_board(
    db: DbSession,
    me: CurrentPrincipal,
    code: RegionCodePath,
    level: RegionLevel = RegionLevel.village,
    as_of: Annotated[IsoDate | None, Query(description="The state at the end of this day (YYYY-MM-DD).")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    missing_limit: Annotated[int, Query(ge=0, le=5000, description="At most this many regions in `missing_reports`.")] = 1000,
) -> ComplianceBoard:
    """Which teams have their SK issued, reported, verified — per child region

    For each child of `code` and in total: regions at `level` (expected teams), with a team, with a team-formation
    SK issued / reported / verified, missing (no issued SK), percentages, the reporting deadline and whether it is
    overdue; and the regions at `level` with no reported SK. Without `as_of` the numbers come from live counters;
    with `as_of` they are replayed from the transitions' effective dates. `year` picks the reporting deadlines
    (default: the year of `as_of`, or this year).
    """
    return compliance.board(db, me, code, level, as_of, year, missing_limit)


MissingPaging = Annotated[PageParams, Depends(sortable({"code": None}, cursor=False))]


@board.get("/regions/{code}/compliance/missing", operation_id="regions-compliance-missing")
def compliance_missing(
    db: DbSession, me: CurrentPrincipal, code: RegionCodePath, params: MissingPaging, filters: Annotated[MissingFilters, Query()]
) -> MissingPage:
    """The regions that have not reported their SK, paged and grouped by kab/kota

    The board's list of regions at `level` with no reported team-formation SK, one page at a time in code order
    (so kab/kota by kab/kota), each with its kab/kota and kecamatan, its deadline and whether it is overdue; and
    `groups`: per kab/kota, how many have not reported over all pages. Live counters, or replayed with `as_of`.
    """
    return compliance.missing_page(db, me, code, filters, params)


@board.get("/regions/{code}/chase", operation_id="regions-chase")
def chase_sheet(
    db: DbSession,
    me: CurrentPrincipal,
    code: RegionCodePath,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Which reporting deadline applies (default: this year).")] = None,
) -> ChaseSheet:
    """Chase a late region: its team, its SK, days late and whom to contact

    The region's TP Posyandu (else its Pokjanal/Pokja), the team-formation SK that counts (else the furthest one)
    with its last step, the reporting deadline that applies and the days past it (today in Asia/Jakarta), what is
    late in Indonesian, and the contacts: the region's active accounts and its team's members with phone, e-mail,
    `tel:`, `mailto:` and a WhatsApp link with a prefilled reminder. `contacts` is null unless your role may see
    them (`view_contacts` in `allowed_actions`: regency/city coordinators and above, read-write API clients).
    """
    return chase.chase(db, me, code, year)


@board.get("/regions/{code}/contacts", operation_id="regions-contacts")
def region_contacts(db: DbSession, me: CurrentPrincipal, code: RegionCodePath) -> RegionContacts:
    """Whom to contact in a region (coordinators)

    The region's active accounts and its team members with phone, e-mail and `tel:` / `mailto:` / WhatsApp links
    (the reminder says what is late). 403 unless `view_contacts` (regency/city coordinators and above, read-write
    API clients). Not offered as a list export: people's phones are not exported in bulk.
    """
    return chase.region_contacts(db, me, code)
