"""Item 10: numbers in paths and cursors are bounded (422), never a database error (500)."""

from __future__ import annotations

import pytest

API = "/api/v1"
HUGE = [2**31, 2**63, 2**70]


@pytest.mark.parametrize("n", HUGE)
def test_huge_ids_are_422(client, admin, n):
    for method, path in [
        ("GET", f"/users/{n}"),
        ("PATCH", f"/users/{n}"),
        ("DELETE", f"/users/{n}"),
        ("GET", f"/api-clients/{n}"),
        ("DELETE", f"/api-clients/{n}"),
        ("GET", f"/teams/{n}"),
        ("GET", f"/decrees/{n}"),
        ("GET", f"/posyandu/{n}"),
        ("GET", f"/meetings/{n}/attachments/{n}"),
        ("GET", f"/exports/teams/{n}/members"),
    ]:
        r = client.request(method, f"{API}{path}", headers={**admin.headers, "If-Match": "*"}, json={} if method == "PATCH" else None)
        assert r.status_code == 422, (method, path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("cursor", [f"{2**63}-1", f"1-{2**63}", f"-{2**64}-1", f"{2**70}-{2**70}", "1-99999999999999999999999999999"])
def test_huge_change_cursor_is_422(client, admin, cursor):
    r = client.get(f"{API}/changes", params={"cursor": cursor}, headers=admin.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_contract_shows_every_path_id_bounded(client):
    doc = client.get("/openapi.json").json()
    unbounded = [
        (method, path, p["name"])
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        for p in op.get("parameters", [])
        if p["in"] == "path" and p["schema"].get("type") == "integer" and "maximum" not in p["schema"]
    ]
    assert unbounded == []


def test_largest_cursor_that_fits_is_fine(client, admin):
    assert client.get(f"{API}/changes", params={"cursor": f"{2**63 - 1}-{2**63 - 1}"}, headers=admin.headers).status_code == 200
