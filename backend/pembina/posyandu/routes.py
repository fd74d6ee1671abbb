from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, File, Form, Query, Response, UploadFile

from pembina.posyandu.schemas import PosyanduFilters
from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.config import get_settings
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.tabular import XLSX
from pembina.posyandu import service
from pembina.posyandu.schemas import RegistrationEventRead, ServiceCatalog, TransitionRequest
from pembina.posyandu.schemas import NumberImportReport, NumberIssue, PosyanduCreate, PosyanduRead, PosyanduUpdate, Readiness
from pembina.regions.filters import InRegion
from pembina.posyandu.registration import batch_files, batches as batch_service, documents, progress, transitions
from pembina.posyandu.counters import ProgressByRegion, RegistrationProgress
from pembina.posyandu.schemas import BatchCreate, BatchDetail, BatchRead, BatchStatus, BatchUpdate, DocumentRead, DocumentType
from pembina.kit.params import CODE_PATTERN, RecordId
from pembina.kit.versioning import Expected, ExpectedIfSent


router = api_router(prefix="/posyandu", tags=["posyandu"])
batches = api_router(prefix="/registration-batches", tags=["registration-batches"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


def _read_upload(file: UploadFile, limit: int) -> bytes:
    # One byte past the limit is enough to know the file is too large.
    return file.file.read(limit + 1)


def _disposition(filename: str) -> dict[str, str]:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}


@router.get("/service-catalog", operation_id="posyandu-service-catalog", responses=responses(401))
def service_catalog() -> ServiceCatalog:
    """The 6 SPM fields, their service checklists, strata and required documents"""
    return service.service_catalog()


@router.get("/registration-progress", operation_id="posyandu-registration-progress", responses=responses(404))
def registration_progress(db: DbSession, me: CurrentPrincipal, filters: Annotated[InRegion, Query()]) -> RegistrationProgress:
    """Registration progress of a region, with the posyandu blocked by their village's SK

    The registration counts by status (as in the region summary) for `region` (default: your own region), the
    posyandu waiting to be proposed (unregistered or returned) and, of those, `blocked_by_sk`: the ones whose
    village's SK TP Posyandu is not reported, which cannot be proposed while registration requires the SK
    (`PEMBINA_REGISTRATION_REQUIRES_SK`, on by default).
    """
    return progress.progress(db, me, filters)


@router.get("/registration-progress/by-region", operation_id="posyandu-registration-progress-by-region", responses=responses(404))
def registration_progress_by_region(db: DbSession, me: CurrentPrincipal, filters: Annotated[InRegion, Query()]) -> ProgressByRegion:
    """Registration counts per child region

    For each direct child of `region` (default: your own region; the nation: its provinces), the posyandu
    counts by registration status, zeros included, from the per-region counters: the kecamatan of a city, the
    kelurahan of a kecamatan. A village has no rows.
    """
    return progress.by_region(db, me, filters)


@router.get("", operation_id="posyandu-list")
def list_posyandu(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[PosyanduFilters, Query()]) -> Page[PosyanduRead]:
    """List posyandu in your region

    Filters: `region` (subtree), `spm_field` (runs at least one service of that field), `status` (registration),
    `pilot`, `active`, `stratum`, `batch_id`, `q` (name, address or registration number). Sort: name, region_code,
    registration_status, registration_number, kader_count, pengurus_count, created_at, updated_at.
    """
    return service.list_posyandu(db, me, params, filters)


@router.post("", operation_id="posyandu-create", status_code=201)
def create_posyandu(db: DbSession, me: CurrentPrincipal, body: PosyanduCreate) -> PosyanduRead:
    """Record a posyandu"""
    return service.to_read(service.create(db, me, body), me)


@router.get("/{posyandu_id}", operation_id="posyandu-get")
def get_posyandu(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId) -> PosyanduRead:
    """Get a posyandu"""
    return service.to_read(service.get(db, me, posyandu_id), me)


@router.patch("/{posyandu_id}", operation_id="posyandu-update", responses=responses(409))
def update_posyandu(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId, body: PosyanduUpdate, expected: Expected) -> PosyanduRead:
    """Update a posyandu (needs If-Match)

    Registration status is not editable here: use the registration transitions.
    """
    return service.to_read(service.update(db, me, posyandu_id, body, expected), me)


@router.delete("/{posyandu_id}", operation_id="posyandu-delete", status_code=204, responses=responses(409))
def delete_posyandu(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId) -> None:
    """Delete a posyandu (not while in the registration pipeline or registered)"""
    service.delete(db, me, posyandu_id)


# -- registration ---------------------------------------------------------------------


@router.get("/{posyandu_id}/registration/readiness", operation_id="posyandu-readiness")
def readiness(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId) -> Readiness:
    """What is missing before the posyandu can be proposed"""
    return transitions.readiness(db, me, posyandu_id)


@router.post("/{posyandu_id}/registration/transitions", operation_id="posyandu-transition", responses=responses(409))
def transition(
    db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId, body: TransitionRequest, expected: ExpectedIfSent
) -> PosyanduRead:
    """Move the posyandu along the registration pipeline

    propose (by the village; refused with 422 listing the gaps when not ready, among them a village SK TP Posyandu
    not yet reported while registration requires it), verify / return / reject / register / reopen (a regency/city
    coordinator or above). The ministry registers (with the number it issues) and returns (with a reason) posyandu
    submitted to it. If-Match is optional here; when sent, a stale version gets 412.
    """
    return service.to_read(transitions.transition(db, me, posyandu_id, body, expected), me)


@router.get("/{posyandu_id}/registration/events", operation_id="posyandu-registration-events")
def registration_events(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId) -> list[RegistrationEventRead]:
    """The posyandu's registration history"""
    return transitions.events(db, me, posyandu_id)


@router.get("/{posyandu_id}/documents", operation_id="posyandu-documents-list")
def list_documents(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId) -> list[DocumentRead]:
    """List the posyandu's evidence documents"""
    return documents.list_documents(db, me, posyandu_id)


@router.post("/{posyandu_id}/documents", operation_id="posyandu-documents-create", status_code=201, responses=responses(409))
def upload_document(
    db: DbSession,
    me: CurrentPrincipal,
    posyandu_id: RecordId,
    doc_type: Annotated[DocumentType, Form()],
    file: Annotated[UploadFile, File()],
) -> DocumentRead:
    """Upload an evidence document

    PDF, PNG or JPEG (data_kader also XLSX or CSV), checked by content, up to the configured size (10 MiB by
    default). Only before proposing (or after a return or rejection).
    """
    data = _read_upload(file, get_settings().posyandu_document_max_bytes)
    return documents.add_document(db, me, posyandu_id, doc_type, file.filename, data)


@router.get(
    "/{posyandu_id}/documents/{document_id}",
    operation_id="posyandu-documents-download",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}, "description": "The file."}},
)
def download_document(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId, document_id: RecordId) -> Response:
    """Download an evidence document"""
    doc = documents.get_document(db, me, posyandu_id, document_id)
    return doc.response(_disposition(doc.filename))


@router.delete(
    "/{posyandu_id}/documents/{document_id}", operation_id="posyandu-documents-delete", status_code=204, responses=responses(409)
)
def delete_document(db: DbSession, me: CurrentPrincipal, posyandu_id: RecordId, document_id: RecordId) -> None:
    """Delete an evidence document"""
    documents.delete_document(db, me, posyandu_id, document_id)


# -- registration batches -------------------------------------------------------------


@batches.get("", operation_id="registration-batches-list")
def list_batches(
    db: DbSession,
    me: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(batch_service.BATCH_SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    status: BatchStatus | None = None,
) -> Page[BatchRead]:
    """List registration batches in your region"""
    return batch_service.list_batches(db, me, params, region=region, status=status)


@batches.post("", operation_id="registration-batches-create", status_code=201)
def create_batch(db: DbSession, me: CurrentPrincipal, body: BatchCreate) -> BatchDetail:
    """Group verified posyandu of a regency/city into a batch"""
    return batch_service.batch_detail(db, batch_service.create_batch(db, me, body), me)


@batches.get("/{batch_id}", operation_id="registration-batches-get")
def get_batch(db: DbSession, me: CurrentPrincipal, batch_id: RecordId) -> BatchDetail:
    """Get a registration batch with its posyandu"""
    return batch_service.batch_detail(db, batch_service.get_batch(db, me, batch_id), me)


@batches.patch("/{batch_id}", operation_id="registration-batches-update", responses=responses(409))
def update_batch(db: DbSession, me: CurrentPrincipal, batch_id: RecordId, body: BatchUpdate, expected: Expected) -> BatchDetail:
    """Update a batch: title, notes, members while draft (needs If-Match)"""
    return batch_service.batch_detail(db, batch_service.update_batch(db, me, batch_id, body, expected), me)


@batches.delete("/{batch_id}", operation_id="registration-batches-delete", status_code=204, responses=responses(409))
def delete_batch(db: DbSession, me: CurrentPrincipal, batch_id: RecordId) -> None:
    """Delete a draft batch (its posyandu stay verified)"""
    batch_service.delete_batch(db, me, batch_id)


@batches.post("/{batch_id}/submit", operation_id="registration-batches-submit", responses=responses(409))
def submit_batch(db: DbSession, me: CurrentPrincipal, batch_id: RecordId, expected: ExpectedIfSent) -> BatchDetail:
    """Submit the batch to the ministry: its posyandu become submitted"""
    return batch_service.batch_detail(db, batch_service.submit_batch(db, me, batch_id, expected), me)


@batches.post("/{batch_id}/issue", operation_id="registration-batches-issue-numbers", responses=responses(409))
def issue_numbers(db: DbSession, me: CurrentPrincipal, batch_id: RecordId, body: NumberIssue, expected: ExpectedIfSent) -> BatchDetail:
    """Issue Nomor Registrasi Posyandu to a submitted batch's posyandu (the ministry)

    The ministry (Ditjen Bina Pemdes) or a national admin issues numbers in Pembina, beside the XLSX round trip:
    `{posyandu_id, registration_number}` pairs for some or all of the posyandu awaiting one. Checked as an
    imported file's rows are (in the batch, awaiting a number, not given twice nor used elsewhere, the configured
    format with the posyandu's own region code); all or nothing: any error is a 422 listing every item in error
    (`loc`: `["body", "numbers", i]`) and nothing is saved. A posyandu already registered with the same number is
    left as it is. The batch is completed once none of its posyandu awaits a number. If-Match is optional here;
    when sent, a stale version gets 412.
    """
    return batch_service.batch_detail(db, batch_files.issue_numbers(db, me, batch_id, body, expected), me)


@batches.get(
    "/{batch_id}/export",
    operation_id="registration-batches-export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}, "description": "One row per posyandu; the ministry fills `nomor_registrasi`."}},
)
def export_batch(db: DbSession, me: CurrentPrincipal, batch_id: RecordId, format: Literal["xlsx", "csv"] = "xlsx") -> Response:
    """Export the batch for the ministry (XLSX or CSV)"""
    content, media_type, filename = batch_files.export_batch(db, me, batch_id, format)
    return Response(content=content, media_type=media_type, headers=_disposition(filename))


@batches.post("/{batch_id}/numbers", operation_id="registration-batches-import-numbers", responses=responses(409))
def import_numbers(
    db: DbSession, me: CurrentPrincipal, batch_id: RecordId, file: Annotated[UploadFile, File()], dry_run: bool = False
) -> NumberImportReport:
    """Import the registration numbers returned by the ministry

    An XLSX or CSV file with the columns `posyandu_id` and `nomor_registrasi` (the batch export, filled in). All or
    nothing: any row error (unknown posyandu, posyandu not in the batch, a number given twice or already used
    elsewhere, a number not matching the configured format) saves nothing and lists every error. `dry_run=true` only
    reports.
    """
    data = _read_upload(file, get_settings().registration_import_max_bytes)
    return batch_files.import_numbers(db, me, batch_id, data, dry_run)
