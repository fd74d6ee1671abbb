"""A Kota Pekalongan (33.75) coordinator never reads nor changes Kota Serang (36.73) data,
whatever the URL. Every operation in the contract must appear here: adding an endpoint
without its isolation case fails `test_every_operation_is_covered`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

#: Operations that only ever concern the caller's own account or are public.
SELF_OR_PUBLIC = {"auth-token", "auth-session-create", "auth-session-delete", "auth-me", "auth-password-change", "health", "problems-get"}


@dataclass
class Ctx:
    serang_user_id: int
    serang_client_id: int


def _cases(ctx: Ctx) -> dict[str, list[tuple[str, str, dict[str, Any] | None, Any]]]:
    """operationId -> requests (method, url, query or json body, expected statuses)."""
    u, c = ctx.serang_user_id, ctx.serang_client_id
    deny = {403, 404}
    return {
        "regions-list": [("GET", "/api/v1/regions", {"within": "36.73"}, {403}), ("GET", "/api/v1/regions", {"parent": "36.73"}, {403}), ("GET", "/api/v1/regions", {"q": "serang"}, {200})],
        "regions-get": [("GET", "/api/v1/regions/36.73", None, {403}), ("GET", "/api/v1/regions/36.73.03.1014", None, {403}), ("GET", "/api/v1/regions/36", None, {403})],
        "regions-children": [("GET", "/api/v1/regions/36.73/children", None, {403})],
        "regions-summary": [("GET", "/api/v1/regions/36.73/summary", None, {403})],
        "users-list": [("GET", "/api/v1/users", None, {200}), ("GET", "/api/v1/users", {"region": "36.73"}, {403})],
        "users-get": [("GET", f"/api/v1/users/{u}", None, deny)],
        "users-create": [("POST", "/api/v1/users", {"username": "intruder", "full_name": "I", "role": "village_operator", "region_code": "36.73.03.1014"}, deny)],
        "users-update": [("PATCH", f"/api/v1/users/{u}", {"full_name": "Hacked"}, deny)],
        "users-delete": [("DELETE", f"/api/v1/users/{u}", None, deny)],
        "api-clients-list": [("GET", "/api/v1/api-clients", None, {200}), ("GET", "/api/v1/api-clients", {"region": "36.73"}, {403})],
        "api-clients-get": [("GET", f"/api/v1/api-clients/{c}", None, deny)],
        "api-clients-create": [("POST", "/api/v1/api-clients", {"name": "x", "region_code": "36.73"}, deny)],
        "api-clients-update": [("PATCH", f"/api/v1/api-clients/{c}", {"name": "Hacked"}, deny)],
        "api-clients-rotate-secret": [("POST", f"/api/v1/api-clients/{c}/rotate-secret", None, deny)],
        "api-clients-delete": [("DELETE", f"/api/v1/api-clients/{c}", None, deny)],
        "audit-events-list": [("GET", "/api/v1/audit-events", None, {200}), ("GET", "/api/v1/audit-events", {"region": "36.73"}, {403})],
    }


@pytest.fixture
def serang_data(client, admin) -> Ctx:
    u = client.post("/api/v1/users", json={"username": "op-pipitan", "full_name": "Operator Pipitan", "role": "village_operator", "region_code": "36.73.03.1014"}, headers=admin.headers)
    c = client.post("/api/v1/api-clients", json={"name": "Serang portal", "region_code": "36.73", "scope": "read_write"}, headers=admin.headers)
    assert u.status_code == c.status_code == 201
    return Ctx(serang_user_id=u.json()["id"], serang_client_id=c.json()["id"])


def test_every_operation_is_covered(app):
    ops = {op["operationId"] for path in app.openapi()["paths"].values() for op in path.values()}
    covered = set(_cases(Ctx(0, 0))) | SELF_OR_PUBLIC
    assert ops - covered == set(), "add isolation cases for these operations"
    assert covered - ops == set(), "stale isolation cases"


@pytest.mark.parametrize("who", ["coordinator", "read_write_client"])
def test_pekalongan_never_sees_or_touches_serang(client, accounts, pekalongan, serang, serang_data, who):
    from pembina.auth.roles import ClientScope

    caller = pekalongan if who == "coordinator" else accounts.client("33.75", ClientScope.read_write)
    for op, requests in _cases(serang_data).items():
        for method, url, payload, expected in requests:
            headers = {**caller.headers, "If-Match": "*"}
            kwargs: dict[str, Any] = {"params": payload} if method == "GET" else {"json": payload}
            r = client.request(method, url, headers=headers, **kwargs)
            if who == "read_write_client" and r.status_code == 403 and method != "GET":
                pass  # clients cannot manage accounts at all: also refused
            else:
                assert r.status_code in expected, f"{op} {method} {url}: {r.status_code} {r.text[:200]}"
            if r.status_code == 200:
                assert "36.73" not in r.text, f"{op} leaked Serang data: {r.text[:300]}"
            if r.status_code >= 400:
                assert r.headers["content-type"] == "application/problem+json"
    # and nothing changed
    still = client.get(f"/api/v1/users/{serang_data.serang_user_id}", headers=serang.headers)
    assert still.json()["full_name"] == "Operator Pipitan"


def test_serang_sees_its_own(client, serang, serang_data):
    r = client.get(f"/api/v1/users/{serang_data.serang_user_id}", headers=serang.headers)
    assert r.status_code == 200
    events = client.get("/api/v1/audit-events", headers=serang.headers).json()
    assert events["total"] >= 2
    assert all(e["region_code"].startswith("36.73") for e in events["items"])
    assert json.dumps(events).count("33.75") == 0
