from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.legal.schemas import LegalReferenceFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.legal import service
from pembina.legal.schemas import LegalReferenceCreate, LegalReferenceRead, LegalReferenceUpdate
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected

router = api_router(prefix="/legal-references", tags=["legal-references"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="legal-references-list")
def list_references(
    db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[LegalReferenceFilters, Query()]
) -> Page[LegalReferenceRead]:
    """Search the legal references library"""
    return service.list_references(db, params, filters)


@router.post("", operation_id="legal-references-create", status_code=201, responses=responses(409))
def create_reference(db: DbSession, me: CurrentPrincipal, body: LegalReferenceCreate) -> LegalReferenceRead:
    """Add a regulation to the library (national administrators)"""
    return service.to_read(service.create(db, me, body))


@router.get("/{reference_id}", operation_id="legal-references-get")
def get_reference(db: DbSession, me: CurrentPrincipal, reference_id: RecordId) -> LegalReferenceRead:
    """Get a legal reference"""
    return service.to_read(service.get(db, reference_id))


@router.patch("/{reference_id}", operation_id="legal-references-update", responses=responses(409))
def update_reference(
    db: DbSession, me: CurrentPrincipal, reference_id: RecordId, body: LegalReferenceUpdate, expected: Expected
) -> LegalReferenceRead:
    """Correct a legal reference (national administrators; needs If-Match)"""
    return service.to_read(service.update(db, me, reference_id, body, expected))


@router.delete("/{reference_id}", operation_id="legal-references-delete", status_code=204, responses=responses(409))
def delete_reference(db: DbSession, me: CurrentPrincipal, reference_id: RecordId) -> None:
    """Remove a regulation from the library (national administrators; 409 while a meeting cites it)"""
    service.delete(db, me, reference_id)
