"""User accounts are managed only inside one's own subtree, at or below one's rank."""

from __future__ import annotations

from pembina.kit.roles import Role


def test_coordinator_creates_village_operator_with_generated_password(client, pekalongan):
    r = client.post(
        "/api/v1/users",
        json={"username": "op-klego", "full_name": "Operator Klego", "role": "village_operator", "region_code": "33.75.02.1008"},
        headers=pekalongan.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["generated_password"] and len(body["generated_password"]) >= 16
    assert r.headers["ETag"] == '"1"'
    login = client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": "op-klego", "password": body["generated_password"]}
    )
    assert login.status_code == 200


def test_cannot_create_outside_region_or_above_rank(client, pekalongan):
    outside = client.post(
        "/api/v1/users",
        json={"username": "spy", "full_name": "Spy", "role": "village_operator", "region_code": "36.73.03.1014"},
        headers=pekalongan.headers,
    )
    assert outside.status_code == 403 and outside.json()["type"] == "/problems/out-of-scope"
    above = client.post(
        "/api/v1/users",
        json={"username": "boss", "full_name": "Boss", "role": "province_coordinator", "region_code": "33"},
        headers=pekalongan.headers,
    )
    assert above.status_code == 403
    national = client.post(
        "/api/v1/users", json={"username": "natviewer", "full_name": "N", "role": "viewer", "region_code": None}, headers=pekalongan.headers
    )
    assert national.status_code == 403


def test_role_must_match_region_level(client, admin):
    r = client.post(
        "/api/v1/users",
        json={"username": "wrong-level", "full_name": "X", "role": "village_operator", "region_code": "33.75"},
        headers=admin.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "region_code"]
    r = client.post(
        "/api/v1/users",
        json={"username": "nowhere", "full_name": "X", "role": "district_operator", "region_code": "33.99.99"},
        headers=admin.headers,
    )
    assert r.status_code == 422


def test_duplicate_username_is_409(client, admin, pekalongan):
    r = client.post(
        "/api/v1/users",
        json={"username": pekalongan.username, "full_name": "X", "role": "viewer", "region_code": "33.75"},
        headers=admin.headers,
    )
    assert r.status_code == 409


def test_viewer_and_operator_cannot_manage(client, accounts):
    viewer = accounts.user(Role.viewer, "33.75")
    village = accounts.user(Role.village_operator, "33.75.02.1008")
    for acc in (viewer, village):
        r = client.post(
            "/api/v1/users",
            json={"username": f"x-{acc.id}", "full_name": "X", "role": "viewer", "region_code": "33.75.02.1008"},
            headers=acc.headers,
        )
        assert r.status_code == 403


def test_update_needs_if_match_and_refuses_stale(client, pekalongan, accounts):
    op = accounts.user(Role.district_operator, "33.75.02")
    url = f"/api/v1/users/{op.id}"
    etag = client.get(url, headers=pekalongan.headers).headers["ETag"]
    assert client.patch(url, json={"full_name": "No header"}, headers=pekalongan.headers).status_code == 428
    ok = client.patch(url, json={"full_name": "Camat Timur"}, headers={**pekalongan.headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.json()["full_name"] == "Camat Timur"
    assert ok.headers["ETag"] == '"2"'
    stale = client.patch(url, json={"full_name": "Lost update"}, headers={**pekalongan.headers, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current"]["full_name"] == "Camat Timur"
    assert client.get(url, headers=pekalongan.headers).json()["full_name"] == "Camat Timur"


def test_deactivate_blocks_login(client, pekalongan, accounts):
    op = accounts.user(Role.village_operator, "33.75.04.1010")
    r = client.patch(f"/api/v1/users/{op.id}", json={"is_active": False}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200
    assert client.get("/api/v1/auth/me", headers=op.headers).status_code == 401


def test_cannot_change_own_role(client, pekalongan):
    r = client.patch(
        f"/api/v1/users/{pekalongan.id}",
        json={"role": "province_coordinator", "region_code": "33"},
        headers={**pekalongan.headers, "If-Match": "*"},
    )
    assert r.status_code == 403


def test_list_and_delete(client, pekalongan, serang, accounts):
    accounts.user(Role.village_operator, "33.75.02.1008", username="klego-op")
    r = client.get("/api/v1/users", params={"q": "klego"}, headers=pekalongan.headers)
    assert [u["username"] for u in r.json()["items"]] == ["klego-op"]
    everyone = client.get("/api/v1/users", params={"limit": 500}, headers=pekalongan.headers).json()["items"]
    assert serang.username not in {u["username"] for u in everyone}
    uid = r.json()["items"][0]["id"]
    assert client.delete(f"/api/v1/users/{uid}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"/api/v1/users/{uid}", headers=pekalongan.headers).status_code == 404


def test_unknown_fields_are_refused(client, admin):
    r = client.post(
        "/api/v1/users",
        json={"username": "abc", "full_name": "X", "role": "viewer", "region_code": "33", "is_superuser": True},
        headers=admin.headers,
    )
    assert r.status_code == 422


def test_search_treats_wildcards_literally(client, pekalongan, accounts):
    accounts.user(Role.village_operator, "33.75.02.1008", username="op_klego")
    accounts.user(Role.village_operator, "33.75.02.1009", username="opxgamer")
    r = client.get("/api/v1/users", params={"q": "op_"}, headers=pekalongan.headers)
    assert [u["username"] for u in r.json()["items"]] == ["op_klego"]
    assert client.get("/api/v1/users", params={"q": "%"}, headers=pekalongan.headers).json()["total"] == 0
