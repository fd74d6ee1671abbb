"""Every write is recorded: who, when, before and after; readable within scope."""

from __future__ import annotations


def test_user_lifecycle_is_audited(client, pekalongan, admin):
    r = client.post(
        "/api/v1/users",
        json={
            "username": "op-medono",
            "full_name": "Op Medono",
            "role": "village_operator",
            "region_code": "33.75.01.1002",
            "password": "panjang-sekali-1",
        },
        headers=pekalongan.headers,
    )
    uid = r.json()["id"]
    client.patch(f"/api/v1/users/{uid}", json={"full_name": "Operator Medono"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    client.patch(f"/api/v1/users/{uid}", json={"password": "another-long-one-2"}, headers={**pekalongan.headers, "If-Match": '"2"'})
    client.delete(f"/api/v1/users/{uid}", headers=pekalongan.headers)
    events = client.get(
        "/api/v1/audit-events", params={"entity_type": "users", "entity_id": str(uid), "sort": "id"}, headers=pekalongan.headers
    ).json()["items"]
    assert [e["action"] for e in events] == ["create", "update", "update", "delete"]
    assert all(e["actor"] == f"user:{pekalongan.id}" for e in events)
    assert events[0]["after"]["username"] == "op-medono" and events[0]["region_code"] == "33.75.01.1002"
    assert events[1]["before"]["full_name"] == "Op Medono" and events[1]["after"]["full_name"] == "Operator Medono"
    # the password change is recorded, its hash never is
    assert events[2]["after"]["password_hash"] == "[changed]"
    assert all("$argon2" not in str(e) for e in events)
    assert events[3]["before"]["full_name"] == "Operator Medono" and events[3]["after"] is None


def test_audit_filters_validate(client, admin):
    r = client.get("/api/v1/audit-events", params={"since": "2025-01-01T00:00:00"}, headers=admin.headers)
    assert r.status_code == 422  # a timezone is required
    r = client.get("/api/v1/audit-events", params={"since": "2025-01-01T00:00:00+07:00", "action": "create"}, headers=admin.headers)
    assert r.status_code == 200
