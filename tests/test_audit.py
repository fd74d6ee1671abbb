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


def test_events_name_people_records_and_regions(client, pekalongan, accounts, connection):
    """The trail reads as people write it: the account's name, not `user:2`; 'SK 12/2025', not `decrees`;
    the region's name; a deleted record keeps its name; the page costs three label queries, whatever its size."""
    from sqlalchemy import event

    from pembina.kit.roles import Role

    other = accounts.user(Role.regency_coordinator, "33.75", username="siti-pekalongan")
    for who, number in ((pekalongan, "12/2025"), (other, "13/2025"), (pekalongan, None)):
        body = {"region_code": "33.75.01.1002", "title": "SK TP Posyandu Medono", **({"number": number} if number else {})}
        assert client.post("/api/v1/decrees", json=body, headers=who.headers).status_code == 201
    team = client.post("/api/v1/teams", json={"region_code": "33.75.01.1002", "name": "TP Posyandu Medono"}, headers=pekalongan.headers)
    assert team.status_code == 201, team.text
    assert client.delete(f"/api/v1/teams/{team.json()['id']}", headers=pekalongan.headers).status_code == 204

    statements: list[str] = []
    spy = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(connection, "before_cursor_execute", spy)
    try:
        r = client.get("/api/v1/audit-events", params={"region": "33.75", "sort": "id"}, headers=pekalongan.headers)
    finally:
        event.remove(connection, "before_cursor_execute", spy)
    assert r.status_code == 200
    events = [e for e in r.json()["items"] if e["entity_type"] in ("decrees", "teams")]
    decrees = [e for e in events if e["entity_type"] == "decrees" and e["action"] == "create"]
    assert [e["entity_label"] for e in decrees] == ["SK 12/2025", "SK 13/2025", "SK TP Posyandu Medono"]
    assert decrees[0]["actor_label"] == "Dpmppa-Pekalongan (dpmppa-pekalongan)"
    assert decrees[1]["actor_label"] == "Siti-Pekalongan (siti-pekalongan)"
    assert all(e["region_name"] == "Medono" for e in events), {e["region_name"] for e in events}
    deleted = [e for e in events if e["entity_type"] == "teams" and e["action"] == "delete"]
    assert deleted and deleted[0]["entity_label"] == "TP Posyandu Medono"
    assert sum("FROM users" in s for s in statements) <= 2  # the caller's own, and the page's actors once
    assert sum("FROM regions" in s and "regions.name" in s for s in statements) <= 2


def test_system_and_client_actors_are_named(client, db, admin, accounts):
    from pembina.kit.roles import ClientScope

    writer = accounts.client(None, ClientScope.read_write)
    r = client.post("/api/v1/teams", json={"region_code": "33.75.01.1002", "name": "TP Medono"}, headers=writer.headers)
    assert r.status_code == 201, r.text
    items = client.get("/api/v1/audit-events", params={"entity_type": "teams"}, headers=admin.headers).json()["items"]
    assert items[0]["actor_label"].startswith("API client Client pmb_")
    # an actor that no longer exists keeps the name recorded at the time, else its id
    users = client.get("/api/v1/audit-events", params={"actor": "system:test"}, headers=admin.headers).json()["items"]
    assert all(e["actor_label"] == "system:test" for e in users)
