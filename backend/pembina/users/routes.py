from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

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


@router.get('', operation_id='users-list')
def list_users(session: DbSession, principal: CurrentPrincipal, params: Paging, filters: Annotated[UserFilters, Query()]) -> Page[UserRead]:
    """List user accounts in your region"""
    return service.list_users(session, principal, params, filters)


@router.post('', operation_id='users-create', status_code=status.HTTP_201_CREATED, responses=responses(409))
def create_user(session: DbSession, principal: CurrentPrincipal, body: UserCreate) -> UserCreated:
    """Create a user account"""
    created = service.create(session, principal, body)
    if created.generated_password:
        reveals_secret()  # shown once: never kept for an Idempotency-Key replay
    return created


@router.get('/{user_id}', operation_id='users-get')
def get_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId) -> UserRead:
    """Get a user account"""
    return service.to_read(service.get(session, principal, user_id), principal)


@router.patch('/{user_id}', operation_id='users-update', responses=responses(409))
def update_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId, body: UserUpdate, expected: Expected) -> UserRead:
    """Update a user account (needs If-Match)"""
    return service.to_read(service.update(session, principal, user_id, body, expected), principal)


@router.delete('/{user_id}', operation_id='users-delete', status_code=status.HTTP_204_NO_CONTENT)
def delete_user(session: DbSession, principal: CurrentPrincipal, user_id: RecordId) -> None:
    """Delete a user account"""
    service.delete(session, principal, user_id)
