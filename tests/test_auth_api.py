"""Logins, tokens, the browser session cookie, throttling."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from jose import jwt

from pembina.kit.roles import ClientScope, Role
from pembina.auth.security import issue_token


def test_password_login_and_me(client, accounts):
    acc = accounts.user(Role.regency_coordinator, "33.75", username="eni")
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "eni", "password": acc.password})
    assert r.status_code == 200
    tok = r.json()
    assert tok["token_type"] == "bearer" and tok["expires_in"] == 30 * 60
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tok['access_token']}"}).json()
    assert me["username"] == "eni"
    assert me["role"] == "regency_coordinator"
    assert me["region"] == {"code": "33.75", "name": "Kota Pekalongan", "level": "regency"}
    assert me["can_write"] and me["can_manage_accounts"]


def test_wrong_password_and_unknown_user_look_the_same(client, accounts):
    accounts.user(Role.viewer, "33.75", username="viewer1")
    a = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "viewer1", "password": "nope-nope-nope"})
    b = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "ghost", "password": "nope-nope-nope"})
    assert a.status_code == b.status_code == 401
    assert a.json()["detail"] == b.json()["detail"]
    assert a.json()["error"] == "invalid_grant"
    assert a.headers["content-type"] == "application/problem+json"


def test_inactive_user_cannot_log_in_nor_use_old_token(client, accounts):
    acc = accounts.user(Role.viewer, "33.75", username="gone", active=False)
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "gone", "password": acc.password})
    assert r.status_code == 401
    assert client.get("/api/v1/auth/me", headers=acc.headers).status_code == 401


def test_client_credentials_form_and_basic(client, accounts):
    c = accounts.client("33.75", ClientScope.read)
    r = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": c.username, "client_secret": c.password})
    assert r.status_code == 200
    basic = base64.b64encode(f"{c.username}:{c.password}".encode()).decode()
    r2 = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"})
    assert r2.status_code == 200
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {r2.json()['access_token']}"}).json()
    assert me["kind"] == "client" and me["client_scope"] == "read" and not me["can_write"]
    bad = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": c.username, "client_secret": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"


def test_unsupported_grant_is_422(client):
    r = client.post("/api/v1/auth/token", data={"grant_type": "implicit"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "grant_type"]


def test_login_attempts_are_rate_limited(client, accounts):
    acc = accounts.user(Role.viewer, "33.75", username="target")
    for _ in range(5):
        assert (
            client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "target", "password": "bad-password"}).status_code
            == 401
        )
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "target", "password": acc.password})
    assert r.status_code == 429
    assert r.json()["type"] == "/problems/rate-limited"
    assert int(r.headers["Retry-After"]) >= 1


def test_browser_session_cookie(client, accounts):
    acc = accounts.user(Role.regency_coordinator, "33.75", username="browser")
    r = client.post("/api/v1/auth/session", json={"username": "browser", "password": acc.password})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/api" in cookie
    assert "access_token" not in r.json()  # the token never reaches script
    assert client.get("/api/v1/auth/me").json()["username"] == "browser"
    assert client.delete("/api/v1/auth/session").status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_change_password(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008", username="klego")
    bad = client.post(
        "/api/v1/auth/me/password", json={"current_password": "wrong", "new_password": "a-new-password-1"}, headers=acc.headers
    )
    assert bad.status_code == 422
    ok = client.post(
        "/api/v1/auth/me/password", json={"current_password": acc.password, "new_password": "a-new-password-1"}, headers=acc.headers
    )
    assert ok.status_code == 204
    assert (
        client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "klego", "password": "a-new-password-1"}).status_code
        == 200
    )


def _forge(payload, key="test", alg="HS256"):
    return jwt.encode(payload, key, algorithm=alg)


def test_jwt_negatives_are_refused(client, accounts):
    from pembina.config import get_settings

    acc = accounts.user(Role.viewer, "33.75")
    s = get_settings()
    now = datetime.now(UTC)
    base = {
        "sub": f"user:{acc.id}",
        "aud": s.jwt_audience,
        "iss": s.jwt_issuer,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }
    expired, _ = issue_token(f"user:{acc.id}", minutes=-1)
    header_none = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(jwt.get_unverified_claims(acc.token).__repr__().encode()).rstrip(b"=").decode()
    valid = acc.token
    tampered = valid[:-4] + ("AAAA" if not valid.endswith("AAAA") else "BBBB")
    cases = {
        "expired": expired,
        "wrong audience": _forge({**base, "aud": "someone-else"}, s.signing_secret()),
        "wrong issuer": _forge({**base, "iss": "evil"}, s.signing_secret()),
        "wrong key": _forge(base, "not-the-secret"),
        "alg none": f"{header_none}.{body}.",
        "tampered": tampered,
        "HS512": _forge(base, s.signing_secret(), "HS512"),
        "garbage": "not.a.jwt",
    }
    for name, token in cases.items():
        r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, name
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {valid}"}).status_code == 200
