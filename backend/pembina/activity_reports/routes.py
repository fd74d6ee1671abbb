from __future__ import annotations

from typing import Annotated

from urllib.parse import quote

from fastapi import Depends, Query, Response
from fastapi.responses import StreamingResponse

from pembina.activity_reports import photos, service
from pembina.activity_reports.schemas import (
    Board,
    FieldDefinitions,
    MissingFilters,
    MissingPosyandu,
    Period,
    PhotoRead,
    ReportCreate,
    ReportFilters,
    ReportRead,
    ReportUpdate,
    ServiceTotals,
    TransitionCreate,
    Trend,
)
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.config import get_settings
from pembina.kit.errors import responses
from pembina.kit.files import Multipart, multipart_body, multipart_form
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected, ExpectedIfSent

router = api_router(prefix="/activity-reports", tags=["activity-reports"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]
MissingPaging = Annotated[PageParams, Depends(sortable({"region_code": None}, cursor=False))]
RegionQuery = Annotated[
    str | None,
    Query(pattern=CODE_PATTERN, description="The region (default: your own; national accounts: the nation).", examples=["33.75"]),
]
PeriodQuery = Annotated[
    Period | None, Query(description="The month, YYYY-MM (default: the month being reported now, the one before today's).")
]


@router.get("", operation_id="activity-reports-list")
def list_reports(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[ReportFilters, Query()]) -> Page[ReportRead]:
    """List monthly activity reports in your region"""
    return service.list_reports(db, me, params, filters)


@router.get("/fields", operation_id="activity-reports-fields", responses=responses(401))
def field_definitions() -> FieldDefinitions:
    """What a report asks (per SPM field), the target groups, the due day and who accepts

    The questions of each SPM field: its service catalog (how many times each service was held) and its
    usual measures (people served), or what `PEMBINA_ACTIVITY_REPORT_FIELDS` sets. A report keeps the
    questions it was created with.
    """
    return service.field_definitions()


@router.get("/board", operation_id="activity-reports-board", responses=responses(404))
def board(db: DbSession, me: CurrentPrincipal, region: RegionQuery = None, period: PeriodQuery = None) -> Board:
    """Completeness and timeliness of a month's reports, per child region

    For each child region (the provinces for the nation) and in total: expected (active posyandu), received
    (submitted, returned for correction, or accepted), on time (first submitted by the due date), accepted,
    returned, missing, and percentages of expected. Live counters kept by every write.
    """
    return service.board(db, me, region, period)


@router.get("/trend", operation_id="activity-reports-trend", responses=responses(404))
def trend(
    db: DbSession,
    me: CurrentPrincipal,
    region: RegionQuery = None,
    until: Annotated[Period | None, Query(description="The last month (default: the month being reported now).")] = None,
) -> Trend:
    """Completeness and timeliness of a region over 12 months"""
    return service.trend(db, me, region, until)


@router.get("/services", operation_id="activity-reports-services", responses=responses(404))
def services(db: DbSession, me: CurrentPrincipal, region: RegionQuery = None, period: PeriodQuery = None) -> ServiceTotals:
    """Service totals per SPM field of a region's received reports for a month

    Per SPM field: each question's total, and how many received reports show activity in the field or none;
    the target groups reached, days open and kader present summed.
    """
    return service.service_totals(db, me, region, period)


@router.get("/missing", operation_id="activity-reports-missing", responses=responses(404))
def missing(
    db: DbSession, me: CurrentPrincipal, params: MissingPaging, filters: Annotated[MissingFilters, Query()]
) -> Page[MissingPosyandu]:
    """The active posyandu that did not report for a month (or reported no activity in a field)

    Active posyandu of the region with no received report for the month (a draft does not count), in code
    order; with `no_activity_in`, those whose received report shows no activity in that SPM field.
    """
    return service.missing(db, me, filters, params)


@router.post("", operation_id="activity-reports-create", status_code=201, responses=responses(404, 409))
def create_report(db: DbSession, me: CurrentPrincipal, body: ReportCreate) -> ReportRead:
    """Start a posyandu's report of a month (as a draft)

    One per posyandu and month (a second is a 409 naming the first); a posyandu outside your region is a 404. Send an `Idempotency-Key` so that a
    retry never makes a second one. The report keeps the questions in force now.
    """
    return service.to_read(service.create(db, me, body), me)


@router.get("/{report_id}", operation_id="activity-reports-get")
def get_report(db: DbSession, me: CurrentPrincipal, report_id: RecordId) -> ReportRead:
    """Get an activity report"""
    return service.to_read(service.get(db, me, report_id), me)


@router.patch("/{report_id}", operation_id="activity-reports-update", responses=responses(409))
def update_report(db: DbSession, me: CurrentPrincipal, report_id: RecordId, body: ReportUpdate, expected: Expected) -> ReportRead:
    """Update a report (needs If-Match; an accepted report only after it is returned)"""
    return service.to_read(service.update(db, me, report_id, body, expected), me)


@router.delete("/{report_id}", operation_id="activity-reports-delete", status_code=204, responses=responses(409))
def delete_report(db: DbSession, me: CurrentPrincipal, report_id: RecordId) -> None:
    """Delete a draft report"""
    service.delete(db, me, report_id)


@router.post("/{report_id}/transitions", operation_id="activity-reports-transition", responses=responses(409))
def transition(db: DbSession, me: CurrentPrincipal, report_id: RecordId, body: TransitionCreate, expected: ExpectedIfSent) -> ReportRead:
    """Submit, accept or return a report

    draft | returned →submit→ submitted →accept→ accepted; submitted | accepted →return (reason)→ returned.
    Whoever writes in the posyandu's village (or above) submits; accepting and returning are for the village or
    for the district and above, per `PEMBINA_ACTIVITY_REPORT_ACCEPTOR`. The first submission fixes the due date
    and whether it was on time (by the end of the due day, office time zone). If-Match is optional here.
    """
    return service.to_read(service.transition(db, me, report_id, body, expected), me)


# -- photos ------------------------------------------------------------------------------------

#: The multipart body (`file` and an optional `caption`), capped by `PEMBINA_ACTIVITY_REPORT_PHOTO_MAX_BYTES` while it streams in.
photo_upload = multipart_form("activity_report_photo_max_bytes")
PHOTO_BODY = multipart_body(
    "A JPEG or PNG photo.", {"caption": {"type": "string", "maxLength": 200, "description": "What the photo shows (its alt text)."}}
)


@router.get("/{report_id}/photos", operation_id="activity-report-photos-list")
def list_photos(db: DbSession, me: CurrentPrincipal, report_id: RecordId) -> list[PhotoRead]:
    """List a report's photos"""
    return photos.list_photos(db, me, report_id)


@router.post(
    "/{report_id}/photos",
    operation_id="activity-report-photos-upload",
    status_code=201,
    openapi_extra=PHOTO_BODY,
    responses=responses(409, 413, 415),
)
def upload_photo(
    db: DbSession, me: CurrentPrincipal, report_id: RecordId, form: Annotated[Multipart | None, Depends(photo_upload)]
) -> PhotoRead:
    """Add a photo to a report

    multipart/form-data with field `file`, a JPEG or PNG (checked by its content, whatever its name or declared
    type), at most `PEMBINA_ACTIVITY_REPORT_PHOTO_MAX_BYTES` (5 MiB by default), and optionally `caption`. At most
    `PEMBINA_ACTIVITY_REPORT_PHOTO_MAX_COUNT` photos per report (6 by default: 422 beyond). Only while the report
    is a draft or returned (409 otherwise), by whoever may edit it.
    """
    file = form.file if form else None
    data = file.file.read(get_settings().activity_report_photo_max_bytes + 1) if file else None
    caption = form.fields.get("caption") if form else None
    return photos.add_photo(db, me, report_id, file.filename if file else None, data, caption)


@router.get(
    "/{report_id}/photos/{photo_id}",
    operation_id="activity-report-photos-download",
    response_class=Response,
    responses={
        200: {
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The photo.",
        }
    },
)
def download_photo(db: DbSession, me: CurrentPrincipal, report_id: RecordId, photo_id: RecordId) -> StreamingResponse:
    """Download a report's photo"""
    p = photos.get_photo(db, me, report_id, photo_id)
    return p.response({"Content-Disposition": f"inline; filename*=UTF-8''{quote(p.filename)}", "X-Content-Type-Options": "nosniff"})


@router.delete("/{report_id}/photos/{photo_id}", operation_id="activity-report-photos-delete", status_code=204, responses=responses(409))
def delete_photo(db: DbSession, me: CurrentPrincipal, report_id: RecordId, photo_id: RecordId) -> None:
    """Remove a photo from a report (only while the report is a draft or returned)"""
    photos.delete_photo(db, me, report_id, photo_id)
