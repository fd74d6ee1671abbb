"""Item 9: a state-changing request authenticated by the session cookie must come from the
service's own origin; the dashboard and docs carry a Content-Security-Policy and friends."""

from __future__ import annotations

import re

import pytest

from pembina.kit.roles import Role
from pembina.config import Settings

API = "/api/v1"
OWN = "http://testserver"


def _browser(client, accounts):
    coord = accounts.user(Role.regency_coordinator, "33.75", username="browser-coord")
    r = client.post(f"{API}/auth/session", json={"username": "browser-coord", "password": coord.password}, headers={"Origin": OWN})
    assert r.status_code == 200, r.text
    return coord


def _create(client, origin_headers, name):
    username = re.sub(r"\W+", "-", name.lower())
    return client.post(
        f"{API}/users", json={"username": username, "full_name": name, "role": "viewer", "region_code": "33.75"}, headers=origin_headers
    )


def _team_names(client, who):
    return [
        u["full_name"] for u in client.get(f"{API}/users", params={"region": "33.75", "limit": 100}, headers=who.headers).json()["items"]
    ]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Referer": "https://evil.example/attack.html"},
        {},  # neither Origin nor Referer
    ],
)
def test_cookie_write_from_a_foreign_origin_is_refused(client, accounts, headers):
    coord = _browser(client, accounts)
    r = _create(client, headers, "TP Posyandu Palsu")
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json") and r.json()["type"] == "/problems/forbidden"
    assert "TP Posyandu Palsu" not in _team_names(client, coord)
    # reading with the cookie stays possible from anywhere the browser allows
    assert client.get(f"{API}/auth/me", headers=headers).status_code == 200


def test_cookie_write_from_the_own_origin_works_and_bearer_needs_none(client, accounts, app, monkeypatch):
    coord = _browser(client, accounts)
    assert _create(client, {"Origin": OWN}, "TP Posyandu Asli").status_code == 201
    assert _create(client, {"Referer": f"{OWN}/teams/new"}, "TP Posyandu Referer").status_code == 201
    client.cookies.clear()
    bearer = _create(client, {**coord.headers, "Origin": "https://integrator.example"}, "TP Posyandu Integrasi")
    assert bearer.status_code == 201, bearer.text
    assert _create(client, coord.headers, "TP Posyandu Tanpa Origin").status_code == 201


def test_configured_public_origin(client, accounts, monkeypatch):
    from pembina.config import get_settings

    _browser(client, accounts)
    monkeypatch.setattr(get_settings(), "public_origin", "https://pembina.example.go.id, http://localhost:5173")
    assert _create(client, {"Origin": "http://localhost:5173"}, "TP Dev").status_code == 201
    assert _create(client, {"Origin": "https://pembina.example.go.id"}, "TP Prod").status_code == 201
    assert _create(client, {"Origin": OWN}, "TP Host").status_code == 403  # only the configured ones


def _csp(r) -> dict[str, str]:
    return {d.split()[0]: d for d in (x.strip() for x in r.headers["content-security-policy"].split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/teams/12", "/assets/missing.js", "/api/v1/auth/me", "/healthz"])
def test_dashboard_responses_carry_security_headers(client, path):
    r = client.get(path)
    csp = _csp(r)
    assert csp["default-src"] == "default-src 'self'"
    assert csp["script-src"] == "script-src 'self'"  # no inline script
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    # a PDF fetched by the dashboard is shown in place from its own blob: URL, nothing else framed
    assert csp["frame-src"] == "frame-src 'self' blob:"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"]
    assert "strict-transport-security" not in r.headers  # the cookie is not Secure here


def test_docs_keep_working_under_their_policy(client):
    for path in ("/docs", "/redoc"):
        r = client.get(path)
        assert r.status_code == 200
        csp = _csp(r)
        assert "'unsafe-inline'" not in csp["script-src"] and "frame-ancestors 'none'" in csp.values()
        inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
        from pembina.websec import script_hashes

        for h in script_hashes(r.content):
            assert h in csp["script-src"]
        assert len(script_hashes(r.content)) == len(inline)
    # the assets the docs load are served from this origin
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_hsts_when_the_cookie_is_secure():
    import os

    from fastapi.testclient import TestClient

    from pembina.main import create_app

    app = create_app(Settings(database_url="sqlite://", jwt_secret=os.environ["PEMBINA_JWT_SECRET"], cookie_secure=True))
    with TestClient(app, base_url="https://testserver") as c:
        r = c.get("/")
    assert r.headers["strict-transport-security"].startswith("max-age=")
