"""Password hashing (Argon2id) and access tokens (JWT via python-jose, algorithm pinned)."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

from pembina.config import get_settings


@lru_cache
def _hasher() -> PasswordHasher:
    s = get_settings()
    return PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib, parallelism=s.argon2_parallelism)


def hash_secret(plain: str) -> str:
    return _hasher().hash(plain)


#: A real hash to verify against when the account does not exist, so that a
#: missing username costs the same time as a wrong password.
@lru_cache
def _dummy_hash() -> str:
    return hash_secret(secrets.token_urlsafe(16))


def verify_secret(hashed: str | None, plain: str) -> bool:
    try:
        return _hasher().verify(hashed or _dummy_hash(), plain) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    return _hasher().check_needs_rehash(hashed)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


#: The credential generation of a new account (users/api_clients.token_generation).
FIRST_GENERATION = 1
#: How far in the future a token's "iat" may be (clock skew between servers).
IAT_LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class TokenClaims:
    subject: str  # "user:12" or "client:3"
    token_id: str
    issued_at: datetime
    expires_at: datetime
    #: The account's credential generation when the token was issued ("gen"): a password
    #: change, reset, secret rotation, deactivation or "log out everywhere" bumps the account's,
    #: and every token carrying an older one is refused.
    generation: int = FIRST_GENERATION
    #: An API client's token: the scopes it carries ("scope", space-separated), within the
    #: client's grant at issue time; the grant at use time bounds them again. None: a person's.
    scopes: str | None = None


def issue_token(
    subject: str, *, generation: int = FIRST_GENERATION, minutes: int | None = None, now: datetime | None = None, scopes: str | None = None
) -> tuple[str, TokenClaims]:
    s = get_settings()
    now = now or datetime.now(UTC)
    exp = now + timedelta(minutes=minutes if minutes is not None else s.access_token_minutes)
    claims = TokenClaims(subject=subject, token_id=uuid.uuid4().hex, issued_at=now, expires_at=exp, generation=generation, scopes=scopes)
    payload: dict[str, Any] = {
        "gen": generation,
        "sub": subject,
        "aud": s.jwt_audience,
        "iss": s.jwt_issuer,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(exp.timestamp()),
        "jti": claims.token_id,
    }
    if scopes is not None:
        payload["scope"] = scopes
    return jwt.encode(payload, s.signing_secret(), algorithm=s.jwt_algorithm), claims


class InvalidToken(Exception):
    pass


def decode_token(token: str) -> TokenClaims:
    """Verify signature (only the configured algorithm), exp, iat (not in the future beyond
    IAT_LEEWAY_SECONDS), nbf, aud, iss and the credential generation's presence."""
    s = get_settings()
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != s.jwt_algorithm:
            raise InvalidToken("unexpected algorithm")
        payload = jwt.decode(
            token,
            s.signing_secret(),
            algorithms=[s.jwt_algorithm],
            audience=s.jwt_audience,
            issuer=s.jwt_issuer,
            options={"require_exp": True, "require_iat": True, "require_sub": True, "require_aud": True},
        )
    except JWTError as e:
        raise InvalidToken(str(e)) from e
    sub = payload.get("sub")
    if not isinstance(sub, str) or ":" not in sub:
        raise InvalidToken("bad subject")
    gen, iat = payload.get("gen"), payload.get("iat")
    if type(gen) is not int or type(iat) is not int:
        raise InvalidToken("missing credential generation or issue time")
    if iat > time.time() + IAT_LEEWAY_SECONDS:
        raise InvalidToken("issued in the future")
    scope = payload.get("scope")
    if scope is not None and not isinstance(scope, str):
        raise InvalidToken("malformed scope")
    return TokenClaims(
        subject=sub,
        token_id=str(payload.get("jti", "")),
        issued_at=datetime.fromtimestamp(iat, UTC),
        expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
        generation=gen,
        scopes=scope,
    )
