"""Pilot sites (percontohan 6 SPM): period, scorecard, comparison; and the seed demo data."""

from __future__ import annotations

from sqlalchemy import select

from pembina.pilots.demo import demo_posyandu
from pembina.posyandu.models import PilotSite, Posyandu
from pembina.stats import service as stats
from tests.isolation import mentions

URL = "/api/v1/pilot-sites"
KLEGO = "33.75.02.1008"
KANDANG_PANJANG = "33.75.03.1003"


def posyandu(client, who, region=KLEGO, name="Posyandu Seruni"):
    r = client.post("/api/v1/posyandu", json={"region_code": region, "name": name}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def pilot(client, who, pid, **extra):
    body = {"posyandu_id": pid, "start_date": "2025-01-01", "end_date": "2025-12-31", **extra}
    return client.post(URL, json=body, headers=who.headers)


def test_create_with_partial_null_scorecard(client, pekalongan):
    pid = posyandu(client, pekalongan)
    r = pilot(
        client,
        pekalongan,
        pid,
        scorecard={
            "kesehatan": {"baseline_score": 40, "current_score": 65, "evidence": "Laporan bulanan"},
            "sosial": {"baseline_score": None},
        },
        good_practices="Kelas ibu balita digabung dengan pendataan warga rentan.",
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["posyandu_name"] == "Posyandu Seruni" and body["village_name"] == "Klego" and body["region_code"] == KLEGO
    assert body["scorecard"]["kesehatan"] == {"baseline_score": 40, "current_score": 65, "change": 25, "evidence": "Laporan bulanan"}
    assert body["scorecard"]["sosial"] == {"baseline_score": None, "current_score": None, "change": None, "evidence": None}
    assert set(body["scorecard"]) == {"kesehatan", "pendidikan", "sosial", "trantibumlinmas", "perumahan_rakyat", "pekerjaan_umum"}
    got = client.get(f"{URL}/{body['id']}", headers=pekalongan.headers)
    assert got.json() == body and got.headers["ETag"] == '"1"'


def test_validation(client, pekalongan, serang):
    pid = posyandu(client, pekalongan)
    assert pilot(client, pekalongan, pid, scorecard={"kesehatan": {"current_score": 101}}).status_code == 422
    assert pilot(client, pekalongan, pid, scorecard={"kesehatan": {"current_score": -1}}).status_code == 422
    assert pilot(client, pekalongan, pid, scorecard={"olahraga": {"current_score": 1}}).status_code == 422
    assert pilot(client, pekalongan, pid, end_date="2024-12-31").status_code == 422
    assert pilot(client, pekalongan, 999999).status_code == 422
    assert pilot(client, serang, pid).status_code == 422  # another region's posyandu does not exist for Serang
    assert pilot(client, pekalongan, pid).status_code == 201
    assert pilot(client, pekalongan, pid, start_date="2025-06-01", end_date=None).status_code == 409  # overlapping period
    assert pilot(client, pekalongan, pid, start_date="2026-01-01", end_date=None).status_code == 201


def test_update_scorecard_with_if_match(client, pekalongan):
    pid = posyandu(client, pekalongan)
    s = pilot(client, pekalongan, pid, scorecard={"kesehatan": {"baseline_score": 40}}).json()
    url = f"{URL}/{s['id']}"
    assert client.patch(url, json={"notes": "x"}, headers=pekalongan.headers).status_code == 428
    r = client.patch(
        url,
        json={"scorecard": {"pendidikan": {"baseline_score": 10, "current_score": 30}}},
        headers={**pekalongan.headers, "If-Match": '"1"'},
    )
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    card = r.json()["scorecard"]
    assert card["kesehatan"]["baseline_score"] == 40 and card["pendidikan"]["change"] == 20  # merged per field
    assert client.patch(url, json={"notes": "late"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    assert client.patch(url, json={"end_date": "2024-01-01"}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422


def test_list_filters_comparison_and_counters(client, db, pekalongan, admin):
    a = posyandu(client, pekalongan)
    b = posyandu(client, pekalongan, region=KANDANG_PANJANG, name="Posyandu Kencono Wungu")
    c = posyandu(client, admin, region="36.73.03.1014", name="Posyandu Kelurahan Pipitan")
    pa = pilot(
        client, pekalongan, a, scorecard={"kesehatan": {"baseline_score": 50, "current_score": 70}, "sosial": {"current_score": 40}}
    ).json()
    pb = pilot(client, pekalongan, b, scorecard={"kesehatan": {"baseline_score": 30, "current_score": 90}}).json()
    pilot(client, admin, c, start_date="2024-01-01", end_date="2024-12-31", scorecard={"kesehatan": {"current_score": 100}})

    listed = client.get(URL, headers=pekalongan.headers).json()
    assert listed["total"] == 2 and not mentions(str(listed), "36.73")
    assert client.get(URL, params={"region": "33.75.03"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(URL, params={"q": "kencono"}, headers=pekalongan.headers).json()["items"][0]["id"] == pb["id"]
    assert client.get(URL, params={"active_on": "2025-06-01"}, headers=admin.headers).json()["total"] == 2
    assert client.get(URL, params={"year": 2024}, headers=admin.headers).json()["total"] == 1
    assert client.get("/api/v1/posyandu", params={"pilot": "true"}, headers=pekalongan.headers).json()["total"] == 2

    cmp = client.get(f"{URL}/comparison", params={"region": "33.75"}, headers=pekalongan.headers).json()
    assert [p["pilot_site_id"] for p in cmp["pilots"]] == [pa["id"], pb["id"]]
    assert cmp["fields"][0] == "kesehatan" and len(cmp["fields"]) == 6
    kes = cmp["by_field"]["kesehatan"]
    assert kes == {"pilots_scored": 2, "baseline_average": 40.0, "current_average": 80.0, "best_pilot_id": pb["id"]}
    assert cmp["by_field"]["sosial"]["pilots_scored"] == 1 and cmp["by_field"]["pendidikan"]["current_average"] is None
    national = client.get(f"{URL}/comparison", headers=admin.headers).json()
    assert national["by_field"]["kesehatan"]["pilots_scored"] == 3
    assert client.get(f"{URL}/comparison", params={"region": "36.73"}, headers=pekalongan.headers).status_code == 403

    assert client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]["pilots"] == 2
    # a pilot's posyandu cannot be deleted or moved; deleting the pilot updates the count
    assert client.delete(f"/api/v1/posyandu/{a}", headers=pekalongan.headers).status_code == 409
    assert (
        client.patch(
            f"/api/v1/posyandu/{a}", json={"region_code": KANDANG_PANJANG}, headers={**pekalongan.headers, "If-Match": "*"}
        ).status_code
        == 409
    )
    assert client.delete(f"{URL}/{pa['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{URL}/{pa['id']}", headers=pekalongan.headers).status_code == 404
    assert client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]["pilots"] == 1
    incremental = stats.snapshot(db)
    stats.rebuild(db)
    assert stats.snapshot(db) == incremental


def test_demo_data_from_the_seeds_is_idempotent(db):
    first = demo_posyandu(db)
    second = demo_posyandu(db)
    assert "6 created" in first and "pilot sites: 3 created" in first
    assert "0 created" in second
    sites = db.scalars(select(PilotSite).order_by(PilotSite.region_code)).all()
    assert {(s.posyandu.name, s.region_code) for s in sites} == {
        ("Posyandu Seruni", "33.75.02.1008"),
        ("Posyandu Kencono Wungu", "33.75.03.1003"),
        ("Posyandu Cempaka", "33.75.01.1006"),
    }
    assert all(s.scorecard == {} and str(s.start_date) == "2025-01-01" and str(s.end_date) == "2025-12-31" for s in sites)
    serang = db.scalars(select(Posyandu).where(Posyandu.region_code.like("36.73.%"))).all()
    assert {p.region_code for p in serang} == {"36.73.03.1014", "36.73.06.1012", "36.73.02.1009"}
    assert all(p.notes.startswith("DATA DEMO") for p in serang)
    assert stats.values(db, "33.75")["posyandu.pilots"] == 3
    assert stats.values(db, "36.73")["posyandu.total"] == 3
