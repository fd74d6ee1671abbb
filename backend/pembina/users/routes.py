from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.users.schemas import UserFilters
from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import reveals_secret
from pembina.kit.params import RecordId
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.users import service
from pembina.users.schemas import UserCreate, UserCreated, UserRead, UserUpdate
from pembina.kit.versioning import Expected

router = api_router(prefix="/users", tags=["users"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="users-list")
def list_users(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[UserFilters, Query()]) -> Page[UserRead]:
    """List user accounts in your region"""
    return service.list_users(db, me, params, filters)


@router.post("", operation_id="users-create", status_code=201, responses=responses(409))
def create_user(db: DbSession, me: CurrentPrincipal, body: UserCreate) -> UserCreated:
    """Create a user account"""
    created = service.create(db, me, body)
    if created.generated_password:
        reveals_secret()  # shown once: never kept for an Idempotency-Key replay
    return created


@router.get("/{user_id}", operation_id="users-get")
def get_user(db: DbSession, me: CurrentPrincipal, user_id: RecordId) -> UserRead:
    """Get a user account"""
    return service.to_read(service.get(db, me, user_id), me)


@router.patch("/{user_id}", operation_id="users-update", responses=responses(409))
def update_user(db: DbSession, me: CurrentPrincipal, user_id: RecordId, body: UserUpdate, expected: Expected) -> UserRead:
    """Update a user account (needs If-Match)"""
    return service.to_read(service.update(db, me, user_id, body, expected), me)


@router.delete("/{user_id}", operation_id="users-delete", status_code=204)
def delete_user(db: DbSession, me: CurrentPrincipal, user_id: RecordId) -> None:
    """Delete a user account"""
    service.delete(db, me, user_id)
