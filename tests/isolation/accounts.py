"""Foundation: regions, users, API clients, audit events."""

from __future__ import annotations

from typing import Any

SELF_OR_PUBLIC = {
    "auth-token",
    "auth-session-create",
    "auth-session-delete",
    "auth-me",
    "auth-password-change",
    "auth-logout-all",
    "health",
    "problems-get",
}

DENY = {403, 404}


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    u = client.post(
        "/api/v1/users",
        json={"username": "op-pipitan", "full_name": "Operator Pipitan", "role": "village_operator", "region_code": "36.73.03.1014"},
        headers=admin.headers,
    )
    c = client.post(
        "/api/v1/api-clients", json={"name": "Serang portal", "region_code": "36.73", "scope": "read_write"}, headers=admin.headers
    )
    assert u.status_code == c.status_code == 201, (u.text, c.text)
    return {"serang_user_id": u.json()["id"], "serang_client_id": c.json()["id"]}


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    u, c = ctx.get("serang_user_id", 0), ctx.get("serang_client_id", 0)
    return {
        "regions-list": [
            ("GET", "/api/v1/regions", {"within": "36.73"}, {403}),
            ("GET", "/api/v1/regions", {"parent": "36.73"}, {403}),
            ("GET", "/api/v1/regions", {"q": "serang"}, {200}),
        ],
        "regions-get": [
            ("GET", "/api/v1/regions/36.73", None, {403}),
            ("GET", "/api/v1/regions/36.73.03.1014", None, {403}),
            ("GET", "/api/v1/regions/36", None, {403}),
        ],
        "regions-children": [("GET", "/api/v1/regions/36.73/children", None, {403})],
        "regions-summary": [("GET", "/api/v1/regions/36.73/summary", None, {403})],
        "regions-national-summary": [("GET", "/api/v1/regions/summary", None, {403})],
        "users-list": [("GET", "/api/v1/users", None, {200}), ("GET", "/api/v1/users", {"region": "36.73"}, {403})],
        "users-get": [("GET", f"/api/v1/users/{u}", None, DENY)],
        "users-create": [
            (
                "POST",
                "/api/v1/users",
                {"username": "intruder", "full_name": "I", "role": "village_operator", "region_code": "36.73.03.1014"},
                DENY,
            )
        ],
        "users-update": [("PATCH", f"/api/v1/users/{u}", {"full_name": "Hacked"}, DENY)],
        "users-delete": [("DELETE", f"/api/v1/users/{u}", None, DENY)],
        "api-clients-list": [("GET", "/api/v1/api-clients", None, {200}), ("GET", "/api/v1/api-clients", {"region": "36.73"}, {403})],
        "api-clients-get": [("GET", f"/api/v1/api-clients/{c}", None, DENY)],
        "api-clients-create": [("POST", "/api/v1/api-clients", {"name": "x", "region_code": "36.73"}, DENY)],
        "api-clients-update": [("PATCH", f"/api/v1/api-clients/{c}", {"name": "Hacked"}, DENY)],
        "api-clients-rotate-secret": [("POST", f"/api/v1/api-clients/{c}/rotate-secret", None, DENY)],
        "api-clients-delete": [("DELETE", f"/api/v1/api-clients/{c}", None, DENY)],
        "audit-events-list": [("GET", "/api/v1/audit-events", None, {200}), ("GET", "/api/v1/audit-events", {"region": "36.73"}, {403})],
        **_changes_cases(),
    }


def _changes_cases() -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    return {"changes-list": [("GET", "/api/v1/changes", None, {200}), ("GET", "/api/v1/changes", {"region": "36.73"}, {403})]}
