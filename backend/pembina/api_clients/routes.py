from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.api_clients.schemas import ApiClientFilters
from pembina.kit.routing import api_router
from pembina.api_clients import service
from pembina.api_clients.schemas import ApiClientCreate, ApiClientRead, ApiClientUpdate, ApiClientWithSecret
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.params import RecordId
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.versioning import Expected

router = api_router(prefix="/api-clients", tags=["api-clients"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="api-clients-list")
def list_clients(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[ApiClientFilters, Query()]) -> Page[ApiClientRead]:
    """List API clients in your region"""
    return service.list_clients(db, me, params, filters)


@router.post("", operation_id="api-clients-create", status_code=201)
def create_client(db: DbSession, me: CurrentPrincipal, body: ApiClientCreate) -> ApiClientWithSecret:
    """Register an API client (the secret is shown once)"""
    created = service.create(db, me, body)
    reveals_secret()  # the secret is shown once: never kept for an Idempotency-Key replay
    return created


@router.get("/{client_pk}", operation_id="api-clients-get")
def get_client(db: DbSession, me: CurrentPrincipal, client_pk: RecordId) -> ApiClientRead:
    """Get an API client"""
    return service.to_read(service.get(db, me, client_pk), me)


@router.patch("/{client_pk}", operation_id="api-clients-update")
def update_client(db: DbSession, me: CurrentPrincipal, client_pk: RecordId, body: ApiClientUpdate, expected: Expected) -> ApiClientRead:
    """Rename, rescope or deactivate an API client (needs If-Match)"""
    return service.to_read(service.update(db, me, client_pk, body, expected), me)


@router.post("/{client_pk}/rotate-secret", operation_id="api-clients-rotate-secret")
def rotate_secret(db: DbSession, me: CurrentPrincipal, client_pk: RecordId) -> ApiClientWithSecret:
    """Issue a new secret (the old one stops working)"""
    out = service.rotate_secret(db, me, client_pk)
    reveals_secret()
    return out


@router.delete("/{client_pk}", operation_id="api-clients-delete", status_code=204)
def delete_client(db: DbSession, me: CurrentPrincipal, client_pk: RecordId) -> None:
    """Delete an API client"""
    service.delete(db, me, client_pk)
