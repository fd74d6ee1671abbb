from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.roles import Role
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.params import CODE_PATTERN, RecordId
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.users import service
from pembina.users.schemas import UserCreate, UserCreated, UserRead, UserUpdate
from pembina.kit.versioning import Expected

router = api_router(prefix="/users", tags=["users"])


@router.get("", operation_id="users-list", summary="List user accounts in your region", response_model=Page[UserRead])
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
    response_model=UserCreated, responses=responses(409),
)
def create_user(session: DbSession, principal: CurrentPrincipal, body: UserCreate) -> UserCreated:
    created = service.create(session, principal, body)
    if created.generated_password:
        reveals_secret()  # shown once: never kept for an Idempotency-Key replay
    return created


@router.get("/{user_id}", operation_id="users-get", summary="Get a user account", response_model=UserRead)
def get_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId) -> UserRead:
    return service.to_read(service.get(session, principal, user_id), principal)


@router.patch(
    "/{user_id}", operation_id="users-update", summary="Update a user account (needs If-Match)",
    response_model=UserRead, responses=responses(409),
)
def update_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId, body: UserUpdate, expected: Expected) -> UserRead:
    return service.to_read(service.update(session, principal, user_id, body, expected), principal)


@router.delete(
    "/{user_id}", operation_id="users-delete", summary="Delete a user account",
    status_code=status.HTTP_204_NO_CONTENT,
)
def delete_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId) -> None:
    service.delete(session, principal, user_id)
