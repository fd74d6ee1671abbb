from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.legal import service
from pembina.legal.schemas import LegalKind, LegalReferenceCreate, LegalReferenceRead, LegalReferenceUpdate
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import NO_NUL, RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import IfMatch, set_etag

router = api_router(prefix="/legal-references", tags=["legal-references"])


@router.get("", operation_id="legal-references-list", summary="Search the legal references library", response_model=Page[LegalReferenceRead], responses=responses(401, 422))
def list_references(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL, description="Search title and number.")] = None,
    kind: LegalKind | None = None,
    year: Annotated[int | None, Query(ge=1945, le=2100)] = None,
) -> Page[LegalReferenceRead]:
    return service.list_references(session, params, q=q, kind=kind, year=year)


@router.post(
    "", operation_id="legal-references-create", summary="Add a regulation to the library (national administrators)",
    status_code=status.HTTP_201_CREATED, response_model=LegalReferenceRead, responses=responses(401, 403, 409, 422),
)
def create_reference(session: DbSession, principal: CurrentPrincipal, body: LegalReferenceCreate, response: Response) -> LegalReferenceRead:
    ref = service.create(session, principal, body)
    set_etag(response, ref.version)
    response.headers["Location"] = f"/api/v1/legal-references/{ref.id}"
    return service.to_read(ref)


@router.get("/{reference_id}", operation_id="legal-references-get", summary="Get a legal reference", response_model=LegalReferenceRead, responses=responses(401, 404, 422))
def get_reference(session: DbSession, principal: CurrentPrincipal, reference_id: RecordId, response: Response) -> LegalReferenceRead:
    ref = service.get(session, reference_id)
    set_etag(response, ref.version)
    return service.to_read(ref)


@router.patch(
    "/{reference_id}", operation_id="legal-references-update", summary="Correct a legal reference (national administrators; needs If-Match)",
    response_model=LegalReferenceRead, responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def update_reference(session: DbSession, principal: CurrentPrincipal, reference_id: RecordId, body: LegalReferenceUpdate, response: Response, if_match: IfMatch = None) -> LegalReferenceRead:
    ref = service.update(session, principal, reference_id, body, if_match)
    set_etag(response, ref.version)
    return service.to_read(ref)
