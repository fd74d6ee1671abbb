"""Regions: the national set is loaded, browsable and scoped."""

from __future__ import annotations

from sqlalchemy import func, select

from pembina.regions.loader import load_regions
from pembina.regions.models import Region


def test_national_set_is_complete(db):
    counts = dict(db.execute(select(Region.level, func.count()).group_by(Region.level)).all())
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_load_is_idempotent(connection, db):
    before = db.scalar(select(func.count()).select_from(Region))
    result = load_regions(connection, progress=False)
    assert result.total == before == 91599
    assert db.scalar(select(func.count()).select_from(Region)) == before


def test_get_region_with_ancestors(client, admin):
    r = client.get("/api/v1/regions/33.75.02.1008", headers=admin.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "Klego"
    assert body["level"] == "village"
    assert body["type"] == "kelurahan"
    assert [a["code"] for a in body["ancestors"]] == ["33", "33.75", "33.75.02"]
    assert [a["name"] for a in body["ancestors"]] == ["Jawa Tengah", "Kota Pekalongan", "Pekalongan Timur"]


def test_children_of_kota_pekalongan(client, pekalongan):
    r = client.get("/api/v1/regions/33.75/children", headers=pekalongan.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 4
    assert [c["name"] for c in body["items"]] == ["Pekalongan Barat", "Pekalongan Timur", "Pekalongan Utara", "Pekalongan Selatan"]


def test_summary_counts(client, pekalongan):
    r = client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers)
    assert r.status_code == 200
    assert r.json()["counts"] == {"children": 4, "regencies": 0, "districts": 4, "villages": 27}


def test_national_summary_of_a_province(client, admin):
    r = client.get("/api/v1/regions/62/summary", headers=admin.headers)
    assert r.json()["region"]["name"] == "Kalimantan Tengah"
    assert r.json()["counts"]["regencies"] == 14


def test_list_filters_level_and_search(client, admin):
    r = client.get("/api/v1/regions", params={"level": "regency", "q": "pekalongan"}, headers=admin.headers)
    assert r.status_code == 200
    names = sorted(i["name"] for i in r.json()["items"])
    assert names == ["Kabupaten Pekalongan", "Kota Pekalongan"]
    r = client.get("/api/v1/regions", params={"q": "33.75.02"}, headers=admin.headers)
    assert {i["code"] for i in r.json()["items"]} >= {"33.75.02", "33.75.02.1008"}


def test_list_is_scoped_and_paginated(client, pekalongan):
    r = client.get("/api/v1/regions", params={"level": "village", "limit": 10}, headers=pekalongan.headers)
    body = r.json()
    assert body["total"] == 27 and len(body["items"]) == 10
    assert all(i["code"].startswith("33.75.") for i in body["items"])
    r2 = client.get("/api/v1/regions", params={"level": "village", "limit": 10, "offset": 20}, headers=pekalongan.headers)
    assert len(r2.json()["items"]) == 7


def test_sort_and_bad_sort(client, pekalongan):
    r = client.get("/api/v1/regions/33.75/children", params={"sort": "-name"}, headers=pekalongan.headers)
    assert r.json()["items"][0]["name"] == "Pekalongan Utara"
    bad = client.get("/api/v1/regions", params={"sort": "population"}, headers=pekalongan.headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"][0]["loc"] == ["query", "sort"]


def test_unknown_and_malformed_codes(client, admin):
    assert client.get("/api/v1/regions/99.99", headers=admin.headers).status_code == 404
    bad = client.get("/api/v1/regions/33-75", headers=admin.headers)
    assert bad.status_code == 422
    assert bad.json()["type"] == "/problems/validation-error"


def test_national_roll_up(client, admin):
    r = client.get("/api/v1/regions/summary", headers=admin.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["region"] is None
    assert body["counts"] == {"children": 38, "regencies": 514, "districts": 7285, "villages": 83762}
    assert [(c["level"], c["expected"]) for c in body["compliance"]] == [
        ("province", 38),
        ("regency", 514),
        ("district", 7285),
        ("village", 83762),
    ]


def test_national_roll_up_sees_a_write_at_once(client, admin):
    before = client.get("/api/v1/regions/summary", headers=admin.headers).json()
    created = client.post("/api/v1/posyandu", json={"region_code": "62.71.01.1001", "name": "Posyandu Roll-up"}, headers=admin.headers)
    assert created.status_code == 201, created.text
    after = client.get("/api/v1/regions/summary", headers=admin.headers).json()
    assert after["posyandu"]["count"] == before["posyandu"]["count"] + 1
    assert after["posyandu"]["registration"]["unregistered"] == before["posyandu"]["registration"]["unregistered"] + 1
    team = client.post("/api/v1/teams", json={"region_code": "62.71.01.1001"}, headers=admin.headers)
    assert team.status_code == 201, team.text
    village = {c["level"]: c for c in client.get("/api/v1/regions/summary", headers=admin.headers).json()["compliance"]}["village"]
    assert village["with_team"] == {c["level"]: c for c in after["compliance"]}["village"]["with_team"] + 1


def test_national_roll_up_is_for_national_accounts(client, pekalongan):
    r = client.get("/api/v1/regions/summary", headers=pekalongan.headers)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert "/api/v1/regions/33.75/summary" in r.json()["detail"]
