"""`allowed_actions` describe the reader, not the record: never exported, versioned or fed.

Apart from tests/test_allowed_actions.py, whose module-wide world keeps a transaction open on the
test database for as long as its tests run (on SQLite a write from another connection would wait
for it).
"""

from __future__ import annotations

KLEGO = "33.75.02.1008"


def test_allowed_actions_are_never_exported_and_never_versioned(client, admin, pekalongan):
    """They are about the reader, not the record: no export column, no new version, no feed entry."""
    lists = client.get("/api/v1/exports", headers=admin.headers).json()["lists"]
    names = {x["name"] for x in lists}
    assert {"decrees", "teams", "posyandu", "registration-batches", "users", "api-clients", "budgets", "meetings"} <= names
    assert all("allowed_actions" not in c["key"] for x in lists for c in x["columns"])
    csv = client.get("/api/v1/exports/teams", params={"format": "csv"}, headers=admin.headers)
    assert csv.status_code == 200 and "allowed" not in csv.text.lower()

    team = client.post("/api/v1/teams", json={"region_code": KLEGO}, headers=admin.headers)
    url = f"/api/v1/teams/{team.json()['id']}"
    as_admin, as_city = client.get(url, headers=admin.headers), client.get(url, headers=pekalongan.headers)
    # the same record, the same ETag, whoever reads it (and whatever each may do)
    assert as_admin.headers["ETag"] == as_city.headers["ETag"] == team.headers["ETag"]
    assert {k: v for k, v in as_admin.json().items() if k != "allowed_actions"} == {
        k: v for k, v in as_city.json().items() if k != "allowed_actions"
    }
    changes = client.get("/api/v1/changes", params={"entity_type": "teams"}, headers=admin.headers).json()["items"]
    assert changes and all("allowed_actions" not in (c["data"] or {}) for c in changes)
