"""API clients for integrators: bound to a region, read or read-write."""

from __future__ import annotations


def test_create_use_rotate_and_delete(client, pekalongan):
    r = client.post("/api/v1/api-clients", json={"name": "Satu Data Pekalongan", "scope": "read"}, headers=pekalongan.headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["region_code"] == "33.75"  # defaults to the creator's region
    tok = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": created["client_id"], "client_secret": created["client_secret"]},
    )
    assert tok.status_code == 200
    headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    assert client.get("/api/v1/regions/33.75/summary", headers=headers).status_code == 200
    assert client.get("/api/v1/regions/36.73", headers=headers).status_code == 403
    # read-only clients cannot manage anything
    assert (
        client.post(
            "/api/v1/users", json={"username": "x-client", "full_name": "X", "role": "viewer", "region_code": "33.75"}, headers=headers
        ).status_code
        == 403
    )

    rotated = client.post(f"/api/v1/api-clients/{created['id']}/rotate-secret", headers=pekalongan.headers).json()
    old = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": created["client_id"], "client_secret": created["client_secret"]},
    )
    assert old.status_code == 401
    new = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": created["client_id"], "client_secret": rotated["client_secret"]},
    )
    assert new.status_code == 200

    listed = client.get("/api/v1/api-clients", headers=pekalongan.headers).json()
    assert listed["total"] == 1 and "client_secret" not in listed["items"][0]
    assert client.delete(f"/api/v1/api-clients/{created['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_deactivate_with_if_match(client, pekalongan):
    c = client.post(
        "/api/v1/api-clients", json={"name": "Dinkes app", "scope": "read_write", "region_code": "33.75.02"}, headers=pekalongan.headers
    ).json()
    r = client.patch(f"/api/v1/api-clients/{c['id']}", json={"is_active": False}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert (
        client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": c["client_id"], "client_secret": c["client_secret"]},
        ).status_code
        == 401
    )


def test_cannot_register_outside_region(client, pekalongan):
    r = client.post("/api/v1/api-clients", json={"name": "x", "region_code": "36.73"}, headers=pekalongan.headers)
    assert r.status_code == 403


def test_getting_a_token_is_no_edit_of_the_client(client, pekalongan):
    """The last use is shown, but a token leaves the client's ETag, audit trail and change feed as they were."""
    from datetime import UTC, datetime

    from pembina.kit import clock

    c = client.post("/api/v1/api-clients", json={"name": "Satu Data Pekalongan"}, headers=pekalongan.headers).json()
    url = f"/api/v1/api-clients/{c['id']}"
    before = client.get(url, headers=pekalongan.headers)
    assert before.json()["last_used_at"] is None
    audit = {"entity_type": "api_clients", "entity_id": str(c["id"])}
    events = client.get("/api/v1/audit-events", params=audit, headers=pekalongan.headers).json()["total"]
    cursor = client.get("/api/v1/changes", params={"limit": 1000}, headers=pekalongan.headers).json()["next_cursor"]
    creds = {"grant_type": "client_credentials", "client_id": c["client_id"], "client_secret": c["client_secret"]}
    seen = []
    for when in (datetime(2026, 3, 1, 1, 0, tzinfo=UTC), datetime(2026, 3, 2, 9, 30, tzinfo=UTC)):
        with clock.frozen(when):
            assert client.post("/api/v1/auth/token", data=creds).status_code == 200
        r = client.get(url, headers=pekalongan.headers)
        assert r.headers["ETag"] == before.headers["ETag"] == '"1"' and r.json()["version"] == 1
        assert r.json()["updated_at"] == before.json()["updated_at"]
        seen.append(r.json()["last_used_at"])
    assert seen == ["2026-03-01T01:00:00Z", "2026-03-02T09:30:00Z"]
    listed = client.get("/api/v1/api-clients", headers=pekalongan.headers).json()["items"]
    assert [x["last_used_at"] for x in listed] == ["2026-03-02T09:30:00Z"]
    assert client.get("/api/v1/audit-events", params=audit, headers=pekalongan.headers).json()["total"] == events
    assert client.get("/api/v1/changes", params={"cursor": cursor}, headers=pekalongan.headers).json()["items"] == []
    # an edit still needs the unchanged ETag, and is the one thing that moves it
    r = client.patch(url, json={"name": "Satu Data Kota Pekalongan"}, headers={**pekalongan.headers, "If-Match": before.headers["ETag"]})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"' and r.json()["last_used_at"] == "2026-03-02T09:30:00Z"
    # and its audit snapshot carries no usage
    event = client.get("/api/v1/audit-events", params={**audit, "action": "update"}, headers=pekalongan.headers).json()["items"][0]
    assert "last_used_at" not in event["after"]
    assert client.delete(url, headers=pekalongan.headers).status_code == 204
