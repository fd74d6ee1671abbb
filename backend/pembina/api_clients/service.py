"""API clients (OAuth2 client_credentials) for third-party systems, bound to a region."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.repository import where_equal
from pembina.api_clients.schemas import ApiClientFilters
from pembina.api_clients.models import ApiClient
from pembina.api_clients.schemas import ApiClientCreate, ApiClientRead, ApiClientUpdate, ApiClientWithSecret
from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.auth.security import hash_secret
from pembina.auth.service import end_sessions
from pembina.kit.errors import ValidationProblem
from pembina.kit.patch import columns
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.repository import get_scoped, scoped_select
from pembina.regions import service as regions
from pembina.kit.roles import ClientScope
from pembina.kit.scope import Principal
from pembina.kit.scopes import DOMAIN_READ, LEGACY, Scope, dump, legacy_name
from pembina.kit.versioning import ExpectedVersion

SORTS = {"name": ApiClient.name, "created_at": ApiClient.created_at, "region_code": ApiClient.region_code}


def _scopes(c: ApiClient) -> dict[str, object]:
    granted = c.scope_set
    return {"scopes": [s for s in Scope if s.value in granted], "scope": legacy_name(granted)}


def to_read(c: ApiClient, principal: Principal) -> ApiClientRead:
    return policy.read(ApiClientRead, principal, c, **_scopes(c))


def _granted(scopes: list[Scope] | None, legacy: ClientScope | str | None, *, default: frozenset[Scope] | None) -> str | None:
    """The stored form of a body's `scopes` or deprecated `scope` (one of them; None: neither given)."""
    if scopes is not None and legacy is not None:
        raise ValidationProblem(
            "Give `scopes` or the deprecated `scope`, not both.",
            "Isi `scopes` atau `scope` (usang), jangan keduanya.",
            loc=["body", "scope"],
        )
    if scopes is not None:
        return dump(scopes)
    if legacy is not None:
        return dump(LEGACY[ClientScope(legacy).value])
    return dump(default) if default is not None else None


def get(session: Session, principal: Principal, client_pk: int) -> ApiClient:
    return get_scoped(session, principal, ApiClient, client_pk, tr("API client", "API client"))


def list_clients(session: Session, principal: Principal, params: PageParams, filters: ApiClientFilters) -> Page[ApiClientRead]:
    stmt = scoped_select(select(ApiClient), ApiClient.region_code, principal, filters.region)
    stmt = where_equal(stmt, (ApiClient.is_active, filters.active))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[ApiClient.name], tiebreak=ApiClient.id)
    return paginate(session, stmt, params, lambda c: to_read(c, principal))


def create(session: Session, principal: Principal, data: ApiClientCreate) -> ApiClientWithSecret:
    policy.require_role(principal, Action.create_api_client, Kind.region)
    region_code = data.region_code if "region_code" in data.model_fields_set else principal.region_code
    if region_code is not None:
        regions.require_existing(session, region_code)
    policy.require(principal, Action.create_api_client, policy.region(region_code))
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        **columns(data, "region_code", "scopes", "scope"),
        scopes=_granted(data.scopes, data.model_dump()["scope"], default=DOMAIN_READ),
        region_code=region_code,
        client_id="pmb_" + secrets.token_hex(12),
        secret_hash=hash_secret(secret),
        is_active=True,
        created_by_user_id=principal.id if principal.kind == "user" else None,
    )
    session.add(client)
    session.flush()
    return policy.read(ApiClientWithSecret, principal, client, client_secret=secret, **_scopes(client))


def update(session: Session, principal: Principal, client_pk: int, data: ApiClientUpdate, expected: ExpectedVersion) -> ApiClient:
    policy.require_role(principal, Action.update, Kind.api_client)
    client = get(session, principal, client_pk)
    expected.check(client.version, lambda: to_read(client, principal))
    policy.require(principal, Action.update, client)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None:
            raise ValidationProblem(f"{key} cannot be null.", f"{key} tidak boleh null.", loc=["body", key])
    granted = _granted(changes.get("scopes"), changes.get("scope"), default=None)
    if granted is not None and granted != client.scopes:
        client.scopes = granted
        end_sessions(client)  # a token never carries more than the grant: narrowed or widened, tokens are issued anew
    changes.pop("scopes", None)
    changes.pop("scope", None)
    if changes.get("is_active") is False and client.is_active:
        end_sessions(client)
    for key, value in changes.items():
        setattr(client, key, value)
    session.flush()
    return client


def rotate_secret(session: Session, principal: Principal, client_pk: int) -> ApiClientWithSecret:
    policy.require_role(principal, Action.rotate_secret, Kind.api_client)
    client = get(session, principal, client_pk)
    policy.require(principal, Action.rotate_secret, client)
    secret = secrets.token_urlsafe(32)
    client.secret_hash = hash_secret(secret)
    end_sessions(client)
    session.flush()
    return policy.read(ApiClientWithSecret, principal, client, client_secret=secret, **_scopes(client))


def delete(session: Session, principal: Principal, client_pk: int) -> None:
    policy.require_role(principal, Action.delete, Kind.api_client)
    client = get(session, principal, client_pk)
    policy.require(principal, Action.delete, client)
    session.delete(client)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(ApiClient, ApiClientRead, feed.each(to_read))
