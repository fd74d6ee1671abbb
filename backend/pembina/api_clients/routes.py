from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from pembina.kit.routing import api_router
from pembina.api_clients import service
from pembina.api_clients.schemas import ApiClientCreate, ApiClientRead, ApiClientUpdate, ApiClientWithSecret
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.params import CODE_PATTERN, RecordId
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.versioning import IfMatch, set_etag

router = api_router(prefix="/api-clients", tags=["api-clients"])


@router.get("", operation_id="api-clients-list", summary="List API clients in your region", response_model=Page[ApiClientRead], responses=responses(401, 403, 422))
def list_clients(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    active: bool | None = None,
) -> Page[ApiClientRead]:
    return service.list_clients(session, principal, params, region=region, active=active)


@router.post(
    "", operation_id="api-clients-create", summary="Register an API client (the secret is shown once)",
    status_code=status.HTTP_201_CREATED, response_model=ApiClientWithSecret, responses=responses(401, 403, 422),
)
def create_client(session: DbSession, principal: CurrentPrincipal, body: ApiClientCreate, response: Response) -> ApiClientWithSecret:
    created = service.create(session, principal, body)
    reveals_secret()  # the secret is shown once: never kept for an Idempotency-Key replay
    set_etag(response, created.version)
    response.headers["Location"] = f"/api/v1/api-clients/{created.id}"
    return created


@router.get("/{client_pk}", operation_id="api-clients-get", summary="Get an API client", response_model=ApiClientRead, responses=responses(401, 404))
def get_client(session: DbSession, principal: CurrentPrincipal, client_pk: RecordId, response: Response) -> ApiClientRead:
    client = service.get(session, principal, client_pk)
    set_etag(response, client.version)
    return service.to_read(client, principal)


@router.patch(
    "/{client_pk}", operation_id="api-clients-update", summary="Rename, rescope or deactivate an API client (needs If-Match)",
    response_model=ApiClientRead, responses=responses(401, 403, 404, 412, 422, 428),
)
def update_client(session: DbSession, principal: CurrentPrincipal, client_pk: RecordId, body: ApiClientUpdate, response: Response, if_match: IfMatch = None) -> ApiClientRead:
    client = service.update(session, principal, client_pk, body, if_match)
    set_etag(response, client.version)
    return service.to_read(client, principal)


@router.post(
    "/{client_pk}/rotate-secret", operation_id="api-clients-rotate-secret", summary="Issue a new secret (the old one stops working)",
    response_model=ApiClientWithSecret, responses=responses(401, 403, 404),
)
def rotate_secret(session: DbSession, principal: CurrentPrincipal, client_pk: RecordId, response: Response) -> ApiClientWithSecret:
    out = service.rotate_secret(session, principal, client_pk)
    reveals_secret()
    set_etag(response, out.version)
    return out


@router.delete(
    "/{client_pk}", operation_id="api-clients-delete", summary="Delete an API client",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 403, 404),
)
def delete_client(session: DbSession, principal: CurrentPrincipal, client_pk: RecordId) -> Response:
    service.delete(session, principal, client_pk)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
