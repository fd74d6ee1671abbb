"""Logins: people with username/password, systems with client id/secret."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient
from pembina.auth.ratelimit import LoginThrottle
from pembina.auth.security import hash_secret, issue_token, needs_rehash, verify_secret
from pembina.config import get_settings
from pembina.db import utcnow
from pembina.errors import InvalidCredentials, ValidationProblem
from pembina.auth.schemas import Me, TokenResponse
from pembina.regions.models import Region
from pembina.regions.schemas import LEVEL_NAME, RegionRef
from pembina.scope import Principal
from pembina.users.models import User


def _token_for(subject: str) -> TokenResponse:
    token, claims = issue_token(subject)
    return TokenResponse(access_token=token, expires_in=int((claims.expires_at - claims.issued_at).total_seconds()))


def login_user(session: Session, throttle: LoginThrottle, username: str, password: str, address: str) -> tuple[User, TokenResponse]:
    username = username.strip().lower()
    throttle.check(username, address)
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_secret(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.failed(username, address)
        raise InvalidCredentials("Wrong username or password, or the account is inactive.", error="invalid_grant")
    session.info.setdefault("actor", f"user:{user.id}")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_secret(password)
    user.last_login_at = utcnow()
    return user, _token_for(f"user:{user.id}")


def login_client(session: Session, throttle: LoginThrottle, client_id: str, secret: str, address: str) -> TokenResponse:
    throttle.check(f"client:{client_id}", address)
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    ok = verify_secret(client.secret_hash if client else None, secret)
    if not ok or client is None or not client.is_active:
        throttle.failed(f"client:{client_id}", address)
        raise InvalidCredentials("Wrong client id or secret, or the client is inactive.", error="invalid_client")
    session.info.setdefault("actor", f"client:{client.id}")
    client.last_used_at = utcnow()
    return _token_for(f"client:{client.id}")


def me(session: Session, principal: Principal) -> Me:
    region = None
    if principal.region_code:
        r = session.get(Region, principal.region_code)
        if r is not None:
            region = RegionRef(code=r.code, name=r.name, level=LEVEL_NAME[r.level])
    username = None
    if principal.kind == "user":
        u = session.get(User, principal.id)
        username = u.username if u else None
    return Me(
        kind=principal.kind, id=principal.id, name=principal.name, username=username, role=principal.role,
        client_scope=principal.client_scope, region=region, can_write=principal.can_write,
        can_manage_accounts=principal.can_manage_accounts,
    )


def change_password(session: Session, principal: Principal, current: str, new: str) -> None:
    if principal.kind != "user":
        raise ValidationProblem("API clients have no password; rotate the secret instead.")
    user = session.get(User, principal.id)
    assert user is not None
    if not verify_secret(user.password_hash, current):
        raise ValidationProblem("The current password is wrong.", loc=["body", "current_password"])
    user.password_hash = hash_secret(new)


def cookie_max_age() -> int:
    return get_settings().access_token_minutes * 60
