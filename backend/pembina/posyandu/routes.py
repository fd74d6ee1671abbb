from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, File, Form, Query, Response, UploadFile, status

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.config import get_settings
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.tabular import XLSX
from pembina.posyandu import service
from pembina.posyandu.registration import batch_files, batches as batch_service, documents, transitions
from pembina.posyandu.catalog import SpmField
from pembina.posyandu.schemas import (
    BatchCreate,
    BatchDetail,
    BatchRead,
    BatchStatus,
    BatchUpdate,
    DocumentRead,
    DocumentType,
    NumberImportReport,
    PosyanduCreate,
    PosyanduRead,
    PosyanduUpdate,
    Readiness,
    RegistrationEventRead,
    RegistrationStatusEnum,
    ServiceCatalog,
    TransitionRequest,
)
from pembina.kit.params import CODE_PATTERN, MAX_ID, RecordId
from pembina.kit.versioning import Expected, ExpectedIfSent


router = api_router(prefix="/posyandu", tags=["posyandu"])
batches = api_router(prefix="/registration-batches", tags=["registration-batches"])


def _read_upload(file: UploadFile, limit: int) -> bytes:
    # One byte past the limit is enough to know the file is too large.
    return file.file.read(limit + 1)


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content=content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/service-catalog", operation_id="posyandu-service-catalog", summary="The 6 SPM fields, their service checklists, strata and required documents", response_model=ServiceCatalog, responses=responses(401))
def service_catalog() -> ServiceCatalog:
    return service.service_catalog()


@router.get(
    "", operation_id="posyandu-list", summary="List posyandu in your region", response_model=Page[PosyanduRead],
    description="Filters: `region` (subtree), `spm_field` (runs at least one service of that field), `status` (registration), "
    "`pilot`, `active`, `stratum`, `batch_id`, `q` (name, address or registration number). "
    "Sort: name, region_code, registration_status, registration_number, kader_count, pengurus_count, created_at, updated_at.",
)
def list_posyandu(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    spm_field: SpmField | None = None,
    status: RegistrationStatusEnum | None = None,
    pilot: bool | None = None,
    active: bool | None = None,
    stratum: Annotated[str | None, Query(max_length=32)] = None,
    batch_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Page[PosyanduRead]:
    return service.list_posyandu(
        session, principal, params, region=region, spm_field=spm_field.value if spm_field else None, status=status, pilot=pilot,
        active=active, q=q, stratum=stratum, batch_id=batch_id,
    )


@router.post("", operation_id="posyandu-create", summary="Record a posyandu", status_code=status.HTTP_201_CREATED, response_model=PosyanduRead)
def create_posyandu(session: DbSession, principal: CurrentPrincipal, body: PosyanduCreate) -> PosyanduRead:
    return service.to_read(service.create(session, principal, body), principal)


@router.get("/{posyandu_id}", operation_id="posyandu-get", summary="Get a posyandu", response_model=PosyanduRead)
def get_posyandu(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId) -> PosyanduRead:
    return service.to_read(service.get(session, principal, posyandu_id), principal)


@router.patch(
    "/{posyandu_id}", operation_id="posyandu-update", summary="Update a posyandu (needs If-Match)", response_model=PosyanduRead,
    responses=responses(409),
    description="Registration status is not editable here: use the registration transitions.",
)
def update_posyandu(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId, body: PosyanduUpdate, expected: Expected) -> PosyanduRead:
    return service.to_read(service.update(session, principal, posyandu_id, body, expected), principal)


@router.delete(
    "/{posyandu_id}", operation_id="posyandu-delete", summary="Delete a posyandu (not while in the registration pipeline or registered)",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(409),
)
def delete_posyandu(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId) -> None:
    service.delete(session, principal, posyandu_id)


# -- registration ---------------------------------------------------------------------

@router.get(
    "/{posyandu_id}/registration/readiness", operation_id="posyandu-readiness", summary="What is missing before the posyandu can be proposed",
    response_model=Readiness,
)
def readiness(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId) -> Readiness:
    return transitions.readiness(session, principal, posyandu_id)


@router.post(
    "/{posyandu_id}/registration/transitions", operation_id="posyandu-transition", summary="Move the posyandu along the registration pipeline",
    response_model=PosyanduRead, responses=responses(409),
    description="propose (by the village; refused with 422 listing the gaps when not ready), verify / return / reject / register / reopen "
    "(a regency/city coordinator or above). If-Match is optional here; when sent, a stale version gets 412.",
)
def transition(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId, body: TransitionRequest, expected: ExpectedIfSent) -> PosyanduRead:
    return service.to_read(transitions.transition(session, principal, posyandu_id, body, expected), principal)


@router.get(
    "/{posyandu_id}/registration/events", operation_id="posyandu-registration-events", summary="The posyandu's registration history",
    response_model=list[RegistrationEventRead],
)
def registration_events(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId) -> list[RegistrationEventRead]:
    return transitions.events(session, principal, posyandu_id)


@router.get("/{posyandu_id}/documents", operation_id="posyandu-documents-list", summary="List the posyandu's evidence documents", response_model=list[DocumentRead])
def list_documents(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId) -> list[DocumentRead]:
    return documents.list_documents(session, principal, posyandu_id)


@router.post(
    "/{posyandu_id}/documents", operation_id="posyandu-documents-create", summary="Upload an evidence document",
    status_code=status.HTTP_201_CREATED, response_model=DocumentRead, responses=responses(409),
    description="PDF, PNG or JPEG (data_kader also XLSX or CSV), checked by content, up to the configured size (10 MiB by default). "
    "Only before proposing (or after a return or rejection).",
)
def upload_document(
    session: DbSession,
    principal: CurrentPrincipal,
    posyandu_id: RecordId,
    doc_type: Annotated[DocumentType, Form()],
    file: Annotated[UploadFile, File()],
) -> DocumentRead:
    data = _read_upload(file, get_settings().posyandu_document_max_bytes)
    return documents.add_document(session, principal, posyandu_id, doc_type, file.filename, data)


@router.get(
    "/{posyandu_id}/documents/{document_id}", operation_id="posyandu-documents-download", summary="Download an evidence document",
    response_class=Response, responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}, "description": "The file."}},
)
def download_document(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId, document_id: RecordId) -> Response:
    doc = documents.get_document(session, principal, posyandu_id, document_id)
    return _attachment(doc.content, doc.content_type, doc.filename)


@router.delete(
    "/{posyandu_id}/documents/{document_id}", operation_id="posyandu-documents-delete", summary="Delete an evidence document",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(409),
)
def delete_document(session: DbSession, principal: CurrentPrincipal, posyandu_id: RecordId, document_id: RecordId) -> None:
    documents.delete_document(session, principal, posyandu_id, document_id)


# -- registration batches -------------------------------------------------------------

@batches.get("", operation_id="registration-batches-list", summary="List registration batches in your region", response_model=Page[BatchRead])
def list_batches(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(batch_service.BATCH_SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    status: BatchStatus | None = None,
) -> Page[BatchRead]:
    return batch_service.list_batches(session, principal, params, region=region, status=status)


@batches.post(
    "", operation_id="registration-batches-create", summary="Group verified posyandu of a regency/city into a batch",
    status_code=status.HTTP_201_CREATED, response_model=BatchDetail,
)
def create_batch(session: DbSession, principal: CurrentPrincipal, body: BatchCreate) -> BatchDetail:
    return batch_service.batch_detail(session, batch_service.create_batch(session, principal, body), principal)


@batches.get("/{batch_id}", operation_id="registration-batches-get", summary="Get a registration batch with its posyandu", response_model=BatchDetail)
def get_batch(session: DbSession, principal: CurrentPrincipal, batch_id: RecordId) -> BatchDetail:
    return batch_service.batch_detail(session, batch_service.get_batch(session, principal, batch_id), principal)


@batches.patch(
    "/{batch_id}", operation_id="registration-batches-update", summary="Update a batch: title, notes, members while draft (needs If-Match)",
    response_model=BatchDetail, responses=responses(409),
)
def update_batch(session: DbSession, principal: CurrentPrincipal, batch_id: RecordId, body: BatchUpdate, expected: Expected) -> BatchDetail:
    return batch_service.batch_detail(session, batch_service.update_batch(session, principal, batch_id, body, expected), principal)


@batches.delete(
    "/{batch_id}", operation_id="registration-batches-delete", summary="Delete a draft batch (its posyandu stay verified)",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(409),
)
def delete_batch(session: DbSession, principal: CurrentPrincipal, batch_id: RecordId) -> None:
    batch_service.delete_batch(session, principal, batch_id)


@batches.post(
    "/{batch_id}/submit", operation_id="registration-batches-submit", summary="Submit the batch to the ministry: its posyandu become submitted",
    response_model=BatchDetail, responses=responses(409),
)
def submit_batch(session: DbSession, principal: CurrentPrincipal, batch_id: RecordId, expected: ExpectedIfSent) -> BatchDetail:
    return batch_service.batch_detail(session, batch_service.submit_batch(session, principal, batch_id, expected), principal)


@batches.get(
    "/{batch_id}/export", operation_id="registration-batches-export", summary="Export the batch for the ministry (XLSX or CSV)",
    response_class=Response,
    responses={
        200: {"content": {XLSX: {}, "text/csv": {}}, "description": "One row per posyandu; the ministry fills `nomor_registrasi`."},
    },
)
def export_batch(session: DbSession, principal: CurrentPrincipal, batch_id: RecordId, format: Literal["xlsx", "csv"] = "xlsx") -> Response:
    content, media_type, filename = batch_files.export_batch(session, principal, batch_id, format)
    return _attachment(content, media_type, filename)


@batches.post(
    "/{batch_id}/numbers", operation_id="registration-batches-import-numbers", summary="Import the registration numbers returned by the ministry",
    response_model=NumberImportReport, responses=responses(409),
    description="An XLSX or CSV file with the columns `posyandu_id` and `nomor_registrasi` (the batch export, filled in). "
    "All or nothing: any row error (unknown posyandu, posyandu not in the batch, a number given twice or already used elsewhere, "
    "a number not matching the configured format) saves nothing and lists every error. `dry_run=true` only reports.",
)
def import_numbers(
    session: DbSession,
    principal: CurrentPrincipal,
    batch_id: RecordId,
    file: Annotated[UploadFile, File()],
    dry_run: bool = False,
) -> NumberImportReport:
    data = _read_upload(file, get_settings().registration_import_max_bytes)
    return batch_files.import_numbers(session, principal, batch_id, data, dry_run)
