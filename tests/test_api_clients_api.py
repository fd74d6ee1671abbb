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
