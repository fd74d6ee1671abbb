"""API clients (OAuth2 client_credentials) for third-party systems, bound to a region."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient
from pembina.api_clients.schemas import ApiClientCreate, ApiClientRead, ApiClientUpdate, ApiClientWithSecret
from pembina.auth.security import hash_secret
from pembina.auth.service import end_sessions
from pembina.kit.errors import Forbidden, OutOfScope, ValidationProblem
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.repository import get_scoped, scoped_select
from pembina.regions import service as regions
from pembina.kit.scope import Principal
from pembina.kit.versioning import ExpectedVersion

SORTS = {"name": ApiClient.name, "created_at": ApiClient.created_at, "region_code": ApiClient.region_code}


def to_read(c: ApiClient) -> ApiClientRead:
    return ApiClientRead.model_validate(c)


def _ensure_manager(principal: Principal) -> None:
    if not principal.can_manage_accounts:
        raise Forbidden("Your role cannot manage API clients.")


def get(session: Session, principal: Principal, client_pk: int) -> ApiClient:
    return get_scoped(session, principal, ApiClient, client_pk, "API client")


def list_clients(session: Session, principal: Principal, params: PageParams, *, region: str | None, active: bool | None) -> Page[ApiClientRead]:
    stmt = scoped_select(select(ApiClient), ApiClient.region_code, principal, region)
    if active is not None:
        stmt = stmt.where(ApiClient.is_active == active)
    stmt = apply_sort(stmt, params.sort, SORTS, default=[ApiClient.name], tiebreak=ApiClient.id)
    return paginate(session, stmt, params, to_read)


def create(session: Session, principal: Principal, data: ApiClientCreate) -> ApiClientWithSecret:
    _ensure_manager(principal)
    region_code = data.region_code if "region_code" in data.model_fields_set else principal.region_code
    if region_code is None:
        if not principal.is_national:
            raise OutOfScope("Only national accounts may create national API clients.")
    else:
        regions.require_existing(session, region_code)
        principal.ensure_region(region_code)
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id="pmb_" + secrets.token_hex(12), name=data.name, secret_hash=hash_secret(secret), scope=data.scope.value,
        region_code=region_code, is_active=True, created_by_user_id=principal.id if principal.kind == "user" else None,
    )
    session.add(client)
    session.flush()
    return ApiClientWithSecret(**to_read(client).model_dump(), client_secret=secret)


def update(session: Session, principal: Principal, client_pk: int, data: ApiClientUpdate, expected: ExpectedVersion) -> ApiClient:
    _ensure_manager(principal)
    client = get(session, principal, client_pk)
    expected.check(client.version, lambda: to_read(client).model_dump(mode="json"))
    changes = data.model_dump(exclude_unset=True)
    if changes.get("is_active") is False and client.is_active:
        end_sessions(client)
    for key, value in changes.items():
        if value is None:
            raise ValidationProblem(f"{key} cannot be null.", loc=["body", key])
        setattr(client, key, value.value if key == "scope" else value)
    session.flush()
    return client


def rotate_secret(session: Session, principal: Principal, client_pk: int) -> ApiClientWithSecret:
    _ensure_manager(principal)
    client = get(session, principal, client_pk)
    secret = secrets.token_urlsafe(32)
    client.secret_hash = hash_secret(secret)
    end_sessions(client)
    session.flush()
    return ApiClientWithSecret(**to_read(client).model_dump(), client_secret=secret)


def delete(session: Session, principal: Principal, client_pk: int) -> None:
    _ensure_manager(principal)
    client = get(session, principal, client_pk)
    session.delete(client)
    session.flush()
