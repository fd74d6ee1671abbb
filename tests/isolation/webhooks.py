"""Webhooks: a Serang client's subscriptions and their deliveries."""

from __future__ import annotations

from typing import Any

#: the catalogue of event types concerns no region
SELF_OR_PUBLIC = {"webhooks-events"}

DENY = {403, 404}
#: a public address literal (no name to resolve)
URL = "https://93.184.216.34/hook"


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    c = client.post("/api/v1/api-clients", json={"name": "Serang hooks", "region_code": "36.73", "scope": "read"}, headers=admin.headers)
    assert c.status_code == 201, c.text
    w = client.post(
        f"/api/v1/api-clients/{c.json()['id']}/webhooks", json={"url": URL, "event_types": ["decree.reported"]}, headers=admin.headers
    )
    assert w.status_code == 201, w.text
    return {"serang_hooks_client_id": c.json()["id"], "serang_webhook_id": w.json()["id"]}


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    c, w = ctx.get("serang_hooks_client_id", 0), ctx.get("serang_webhook_id", 0)
    return {
        "webhooks-list": [("GET", f"/api/v1/api-clients/{c}/webhooks", None, DENY)],
        "webhooks-create": [("POST", f"/api/v1/api-clients/{c}/webhooks", {"url": URL, "event_types": ["decree.reported"]}, DENY)],
        "webhooks-get": [("GET", f"/api/v1/webhooks/{w}", None, DENY)],
        "webhooks-update": [("PATCH", f"/api/v1/webhooks/{w}", {"is_active": False}, DENY)],
        "webhooks-rotate-secret": [("POST", f"/api/v1/webhooks/{w}/rotate-secret", None, DENY)],
        "webhooks-delete": [("DELETE", f"/api/v1/webhooks/{w}", None, DENY)],
        "webhooks-deliveries": [("GET", f"/api/v1/webhooks/{w}/deliveries", None, DENY)],
        "webhooks-delivery": [("GET", f"/api/v1/webhooks/{w}/deliveries/1", None, DENY)],
        "webhooks-redeliver": [("POST", f"/api/v1/webhooks/{w}/deliveries/1/redeliver", None, DENY)],
    }
