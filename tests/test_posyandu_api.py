"""Posyandu units and their 6-SPM services: validation, ETag/If-Match, filters, counters."""

from __future__ import annotations

import pytest

from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings
from pembina.stats import service as stats

URL = "/api/v1/posyandu"
KLEGO = "33.75.02.1008"  # Kota Pekalongan, Kecamatan Pekalongan Timur
BENDAN_KERGON = "33.75.01.1006"
PIPITAN = "36.73.03.1014"


def make(client, who, region=KLEGO, **extra):
    body = {"region_code": region, "name": extra.pop("name", "Posyandu Uji"), **extra}
    r = client.post(URL, json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_get_and_read_back(client, pekalongan):
    r = client.post(
        URL,
        json={
            "region_code": KLEGO,
            "name": "Posyandu Seruni",
            "rw": "03",
            "rt": "01",
            "address": "Jl. Contoh",
            "latitude": -6.8886,
            "longitude": 109.6753,
            "pengurus_count": 5,
            "kader_count": 10,
            "stratum": "madya",
            "services": {"kesehatan": ["imunisasi", "penimbangan_balita", "imunisasi"], "pekerjaan_umum": ["air_minum"]},
        },
        headers=pekalongan.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["ETag"] == '"1"' and r.headers["Location"] == f"{URL}/{body['id']}"
    assert body["village_name"] == "Klego"
    assert body["services"]["kesehatan"] == ["imunisasi", "penimbangan_balita"]  # de-duplicated, order kept
    assert body["services"]["sosial"] == []
    assert body["spm_fields"] == ["kesehatan", "pekerjaan_umum"]
    assert body["registration_status"] == "unregistered" and body["registration_number"] is None
    got = client.get(f"{URL}/{body['id']}", headers=pekalongan.headers)
    assert got.status_code == 200 and got.json() == body and got.headers["ETag"] == '"1"'


@pytest.mark.parametrize(
    "patch, loc",
    [
        ({"region_code": "33.75"}, "region_code"),  # a regency, not a village
        ({"region_code": "33.75.02"}, "region_code"),  # a district
        ({"region_code": "33.75.02.9999"}, "region_code"),  # no such village
        ({"region_code": "not-a-code"}, "region_code"),
        ({"latitude": 20.0, "longitude": 109.0}, "latitude"),  # north of Indonesia
        ({"latitude": -6.9, "longitude": 20.0}, "longitude"),
        ({"latitude": -6.9}, "body"),  # only one coordinate
        ({"kader_count": -1}, "kader_count"),
        ({"pengurus_count": "many"}, "pengurus_count"),
        ({"stratum": "utama"}, "stratum"),
        ({"services": {"kesehatan": ["terbang"]}}, "services"),
        ({"services": {"olahraga": ["senam"]}}, "services"),
        ({"rw": "abc"}, "rw"),
        ({"registration_status": "registered"}, "registration_status"),  # not writable: extra fields forbidden
        ({"name": ""}, "name"),
    ],
)
def test_create_validation(client, pekalongan, patch, loc):
    body = {"region_code": KLEGO, "name": "Posyandu Uji", **patch}
    r = client.post(URL, json=body, headers=pekalongan.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert any(loc in [str(p) for p in e["loc"]] for e in r.json()["errors"]), r.json()


def test_create_outside_scope_and_read_only(client, accounts, pekalongan):
    assert client.post(URL, json={"region_code": PIPITAN, "name": "X"}, headers=pekalongan.headers).status_code == 403
    viewer = accounts.user(Role.viewer, "33.75")
    assert client.post(URL, json={"region_code": KLEGO, "name": "X"}, headers=viewer.headers).status_code == 403
    reader = accounts.client("33.75", ClientScope.read)
    assert client.post(URL, json={"region_code": KLEGO, "name": "X"}, headers=reader.headers).status_code == 403
    writer = accounts.client("33.75", ClientScope.read_write)
    assert client.post(URL, json={"region_code": KLEGO, "name": "X"}, headers=writer.headers).status_code == 201


def test_service_catalog_and_configurable_strata(client, pekalongan, monkeypatch):
    cat = client.get(f"{URL}/service-catalog", headers=pekalongan.headers).json()
    assert [f["field"] for f in cat["fields"]] == [
        "kesehatan",
        "pendidikan",
        "sosial",
        "trantibumlinmas",
        "perumahan_rakyat",
        "pekerjaan_umum",
    ]
    kes = {s["code"] for s in cat["fields"][0]["services"]}
    assert {"penimbangan_balita", "imunisasi", "kb"} <= kes
    assert all(f["services"] for f in cat["fields"])
    assert cat["strata"] == ["pratama", "madya", "purnama", "mandiri"]
    assert cat["min_pengurus_kader"] == 15
    assert set(cat["document_types"]) == {"berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"}

    monkeypatch.setattr(get_settings(), "posyandu_strata", ["dasar", "lanjut"])
    monkeypatch.setattr(get_settings(), "posyandu_service_catalog", {"sosial": {"bank_sampah": "Bank sampah"}})
    cat = client.get(f"{URL}/service-catalog", headers=pekalongan.headers).json()
    assert cat["strata"] == ["dasar", "lanjut"]
    assert [s["code"] for s in cat["fields"][2]["services"]] == ["bank_sampah"]
    assert client.post(URL, json={"region_code": KLEGO, "name": "X", "stratum": "madya"}, headers=pekalongan.headers).status_code == 422
    ok = client.post(
        URL,
        json={"region_code": KLEGO, "name": "X", "stratum": "lanjut", "services": {"sosial": ["bank_sampah"]}},
        headers=pekalongan.headers,
    )
    assert ok.status_code == 201, ok.text


def test_update_needs_if_match_and_refuses_stale(client, pekalongan):
    p = make(client, pekalongan)
    url = f"{URL}/{p['id']}"
    assert client.patch(url, json={"name": "A"}, headers=pekalongan.headers).status_code == 428
    r = client.patch(url, json={"name": "Posyandu Melati", "kader_count": 7}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"' and r.json()["name"] == "Posyandu Melati"
    stale = client.patch(url, json={"name": "Lost update"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current"]["name"] == "Posyandu Melati"
    assert client.get(url, headers=pekalongan.headers).json()["name"] == "Posyandu Melati"
    # a half coordinate pair is refused on update too; nulls for required fields as well
    assert client.patch(url, json={"latitude": -6.9}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    assert client.patch(url, json={"name": None}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    assert client.patch(url, json={"region_code": "33.75.01"}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    assert client.patch(url, json={"region_code": PIPITAN}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 403


def test_filters_sort_and_pagination(client, pekalongan, serang, admin):
    a = make(client, pekalongan, name="Posyandu Anggrek", services={"kesehatan": ["imunisasi"], "sosial": ["rujukan_bantuan_sosial"]})
    b = make(client, pekalongan, region=BENDAN_KERGON, name="Posyandu Bougenvil", is_active=False, address="RW 05 dekat masjid")
    c = make(client, pekalongan, name="Posyandu Cempaka Putih", services={"pendidikan": ["paud"]}, stratum="purnama")
    make(client, serang, region=PIPITAN, name="Posyandu Anggrek Serang")

    def names(who=pekalongan, **params):
        r = client.get(URL, params=params, headers=who.headers)
        assert r.status_code == 200, r.text
        return [p["name"] for p in r.json()["items"]], r.json()["total"]

    assert names() == (["Posyandu Bougenvil", "Posyandu Anggrek", "Posyandu Cempaka Putih"], 3)  # by village code, then name
    assert names(region="33.75.02") == (["Posyandu Anggrek", "Posyandu Cempaka Putih"], 2)
    assert names(region=KLEGO, sort="-name")[0] == ["Posyandu Cempaka Putih", "Posyandu Anggrek"]
    assert names(spm_field="kesehatan") == (["Posyandu Anggrek"], 1)
    assert names(spm_field="pendidikan") == (["Posyandu Cempaka Putih"], 1)
    assert names(spm_field="pekerjaan_umum") == ([], 0)
    assert names(active="false") == (["Posyandu Bougenvil"], 1)
    assert names(q="anggrek") == (["Posyandu Anggrek"], 1)  # Serang's namesake stays invisible
    assert names(q="masjid") == (["Posyandu Bougenvil"], 1)
    assert names(q="50%") == ([], 0)
    assert names(stratum="purnama") == (["Posyandu Cempaka Putih"], 1)
    assert names(status="unregistered")[1] == 3 and names(status="registered")[1] == 0
    assert names(pilot="true")[1] == 0 and names(pilot="false")[1] == 3
    page = client.get(URL, params={"limit": 2, "offset": 2, "sort": "name"}, headers=pekalongan.headers).json()
    assert page["total"] == 3 and [p["name"] for p in page["items"]] == ["Posyandu Cempaka Putih"]
    assert names(admin, q="anggrek")[1] == 2
    # region/status-only totals come from the region counters: they must equal the rows
    assert names(admin)[1] == 4 and names(admin, region="36")[1] == 1 and names(admin, status="unregistered")[1] == 4
    assert client.get(URL, params={"sort": "secret"}, headers=pekalongan.headers).status_code == 422
    assert client.get(URL, params={"spm_field": "olahraga"}, headers=pekalongan.headers).status_code == 422
    assert client.get(URL, params={"region": "36.73"}, headers=pekalongan.headers).status_code == 403
    assert {a["id"], b["id"], c["id"]}


def test_delete_rules(client, pekalongan):
    p = make(client, pekalongan)
    assert client.delete(f"{URL}/{p['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{URL}/{p['id']}", headers=pekalongan.headers).status_code == 404


def test_region_summary_counts_and_counters_equal_rebuild(client, db, pekalongan, admin):
    a = make(client, pekalongan, name="A", services={"kesehatan": ["imunisasi"], "sosial": ["rujukan_bantuan_sosial"]})
    b = make(client, pekalongan, region=BENDAN_KERGON, name="B", services={"kesehatan": ["kb"]})
    c = make(client, pekalongan, name="C", is_active=False)
    d = make(client, pekalongan, name="D")
    # edits that move counters: services, active flag, village
    r = client.patch(
        f"{URL}/{c['id']}",
        json={"is_active": True, "services": {"pekerjaan_umum": ["air_minum"]}},
        headers={**pekalongan.headers, "If-Match": '"1"'},
    )
    assert r.status_code == 200
    r = client.patch(
        f"{URL}/{a['id']}",
        json={"region_code": BENDAN_KERGON, "services": {"kesehatan": ["imunisasi"]}},
        headers={**pekalongan.headers, "If-Match": '"1"'},
    )
    assert r.status_code == 200
    assert client.delete(f"{URL}/{d['id']}", headers=pekalongan.headers).status_code == 204
    pilot = client.post("/api/v1/pilot-sites", json={"posyandu_id": b["id"], "start_date": "2025-01-01"}, headers=pekalongan.headers)
    assert pilot.status_code == 201

    s = client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]
    assert s["count"] == 3 and s["active"] == 3 and s["pilots"] == 1
    assert s["registration"] == {
        "registered": 0,
        "in_pipeline": 0,
        "unregistered": 3,
        "by_status": {"unregistered": 3, "proposed": 0, "verified": 0, "submitted": 0, "registered": 0, "returned": 0, "rejected": 0},
    }
    assert s["spm_coverage"] == {
        "kesehatan": 2,
        "pendidikan": 0,
        "sosial": 0,
        "trantibumlinmas": 0,
        "perumahan_rakyat": 0,
        "pekerjaan_umum": 1,
    }
    village = client.get(f"/api/v1/regions/{BENDAN_KERGON}/summary", headers=pekalongan.headers).json()["posyandu"]
    assert village["count"] == 2 and village["spm_coverage"]["kesehatan"] == 2
    assert client.get(f"/api/v1/regions/{KLEGO}/summary", headers=pekalongan.headers).json()["posyandu"]["count"] == 1
    national = client.get("/api/v1/regions/33/summary", headers=admin.headers).json()["posyandu"]
    assert national["count"] == 3

    incremental = stats.snapshot(db)
    stats.rebuild(db)
    assert stats.snapshot(db) == incremental


def test_audit_records_posyandu_writes_with_region(client, pekalongan):
    p = make(client, pekalongan)
    events = client.get("/api/v1/audit-events", params={"region": "33.75"}, headers=pekalongan.headers).json()["items"]
    mine = [e for e in events if e["entity_type"] == "posyandu" and e["entity_id"] == str(p["id"])]
    assert mine and mine[0]["region_code"] == KLEGO and mine[0]["action"] == "create"
