from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import Form, Request, Response

from pembina.kit.i18n import describe_pattern
from pembina.kit.routing import api_router
from pembina.auth import service
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.auth.ratelimit import LoginThrottle
from pembina.auth.schemas import Me, PasswordChange, SessionLogin, TokenResponse
from pembina.config import get_settings
from pembina.kit.errors import BadRequest, ValidationProblem, responses
from pembina.auth.deps import principal_for_subject

GRANT_PATTERN = describe_pattern("^(password|client_credentials)$", "password or client_credentials", "password atau client_credentials")

public = api_router(prefix="/auth", tags=["auth"])
protected = api_router(prefix="/auth", tags=["auth"])


def _throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise BadRequest("Malformed Basic authorization header.", "Header otorisasi Basic tidak valid.", error="invalid_request") from None
    cid, sep, secret = raw.partition(":")
    if not sep:
        raise BadRequest("Malformed Basic authorization header.", "Header otorisasi Basic tidak valid.", error="invalid_request")
    return cid, secret


@public.post("/token", operation_id="auth-token", responses=responses(400, 401, 429))
def token(
    request: Request,
    db: DbSession,
    grant_type: Annotated[str, Form(pattern=GRANT_PATTERN)],
    username: Annotated[str | None, Form(max_length=64)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    client_id: Annotated[str | None, Form(max_length=64)] = None,
    client_secret: Annotated[str | None, Form(max_length=256)] = None,
    scope: Annotated[str | None, Form(max_length=256)] = None,
) -> TokenResponse:
    """Get an access token (OAuth2 password or client_credentials)

    People: `grant_type=password` with `username` and `password`. Integrators: `grant_type=client_credentials` with
    `client_id` and `client_secret` (form fields or HTTP Basic), and optionally `scope`: the space-separated subset
    of the client's granted scopes the token should carry (default: all of them; one not granted is a 400
    `invalid_scope`). Returns a short-lived JWT to send as `Authorization: Bearer …`. Failed attempts are
    rate-limited.
    """
    if grant_type == "password":
        if not username or not password:
            raise ValidationProblem(
                "username and password are required for grant_type=password.",
                "username dan password wajib untuk grant_type=password.",
                loc=["body", "username"],
            )
        _, tok = service.login_user(db, _throttle(request), username, password, _address(request))
        return tok
    basic = _basic_credentials(request)
    if basic:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise ValidationProblem(
            "client_id and client_secret are required for grant_type=client_credentials.",
            "client_id dan client_secret wajib untuk grant_type=client_credentials.",
            loc=["body", "client_id"],
        )
    return service.login_client(db, _throttle(request), client_id, client_secret, _address(request), scope)


@public.post("/session", operation_id="auth-session-create", responses=responses(401, 429))
def session_create(request: Request, response: Response, db: DbSession, body: SessionLogin) -> Me:
    """Log in the dashboard (sets an HttpOnly session cookie)

    For the browser: the token is kept in an HttpOnly, SameSite=Strict cookie, never in script-readable storage.
    """
    user, tok = service.login_user(db, _throttle(request), body.username, body.password, _address(request))
    _set_cookie(response, tok)

    me = principal_for_subject(db, f"user:{user.id}")
    assert me is not None
    return service.me(db, me)


@public.delete("/session", operation_id="auth-session-delete", status_code=204)
def session_delete(response: Response) -> Response:
    """Log out the dashboard (clears the session cookie)"""
    response = Response(status_code=204)
    _clear_cookie(response)
    return response


@protected.get("/me", operation_id="auth-me")
def current_account(db: DbSession, me: CurrentPrincipal) -> Me:
    """Who am I: account, role and region"""
    return service.me(db, me)


def _set_cookie(response: Response, tok: TokenResponse) -> None:
    s = get_settings()
    response.set_cookie(
        s.cookie_name, tok.access_token, max_age=tok.expires_in, httponly=True, secure=s.cookie_secure, samesite="strict", path="/api"
    )


def _clear_cookie(response: Response) -> None:
    s = get_settings()
    response.delete_cookie(s.cookie_name, path="/api", httponly=True, samesite="strict", secure=s.cookie_secure)


def _cookie_session(request: Request) -> bool:
    """The caller authenticated with the dashboard's cookie (no bearer token)."""
    return not request.headers.get("Authorization") and bool(request.cookies.get(get_settings().cookie_name))


@protected.post("/me/password", operation_id="auth-password-change", status_code=204, responses=responses(429))
def change_password(request: Request, db: DbSession, me: CurrentPrincipal, body: PasswordChange) -> Response:
    """Change my password (ends every other session)

    Every token issued before for this account stops working at once. A dashboard session (cookie) gets a new cookie
    and stays logged in; a bearer-token caller must get a new token. Attempts are rate-limited like logins.
    """
    tok = service.change_password(db, me, _throttle(request), _address(request), body.current_password, body.new_password)
    response = Response(status_code=204)
    if _cookie_session(request):
        _set_cookie(response, tok)
    return response


@protected.post("/me/sessions/revoke", operation_id="auth-logout-all", status_code=204)
def logout_all(db: DbSession, me: CurrentPrincipal) -> Response:
    """Log out everywhere

    Ends every token and dashboard session of this account at once, this one included.
    """
    service.logout_everywhere(db, me)
    response = Response(status_code=204)
    _clear_cookie(response)
    return response
