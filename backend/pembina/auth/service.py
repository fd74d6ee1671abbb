"""Logins: people with username/password, systems with client id/secret."""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient, ApiClientUsage
from pembina.auth import passwords, policy
from pembina.auth.models import Credential
from pembina.auth.ratelimit import LoginThrottle
from pembina.auth.security import hash_secret, issue_token, needs_rehash, verify_secret
from pembina.kit.db import utcnow
from pembina.kit.errors import InvalidCredentials, InvalidScope, ValidationProblem
from pembina.kit.reads import read
from pembina.auth.schemas import Me, TokenResponse
from pembina.regions.models import Region
from pembina.regions.schemas import RegionRef
from pembina.kit.scope import Principal
from pembina.kit.scopes import Scope, dump, legacy_name, parse
from pembina.users.models import User


def _token_for(subject: str, generation: int, scopes: str | None = None) -> TokenResponse:
    token, claims = issue_token(subject, generation=generation, scopes=scopes)
    return TokenResponse(access_token=token, expires_in=int((claims.expires_at - claims.issued_at).total_seconds()), scope=scopes)


def _token_scopes(granted: str, requested: str | None) -> str:
    """What a client's token carries: all it was granted, or the subset it asked for (OAuth2
    `scope`); a scope it was not granted, or that does not exist, is an `invalid_scope` 400."""
    have = frozenset(granted.split())
    if requested is None or not requested.strip():
        return dump(have)
    try:
        asked = parse(requested)
    except ValueError as e:
        raise InvalidScope(f"Unknown scope: {e}.", f"Scope tidak dikenal: {e}.", error="invalid_scope") from None
    beyond = sorted(s.value for s in asked if s.value not in have)
    if beyond:
        names = " ".join(beyond)
        raise InvalidScope(
            f"This client was not granted: {names}.", f"Client ini tidak diberi scope: {names}.", error="invalid_scope", scope=names
        )
    return dump(asked)


def _read_and_release(session: Session, stmt: Any) -> Any:
    """Run a read in a transaction of its own and end it before any password is hashed: on
    SQLite a plain BEGIN (not the writers' BEGIN IMMEDIATE, whose write lock would stall every
    other write for the ~25 ms of Argon2), and on both databases no pooled connection is held
    while Argon2 runs. The login's own write (last_login_at) is a short transaction after."""
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "BEGIN"})
    row = session.scalar(stmt)
    session.commit()
    return row


def login_user(session: Session, throttle: LoginThrottle, username: str, password: str, address: str) -> tuple[User, TokenResponse]:
    username = username.strip().lower()
    throttle.attempt(username, address)  # before any password is checked
    user = _read_and_release(session, select(User).where(User.username == username))
    ok = verify_secret(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        raise InvalidCredentials(
            "Wrong username or password, or the account is inactive.",
            "Nama pengguna atau kata sandi salah, atau akun tidak aktif.",
            error="invalid_grant",
        )
    throttle.succeeded(username)
    session.info.setdefault("actor", f"user:{user.id}")
    values: dict[str, Any] = {"last_login_at": utcnow(), "updated_at": User.updated_at}
    stmt = update(User).where(User.id == user.id)
    if needs_rehash(user.password_hash):
        # only if the password did not change meanwhile
        session.execute(
            update(User).where(User.id == user.id, User.password_hash == user.password_hash).values(password_hash=hash_secret(password))
        )
    # A plain UPDATE: no version bump (a login is not an edit that should void an admin's If-Match).
    session.execute(stmt.values(**values), execution_options={"synchronize_session": False})
    return user, _token_for(f"user:{user.id}", user.token_generation)


def login_client(
    session: Session, throttle: LoginThrottle, client_id: str, secret: str, address: str, requested: str | None = None
) -> TokenResponse:
    throttle.attempt(f"client:{client_id}", address)
    client = _read_and_release(session, select(ApiClient).where(ApiClient.client_id == client_id))
    ok = verify_secret(client.secret_hash if client else None, secret)
    if not ok or client is None or not client.is_active:
        raise InvalidCredentials(
            "Wrong client id or secret, or the client is inactive.",
            "Client id atau secret salah, atau client tidak aktif.",
            error="invalid_client",
        )
    throttle.succeeded(f"client:{client_id}")
    scopes = _token_scopes(client.scopes, requested)
    session.info.setdefault("actor", f"client:{client.id}")
    _note_use(session, client.id)
    return _token_for(f"client:{client.id}", client.token_generation, scopes)


def _note_use(session: Session, client_pk: int) -> None:
    """Record when the client got a token, in `api_client_usage` (an upsert, not an edit of the
    client: no version bump, audit event or change-feed entry). Selected from the client's row,
    so a client deleted since its secret was checked is not recorded."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    select_client = select(ApiClient.id, literal(now, ApiClientUsage.last_used_at.type)).where(ApiClient.id == client_pk)
    stmt = insert(ApiClientUsage).from_select(["api_client_id", "last_used_at"], select_client)
    session.execute(stmt.on_conflict_do_update(index_elements=["api_client_id"], set_={"last_used_at": stmt.excluded.last_used_at}))


def me(session: Session, principal: Principal) -> Me:
    region = None
    if principal.region_code:
        r = session.get(Region, principal.region_code)
        if r is not None:
            region = read(RegionRef, r)
    username = None
    if principal.kind == "user":
        u = session.get(User, principal.id)
        username = u.username if u else None
    return Me(
        kind=principal.kind,
        id=principal.id,
        name=principal.name,
        username=username,
        role=principal.role,
        client_scope=legacy_name(principal.scopes) if principal.scopes is not None else None,
        scopes=[x for x in Scope if x.value in principal.scopes] if principal.scopes is not None else None,
        region=region,
        can_write=principal.can_write,
        can_manage_accounts=principal.can_manage_accounts,
        allowed_actions=policy.allowed_actions(principal, policy.region(principal.region_code)),
    )


def end_sessions(account: Credential) -> None:
    """End every token issued so far for this account (they carry the old generation)."""
    account.token_generation = (account.token_generation or 1) + 1


def change_password(session: Session, principal: Principal, throttle: LoginThrottle, address: str, current: str, new: str) -> TokenResponse:
    """Change the caller's password; every earlier token of the account stops working. Returns
    a fresh token for the caller's own session (the dashboard's cookie is re-issued with it)."""
    if principal.kind != "user":
        raise ValidationProblem(
            "API clients have no password; rotate the secret instead.", "API client tidak memiliki kata sandi; putar ulang secret-nya."
        )
    user = _read_and_release(session, select(User).where(User.id == principal.id))
    if user is None:
        raise InvalidCredentials("The account no longer exists.", "Akun sudah tidak ada.")
    throttle.attempt(f"password:{user.id}", address)
    if not verify_secret(user.password_hash, current):
        raise ValidationProblem("The current password is wrong.", "Kata sandi saat ini salah.", loc=["body", "current_password"])
    throttle.succeeded(f"password:{user.id}")
    passwords.check(new, user.username)
    new_hash = hash_secret(new)
    user = session.get(User, principal.id, with_for_update=True)
    if user is None:
        raise InvalidCredentials("The account no longer exists.", "Akun sudah tidak ada.")
    user.password_hash = new_hash
    end_sessions(user)
    session.flush()
    return _token_for(f"user:{user.id}", user.token_generation)


def logout_everywhere(session: Session, principal: Principal) -> None:
    account: User | ApiClient | None = session.get(User, principal.id) if principal.kind == "user" else session.get(ApiClient, principal.id)
    if account is None:
        raise InvalidCredentials("The account no longer exists.", "Akun sudah tidak ada.")
    end_sessions(account)
    session.flush()
