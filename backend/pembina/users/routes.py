from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.roles import Role
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.params import CODE_PATTERN, RecordId
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.users import service
from pembina.users.schemas import UserCreate, UserCreated, UserRead, UserUpdate
from pembina.kit.versioning import IfMatch, set_etag

router = api_router(prefix="/users", tags=["users"])


@router.get("", operation_id="users-list", summary="List user accounts in your region", response_model=Page[UserRead], responses=responses(401, 403, 422))
def list_users(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Search username or name.")] = None,
    active: bool | None = None,
) -> Page[UserRead]:
    return service.list_users(session, principal, params, region=region, role=role, q=q, active=active)


@router.post(
    "", operation_id="users-create", summary="Create a user account", status_code=status.HTTP_201_CREATED,
    response_model=UserCreated, responses=responses(401, 403, 409, 422),
)
def create_user(session: DbSession, principal: CurrentPrincipal, body: UserCreate, response: Response) -> UserCreated:
    created = service.create(session, principal, body)
    if created.generated_password:
        reveals_secret()  # shown once: never kept for an Idempotency-Key replay
    set_etag(response, created.version)
    response.headers["Location"] = f"/api/v1/users/{created.id}"
    return created


@router.get("/{user_id}", operation_id="users-get", summary="Get a user account", response_model=UserRead, responses=responses(401, 404))
def get_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId, response: Response) -> UserRead:
    user = service.get(session, principal, user_id)
    set_etag(response, user.version)
    return service.to_read(user, principal)


@router.patch(
    "/{user_id}", operation_id="users-update", summary="Update a user account (needs If-Match)",
    response_model=UserRead, responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def update_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId, body: UserUpdate, response: Response, if_match: IfMatch = None) -> UserRead:
    user = service.update(session, principal, user_id, body, if_match)
    set_etag(response, user.version)
    return service.to_read(user, principal)


@router.delete(
    "/{user_id}", operation_id="users-delete", summary="Delete a user account",
    status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 403, 404),
)
def delete_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId) -> Response:
    service.delete(session, principal, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
