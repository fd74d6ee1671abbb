from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Query, Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from pembina.meetings.schemas import FollowUpFilters, MeetingFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.config import get_settings
from pembina.kit.files import multipart_body, multipart_file
from pembina.meetings import service
from pembina.meetings.schemas import AttachmentRead, FollowUpCreate, FollowUpRead, FollowUpUpdate, MeetingCreate, MeetingDetail, MeetingRead
from pembina.meetings.schemas import MeetingUpdate
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected

router = api_router(prefix="/meetings", tags=["meetings"])
follow_ups = api_router(prefix="/follow-ups", tags=["meetings"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]
FollowUpPaging = Annotated[PageParams, Depends(sortable(service.FOLLOW_UP_SORTS, cursor=False))]


@router.get("", operation_id="meetings-list")
def list_meetings(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[MeetingFilters, Query()]) -> Page[MeetingRead]:
    """List coordination meetings (rakor) in your region"""
    return service.list_meetings(db, me, params, filters)


@router.post("", operation_id="meetings-create", status_code=201)
def create_meeting(db: DbSession, me: CurrentPrincipal, body: MeetingCreate) -> MeetingDetail:
    """Record a coordination meeting"""
    return service.to_detail(db, service.create(db, me, body), me)


@router.get("/{meeting_id}", operation_id="meetings-get")
def get_meeting(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId) -> MeetingDetail:
    """Get a meeting with its follow-ups"""
    return service.to_detail(db, service.get(db, me, meeting_id), me)


@router.patch("/{meeting_id}", operation_id="meetings-update")
def update_meeting(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, body: MeetingUpdate, expected: Expected) -> MeetingDetail:
    """Update a meeting (needs If-Match; lists are replaced whole)"""
    return service.to_detail(db, service.update(db, me, meeting_id, body, expected), me)


@router.delete("/{meeting_id}", operation_id="meetings-delete", status_code=204)
def delete_meeting(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId) -> None:
    """Delete a meeting with its follow-ups and attachments"""
    service.delete(db, me, meeting_id)


# -- attachments -------------------------------------------------------------------

#: The multipart field `file`, capped by `PEMBINA_ATTACHMENT_MAX_BYTES` while it streams in.
attachment_upload = multipart_file("attachment_max_bytes")

UPLOAD_BODY = multipart_body("A PDF, PNG or JPEG.")


@router.get("/{meeting_id}/attachments", operation_id="meeting-attachments-list")
def list_attachments(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId) -> list[AttachmentRead]:
    """List a meeting's attachments"""
    return service.list_attachments(db, me, meeting_id)


@router.post("/{meeting_id}/attachments", operation_id="meeting-attachments-upload", status_code=201, openapi_extra=UPLOAD_BODY)
def upload_attachment(
    db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, file: Annotated[StarletteUploadFile | None, Depends(attachment_upload)]
) -> AttachmentRead:
    """Attach a file (invitation, minutes scan, attendance, photo)

    multipart/form-data with field `file`: a PDF, PNG or JPEG (checked by its content; a PDF must start with `%PDF-`
    and end with `%%EOF`; a file name ending or declared type that claims another kind is a 415), at most
    `PEMBINA_ATTACHMENT_MAX_BYTES` (10 MiB by default).
    """
    data = file.file.read(get_settings().attachment_max_bytes + 1) if file else None
    return service.add_attachment(db, me, meeting_id, file.filename if file else None, data, file.content_type if file else None)


@router.get(
    "/{meeting_id}/attachments/{attachment_id}",
    operation_id="meeting-attachments-download",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The file.",
        }
    },
)
def download_attachment(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, attachment_id: RecordId) -> Response:
    """Download an attachment"""
    a = service.get_attachment(db, me, meeting_id, attachment_id)
    return a.response({"Content-Disposition": f"attachment; filename*=UTF-8''{quote(a.filename)}", "X-Content-Type-Options": "nosniff"})


@router.delete("/{meeting_id}/attachments/{attachment_id}", operation_id="meeting-attachments-delete", status_code=204)
def delete_attachment(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, attachment_id: RecordId) -> None:
    """Delete an attachment"""
    service.delete_attachment(db, me, meeting_id, attachment_id)


# -- follow-ups --------------------------------------------------------------------


@router.post("/{meeting_id}/follow-ups", operation_id="meeting-follow-ups-create", status_code=201)
def create_follow_up(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, body: FollowUpCreate) -> FollowUpRead:
    """Add a follow-up action to a meeting"""
    f, m = service.create_follow_up(db, me, meeting_id, body)
    return service.follow_up_read(f, m, me)


@router.patch("/{meeting_id}/follow-ups/{follow_up_id}", operation_id="meeting-follow-ups-update")
def update_follow_up(
    db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, follow_up_id: RecordId, body: FollowUpUpdate, expected: Expected
) -> FollowUpRead:
    """Update a follow-up: status, due date, owner (needs If-Match with the follow-up's ETag)

    Status open → in_progress → done (done_on defaults to today) or cancelled; any status may be set back.
    """
    f, m = service.update_follow_up(db, me, meeting_id, follow_up_id, body, expected)
    return service.follow_up_read(f, m, me)


@router.delete("/{meeting_id}/follow-ups/{follow_up_id}", operation_id="meeting-follow-ups-delete", status_code=204)
def delete_follow_up(db: DbSession, me: CurrentPrincipal, meeting_id: RecordId, follow_up_id: RecordId) -> None:
    """Delete a follow-up"""
    service.delete_follow_up(db, me, meeting_id, follow_up_id)


@follow_ups.get("", operation_id="follow-ups-list")
def list_follow_ups(
    db: DbSession, me: CurrentPrincipal, params: FollowUpPaging, filters: Annotated[FollowUpFilters, Query()]
) -> Page[FollowUpRead]:
    """Follow-up actions across meetings (e.g. everything overdue in your region)

    `overdue=true`: open or in progress with a due date before `as_of` (default today).
    """
    return service.list_follow_ups(db, me, params, filters)
