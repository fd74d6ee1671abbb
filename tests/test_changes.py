"""The change feed lets an integrator keep a full copy of its region in sync."""

from __future__ import annotations

from pembina.kit.scopes import DOMAIN_READ, SENSITIVE
from tests.isolation import mentions

#: An integrator keeping a full copy: the domain, and accounts with their personal fields (issue 23).
EVERYTHING = DOMAIN_READ | SENSITIVE


def _sync(client, headers, cursor=None, copy=None, **params):
    """The README's sync recipe: apply every change to a local copy, resume from next_cursor."""
    copy = {} if copy is None else copy
    while True:
        page = client.get("/api/v1/changes", params={**params, **({"cursor": cursor} if cursor else {}), "limit": 2}, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        for ch in body["items"]:
            key = (ch["entity_type"], ch["entity_id"])
            if ch["action"] == "delete" or ch["data"] is None:
                copy.pop(key, None)
            else:
                copy[key] = ch["data"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return cursor, copy


def test_integrator_keeps_a_copy_in_sync(client, admin, pekalongan, accounts):
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    cursor, copy = _sync(client, integrator.headers)

    def mk(username: str, region: str) -> int:
        return client.post(
            "/api/v1/users",
            json={"username": username, "full_name": username, "role": "village_operator", "region_code": region},
            headers=admin.headers,
        ).json()["id"]

    a = mk("op-kauman", "33.75.02.1004")
    b = mk("op-poncol", "33.75.02.1007")
    mk("op-kilasah", "36.73.02.1009")  # Serang: never in a Pekalongan feed
    cursor, copy = _sync(client, integrator.headers, cursor, copy)
    usernames = {d["username"] for (t, _), d in copy.items() if t == "users"}
    assert {"op-kauman", "op-poncol"} <= usernames and "op-kilasah" not in usernames

    client.patch(f"/api/v1/users/{a}", json={"full_name": "Operator Kauman"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    client.delete(f"/api/v1/users/{b}", headers=pekalongan.headers)
    cursor2, copy = _sync(client, integrator.headers, cursor, copy)
    assert copy[("users", str(a))]["full_name"] == "Operator Kauman"
    assert ("users", str(b)) not in copy
    # nothing new: an empty page and the same cursor
    again = client.get("/api/v1/changes", params={"cursor": cursor2}, headers=integrator.headers).json()
    assert again["items"] == [] and again["next_cursor"] == cursor2 and not again["has_more"]
    # the copy equals what the API says now
    live = client.get("/api/v1/users", params={"limit": 500}, headers=pekalongan.headers).json()["items"]
    assert {u["username"] for u in live} == {d["username"] for (t, _), d in copy.items() if t == "users"}


def test_feed_filters_and_bad_cursor(client, admin, pekalongan):
    client.post(
        "/api/v1/users",
        json={"username": "op-medono2", "full_name": "x", "role": "village_operator", "region_code": "33.75.01.1002"},
        headers=admin.headers,
    )
    r = client.get("/api/v1/changes", params={"entity_type": "users", "region": "33.75.01"}, headers=pekalongan.headers).json()
    assert r["items"] and all(i["region_code"].startswith("33.75.01") for i in r["items"])
    assert client.get("/api/v1/changes", params={"cursor": "abc"}, headers=pekalongan.headers).status_code == 422
    assert client.get("/api/v1/changes", params={"region": "36.73"}, headers=pekalongan.headers).status_code == 403


def test_a_record_moving_out_of_region_is_a_delete_for_the_old_region(client, admin, accounts):
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    uid = client.post(
        "/api/v1/users", json={"username": "mover", "full_name": "Mover", "role": "viewer", "region_code": "33.75"}, headers=admin.headers
    ).json()["id"]
    cursor, copy = _sync(client, integrator.headers)
    assert ("users", str(uid)) in copy
    r = client.patch(f"/api/v1/users/{uid}", json={"region_code": "36.73"}, headers={**admin.headers, "If-Match": '"1"'})
    assert r.status_code == 200
    page = client.get("/api/v1/changes", params={"cursor": cursor}, headers=integrator.headers).json()
    assert [(c["action"], c["entity_id"], c["data"]) for c in page["items"]] == [("delete", str(uid), None)]
    assert not mentions(str(page), "36.73")


def test_example_sync_client_runs_against_the_api(client, admin, accounts, tmp_path, monkeypatch):
    """examples/sync_client.py (the README's recipe) against the app, over httpx."""
    import importlib.util
    from pathlib import Path

    import httpx

    spec = importlib.util.spec_from_file_location("sync_client", Path(__file__).resolve().parents[1] / "examples" / "sync_client.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    client.post(
        "/api/v1/users",
        json={"username": "op-degayu", "full_name": "x", "role": "village_operator", "region_code": "33.75.03.1007"},
        headers=admin.headers,
    )
    sync = mod.Sync("http://testserver", integrator.username, integrator.password, tmp_path / "copy.json")
    sync.http = client  # the TestClient is an httpx.Client bound to the app
    assert isinstance(client, httpx.Client)
    assert sync.run_once() >= 1
    assert any(r.get("username") == "op-degayu" for r in sync.records.values())
    cursor = sync.cursor
    reloaded = mod.Sync("http://testserver", integrator.username, integrator.password, tmp_path / "copy.json")
    assert reloaded.cursor == cursor and reloaded.records == sync.records


def test_entries_carry_the_record_as_the_api_returns_it(client, pekalongan, accounts):
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    cursor, _ = _sync(client, integrator.headers)
    body = {"region_code": "33.75.02.1008", "name": "Posyandu Seruni", "services": {"kesehatan": ["imunisasi"], "pendidikan": []}}
    created = client.post("/api/v1/posyandu", json=body, headers=pekalongan.headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    page = client.get("/api/v1/changes", params={"cursor": cursor}, headers=integrator.headers).json()
    [entry] = [c for c in page["items"] if c["entity_type"] == "posyandu"]
    assert entry["schema"] == "PosyanduRead" and entry["entity_id"] == str(pid)
    data = entry["data"]
    assert data["village_name"] == "Klego" and data["spm_fields"] == ["kesehatan"] and "spm_mask" not in data
    # exactly what a GET answers, less what describes the reader
    got = client.get(f"/api/v1/posyandu/{pid}", headers=integrator.headers).json()
    assert "allowed_actions" in got and "allowed_actions" not in data
    assert data == {k: v for k, v in got.items() if k != "allowed_actions"}
    # the named schema is the contract's, and the data fits its properties
    component = client.app.openapi()["components"]["schemas"]["PosyanduRead"]
    assert set(data) == set(component["properties"]) - {"allowed_actions"}


def test_every_kind_of_record_in_the_feed_names_a_schema_of_the_contract(app):
    from pembina.kit import feed

    schemas = app.openapi()["components"]["schemas"]
    registered = feed.registry()
    assert {"posyandu", "users", "api_clients", "teams", "team_members", "decrees", "meetings", "follow_ups", "budgets"} <= set(registered)
    for name, entry in registered.items():
        assert entry.schema_name in schemas, name
        assert set(entry.schema.model_fields) - {"allowed_actions"} <= set(schemas[entry.schema_name]["properties"]), name
    change = schemas["Change"]["properties"]
    assert "schema" in change and "data" in change


def test_entries_never_show_what_the_reader_cannot_read(client, admin, pekalongan, serang, accounts):
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    cursor, _ = _sync(client, integrator.headers)
    ours = client.post("/api/v1/posyandu", json={"region_code": "33.75.02.1008", "name": "Posyandu Melati"}, headers=pekalongan.headers)
    theirs = client.post("/api/v1/posyandu", json={"region_code": "36.73.03.1014", "name": "Posyandu Anggrek"}, headers=serang.headers)
    assert ours.status_code == theirs.status_code == 201
    uid = client.post(
        "/api/v1/users", json={"username": "pindah", "full_name": "Pindah", "role": "viewer", "region_code": "33.75"}, headers=admin.headers
    ).json()["id"]
    # the user moves to Serang before the integrator reads: its create shows no data (the record is not readable
    # now: its new region and name must not leak), and the move is a delete
    moved = client.patch(
        f"/api/v1/users/{uid}", json={"region_code": "36.73", "full_name": "Pegawai Serang"}, headers={**admin.headers, "If-Match": '"1"'}
    )
    assert moved.status_code == 200
    page = client.get("/api/v1/changes", params={"cursor": cursor}, headers=integrator.headers).json()
    seen = [(c["entity_type"], c["entity_id"], c["action"], c["data"] is not None) for c in page["items"]]
    assert ("posyandu", str(ours.json()["id"]), "create", True) in seen
    assert not any(t == "posyandu" and i == str(theirs.json()["id"]) for t, i, _, _ in seen)
    assert [s for s in seen if s[:2] == ("users", str(uid))] == [("users", str(uid), "create", False), ("users", str(uid), "delete", False)]
    assert not mentions(str(page), "36.73") and "Pegawai Serang" not in str(page)
    # the national admin reads the same user, as it is now
    everything = client.get("/api/v1/changes", params={"cursor": cursor, "entity_type": "users"}, headers=admin.headers).json()
    assert [c["data"]["full_name"] for c in everything["items"] if c["entity_id"] == str(uid)] == ["Pegawai Serang", "Pegawai Serang"]


def test_a_kind_without_a_read_model_keeps_the_stored_columns(client, pekalongan, accounts):
    """Records the API shows only inside another (a work program's link to an allocation) keep the audit's columns."""
    from pembina.kit import feed

    assert feed.registered("work_program_allocations") is None
    integrator = accounts.client("33.75", scopes=EVERYTHING)
    cursor, _ = _sync(client, integrator.headers)
    from tests.test_budgets_api import allocation, budget, team

    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a = allocation(client, pekalongan, b["id"], 50_000_000, activity="Kelas ibu balita", spm_field="kesehatan").json()
    r = client.post(
        "/api/v1/work-programs",
        json={"team_id": t, "year": 2025, "title": "Kelas ibu", "allocation_ids": [a["id"]]},
        headers=pekalongan.headers,
    )
    assert r.status_code == 201, r.text
    page = client.get("/api/v1/changes", params={"cursor": cursor, "limit": 1000}, headers=integrator.headers).json()
    kinds = {c["entity_type"]: (c["schema"], c["data"]) for c in page["items"]}
    assert kinds["teams"][0] == "TeamRead" and kinds["budgets"][0] == "BudgetRead" and kinds["work_programs"][0] == "WorkProgramRead"
    assert kinds["budget_allocations"][1]["activity"] == "Kelas ibu balita"
    schema, data = kinds["work_program_allocations"]
    assert schema is None and data["allocation_id"] == a["id"] and data["work_program_id"] == r.json()["id"]


def test_every_entry_of_the_demo_fits_its_schema_and_matches_the_records_list(client, db, admin, pekalongan):
    """The demo writes records of most kinds; each feed entry's data is a valid instance of the read
    model it names, and a sample of kinds equals what their list returns."""
    from pembina.demo import load_demo
    from pembina.kit import feed

    load_demo(db)
    db.commit()
    entries, cursor = [], None
    while True:
        page = client.get("/api/v1/changes", params={"limit": 1000, **({"cursor": cursor} if cursor else {})}, headers=admin.headers).json()
        entries += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    kinds = set()
    for e in entries:
        entry = feed.registered(e["entity_type"])
        assert e["schema"] == (entry.schema_name if entry else None), e["entity_type"]
        if entry and e["data"] is not None:
            entry.schema.model_validate({**e["data"], "allowed_actions": []})
            kinds.add(e["entity_type"])
    assert {"posyandu", "teams", "team_members", "decrees", "budgets", "budget_allocations", "meetings", "follow_ups"} <= kinds
    latest = {(e["entity_type"], e["entity_id"]): e["data"] for e in entries if e["data"] is not None}
    for kind, url in (("posyandu", "/api/v1/posyandu"), ("teams", "/api/v1/teams"), ("meetings", "/api/v1/meetings")):
        listed = client.get(url, params={"limit": 500}, headers=admin.headers).json()["items"]
        assert listed
        for item in listed:
            assert latest[(kind, str(item["id"]))] == {k: v for k, v in item.items() if k != "allowed_actions"}, kind
