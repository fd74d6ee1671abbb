"""The one auth dependency. Mounted on the whole protected API router, so no route can
skip it; it puts the caller (a `Principal`) on the request's DB session for auditing."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.openapi.models import OAuth2 as OAuth2Model
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import APIKeyCookie, OAuth2PasswordBearer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient
from pembina.kit.roles import Role
from pembina.auth.security import InvalidToken, decode_token
from pembina.config import get_settings
from pembina.kit.db import get_session
from pembina.kit.errors import Unauthenticated
from pembina.kit.scope import Principal
from pembina.kit.scopes import DESCRIPTIONS
from pembina.users.models import User
from pembina.websec import check_same_origin

DbSession = Annotated[Session, Depends(get_session, scope="function")]

TOKEN_URL = "/api/v1/auth/token"


class OAuth2Bearer(OAuth2PasswordBearer):
    """The bearer token of either OAuth2 flow that the token endpoint serves: people's `password`
    and integrators' `clientCredentials`, declared as the two flows of one scheme. It keeps the
    name the contract has always given it (`OAuth2PasswordBearer`), which every operation's
    `security` names."""

    def __init__(self, token_url: str, *, description: str) -> None:
        super().__init__(tokenUrl=token_url, scheme_name="OAuth2PasswordBearer", auto_error=False, description=description)
        flows = OAuthFlows(
            password=OAuthFlowPassword(tokenUrl=token_url, scopes={}),
            clientCredentials=OAuthFlowClientCredentials(tokenUrl=token_url, scopes=DESCRIPTIONS),
        )
        self.model = OAuth2Model(flows=flows, description=description)


bearer = OAuth2Bearer(TOKEN_URL, description="OAuth2 password flow for people; integrators use client_credentials at the same URL.")
cookie = APIKeyCookie(
    name=get_settings().cookie_name,
    auto_error=False,
    description="HttpOnly session cookie set by POST /api/v1/auth/session (the dashboard).",
)


#: Who a token's subject is, read on every request: constant statements of just the columns a
#: Principal needs (no ORM identity work; PostgreSQL prepares them after a few runs).
_USER = select(User.id, User.full_name, User.role, User.region_code, User.token_generation).where(
    User.id == bindparam("id"), User.is_active.is_(True)
)
_CLIENT = select(ApiClient.id, ApiClient.name, ApiClient.region_code, ApiClient.scopes, ApiClient.token_generation).where(
    ApiClient.id == bindparam("id"), ApiClient.is_active.is_(True)
)


def principal_for_subject(session: Session, subject: str, generation: int | None = None, scopes: str | None = None) -> Principal | None:
    """The active account behind a token's subject ("user:12", "client:3"), or None; with a
    token's credential `generation`, also None when the account's has moved on since. A client's
    scopes are its token's `scopes` (None: all it was granted) within what it is granted now."""
    kind, _, raw_id = subject.partition(":")
    if not raw_id.isdigit():
        return None
    if session.new or session.dirty or session.deleted:
        session.flush()  # Core reads below do not autoflush (a login updates the user first)
    if kind == "user":
        user = session.connection().execute(_USER, {"id": int(raw_id)}).first()
        if user is None or (generation is not None and user.token_generation != generation):
            return None
        return Principal(kind="user", id=user.id, name=user.full_name, role=Role(user.role), region_code=user.region_code)
    if kind == "client":
        client = session.connection().execute(_CLIENT, {"id": int(raw_id)}).first()
        if client is None or (generation is not None and client.token_generation != generation):
            return None
        granted = frozenset(client.scopes.split())
        carried = granted if scopes is None else granted & frozenset(scopes.split())
        return Principal(kind="client", id=client.id, name=client.name, role=None, region_code=client.region_code, scopes=carried)
    return None


def get_principal(
    request: Request,
    session: DbSession,
    token: Annotated[str | None, Depends(bearer)],
    cookie_token: Annotated[str | None, Depends(cookie)],
) -> Principal:
    raw = token or cookie_token
    if not token and cookie_token:
        check_same_origin(request)  # the cookie is sent by the browser whoever asks: no cross-site writes
    if not raw:
        raise Unauthenticated(
            "Log in: send 'Authorization: Bearer <token>' or the session cookie.",
            "Silakan masuk: kirim 'Authorization: Bearer <token>' atau cookie sesi.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        claims = decode_token(raw)
    except InvalidToken:
        raise Unauthenticated(
            "The access token is invalid or expired.",
            "Token akses tidak valid atau kedaluwarsa.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    principal = principal_for_subject(session, claims.subject, claims.generation, claims.scopes)
    if principal is None:
        raise Unauthenticated(
            "The account behind this token no longer exists, is inactive, or was signed out everywhere (a password change ends every earlier session): log in again.",
            "Akun pemilik token ini sudah tidak ada, tidak aktif, atau telah keluar dari semua sesi (penggantian kata sandi mengakhiri semua sesi sebelumnya): silakan masuk lagi.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    session.info["principal"] = principal
    session.info["request_id"] = request.headers.get("X-Request-ID")
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
