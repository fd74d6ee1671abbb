"""Competitions (lomba posyandu): criteria weights, entrants within the region, scores, ranking with
ties, finalize with winners and prizes, the lock afterwards."""

from __future__ import annotations

URL = "/api/v1/competitions"
SERANG = "36.73"
CRITERIA = [{"name": "Kelembagaan", "weight": 40}, {"name": "Layanan 6 SPM", "weight": 40}, {"name": "Administrasi", "weight": 20}]


def _posyandu(client, who, region, name):
    r = client.post("/api/v1/posyandu", json={"region_code": region, "name": name}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _competition(client, who, **extra):
    body = {
        "region_code": SERANG,
        "title": "Lomba Posyandu Tingkat Kota Serang 2025",
        "year": 2025,
        "category": "posyandu",
        "criteria": CRITERIA,
        **extra,
    }
    r = client.post(URL, json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _enter(client, who, cid, **body):
    r = client.post(f"{URL}/{cid}/entrants", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _scores(client, who, cid, entries):
    return client.put(
        f"{URL}/{cid}/scores", json={"scores": [{"entrant_id": e, "criterion": c, "score": s} for e, c, s in entries]}, headers=who.headers
    )


def test_weights_must_sum_to_100(client, serang):
    base = {"region_code": SERANG, "title": "Lomba", "year": 2025, "category": "posyandu"}
    for criteria in (
        [{"name": "A", "weight": 50}, {"name": "B", "weight": 40}],
        [{"name": "A", "weight": 50}, {"name": "a", "weight": 50}],
        [{"name": "A", "weight": 0}],
    ):
        r = client.post(URL, json={**base, "criteria": criteria}, headers=serang.headers)
        assert r.status_code == 422, r.text
    c = _competition(client, serang)
    assert c["status"] == "draft" and c["level"] == "regency" and c["entrant_count"] == 0 and c["entrants"] == []
    bad = client.patch(f"{URL}/{c['id']}", json={"criteria": [{"name": "A", "weight": 99}]}, headers=serang.headers | {"If-Match": '"1"'})
    assert bad.status_code == 422
    assert client.get(f"{URL}/{c['id']}", headers=serang.headers).json()["criteria"] == CRITERIA


def test_score_rank_finalize_and_lock(client, serang, pekalongan):
    a = _posyandu(client, serang, "36.73.03.1014", "Posyandu Anggrek")
    b = _posyandu(client, serang, "36.73.06.1012", "Posyandu Bougenville")
    z = _posyandu(client, serang, "36.73.06.1012", "Posyandu Cempaka")
    outside = _posyandu(client, pekalongan, "33.75.02.1008", "Posyandu Seruni")
    c = _competition(client, serang)
    cid = c["id"]
    ea, eb, ez = (_enter(client, serang, cid, posyandu_id=p)["id"] for p in (a, b, z))
    # a posyandu outside the region (or unknown) cannot enter; nor twice
    assert client.post(f"{URL}/{cid}/entrants", json={"posyandu_id": outside}, headers=serang.headers).status_code == 422
    assert client.post(f"{URL}/{cid}/entrants", json={"posyandu_id": a}, headers=serang.headers).status_code == 409
    assert client.post(f"{URL}/{cid}/entrants", json={"posyandu_id": a, "team_id": 1}, headers=serang.headers).status_code == 422
    # scores: 0..100, known criteria and entrants only
    assert _scores(client, serang, cid, [(ea, "Kelembagaan", 101)]).status_code == 422
    assert _scores(client, serang, cid, [(ea, "Keuangan", 80)]).status_code == 422
    assert _scores(client, serang, cid, [(999999, "Kelembagaan", 80)]).status_code == 422
    # Anggrek and Bougenville tie at 80.0: ordered by name; Cempaka 90
    r = _scores(
        client,
        serang,
        cid,
        [
            (ea, "Kelembagaan", 80),
            (ea, "Layanan 6 SPM", 80),
            (ea, "Administrasi", 80),
            (eb, "Kelembagaan", 100),
            (eb, "Layanan 6 SPM", 70),
            (eb, "Administrasi", 60),
            (ez, "Kelembagaan", 90),
            (ez, "Layanan 6 SPM", 90),
        ],
    )
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [(x["rank"], x["entrant"]["name"], x["entrant"]["total"]) for x in rows] == [
        (1, "Posyandu Anggrek", 80.0),
        (2, "Posyandu Bougenville", 80.0),
        (3, "Posyandu Cempaka", 72.0),
    ]
    assert rows[2]["entrant"]["complete"] is False
    assert client.get(f"{URL}/{cid}", headers=serang.headers).json()["status"] == "scoring"
    # finalizing needs every entrant fully scored
    assert client.post(f"{URL}/{cid}/finalize", json={}, headers=serang.headers).status_code == 409
    assert _scores(client, serang, cid, [(ez, "Administrasi", 90)]).status_code == 200
    ranking = client.get(f"{URL}/{cid}/ranking", headers=serang.headers).json()
    assert [x["entrant"]["name"] for x in ranking["rows"]] == ["Posyandu Cempaka", "Posyandu Anggrek", "Posyandu Bougenville"]
    assert ranking["final"] is False and ranking["rows"][0]["entrant"]["total"] == 90.0
    assert client.post(f"{URL}/{cid}/finalize", json={"prizes": [{"rank": 4, "prize": "x"}]}, headers=serang.headers).status_code == 422
    assert (
        client.post(
            f"{URL}/{cid}/finalize", json={"prizes": [{"rank": 1, "prize": "x"}, {"rank": 1, "prize": "y"}]}, headers=serang.headers
        ).status_code
        == 422
    )
    prizes = [{"rank": 1, "prize": "Juara I"}, {"rank": 2, "prize": "Juara II"}]
    before = client.get(f"{URL}/{cid}", headers=serang.headers).json()["allowed_actions"]
    assert before == ["update", "delete", "add_entrant", "score", "finalize"]
    listed = client.get(URL, params={"q": "Kota Serang"}, headers=serang.headers).json()["items"]
    assert listed and all("allowed_actions" in c for c in listed)
    assert client.get(f"{URL}/{cid}", headers=pekalongan.headers).status_code == 404
    assert client.post(f"{URL}/{cid}/finalize", json={"prizes": prizes}, headers=pekalongan.headers).status_code == 404
    fin = client.post(f"{URL}/{cid}/finalize", json={"prizes": prizes}, headers=serang.headers)
    assert fin.status_code == 200, fin.text
    body = fin.json()
    assert body["status"] == "final" and body["finalized_at"] and body["prizes"] == prizes
    # once final, only the title, notes (update) and delete are offered
    assert body["allowed_actions"] == ["update", "delete"]
    assert {e["name"]: e["final_rank"] for e in body["entrants"]} == {
        "Posyandu Cempaka": 1,
        "Posyandu Anggrek": 2,
        "Posyandu Bougenville": 3,
    }
    final = client.get(f"{URL}/{cid}/ranking", headers=serang.headers).json()
    assert final["final"] is True and [(x["rank"], x["prize"]) for x in final["rows"]] == [(1, "Juara I"), (2, "Juara II"), (3, None)]
    # locked: scores, entrants, criteria, status; title and notes still editable
    assert _scores(client, serang, cid, [(ea, "Kelembagaan", 100)]).status_code == 409
    assert (
        client.post(
            f"{URL}/{cid}/entrants",
            json={"posyandu_id": _posyandu(client, serang, "36.73.03.1014", "Posyandu Dahlia")},
            headers=serang.headers,
        ).status_code
        == 409
    )
    assert client.delete(f"{URL}/{cid}/entrants/{ea}", headers=serang.headers).status_code == 409
    assert client.post(f"{URL}/{cid}/finalize", json={}, headers=serang.headers).status_code == 409
    etag = client.get(f"{URL}/{cid}", headers=serang.headers).headers["ETag"]
    assert client.patch(f"{URL}/{cid}", json={"status": "open"}, headers=serang.headers | {"If-Match": etag}).status_code == 409
    ok = client.patch(f"{URL}/{cid}", json={"notes": "Pemenang diumumkan"}, headers=serang.headers | {"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["notes"] == "Pemenang diumumkan"
    # an entered posyandu cannot be deleted from under the result
    assert client.delete(f"/api/v1/posyandu/{a}", headers=serang.headers).status_code == 409
    events = client.get("/api/v1/audit-events", params={"entity_type": "competition_entrants", "limit": 100}, headers=serang.headers).json()
    assert events["total"] >= 3


def test_criteria_change_drops_removed_scores_and_status_rules(client, serang):
    p = _posyandu(client, serang, "36.73.03.1014", "Posyandu Anggrek")
    c = _competition(client, serang)
    e = _enter(client, serang, c["id"], posyandu_id=p)["id"]
    assert _scores(client, serang, c["id"], [(e, "Kelembagaan", 70), (e, "Administrasi", 50)]).status_code == 200
    etag = client.get(f"{URL}/{c['id']}", headers=serang.headers).headers["ETag"]
    r = client.patch(
        f"{URL}/{c['id']}", json={"criteria": [{"name": "Kelembagaan", "weight": 100}]}, headers=serang.headers | {"If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.json()["entrants"][0]["scores"] == {"Kelembagaan": 70} and r.json()["entrants"][0]["total"] == 70.0
    final = client.patch(f"{URL}/{c['id']}", json={"status": "final"}, headers=serang.headers | {"If-Match": r.headers["ETag"]})
    assert final.status_code == 422
    stale = client.patch(f"{URL}/{c['id']}", json={"title": "x"}, headers=serang.headers | {"If-Match": etag})
    assert stale.status_code == 412
    assert client.delete(f"{URL}/{c['id']}/entrants/{e}", headers=serang.headers).status_code == 204
    assert client.delete(f"{URL}/{c['id']}", headers=serang.headers).status_code == 204
    assert client.get(f"{URL}/{c['id']}", headers=serang.headers).status_code == 404


def test_team_entrants_lists_and_scope(client, serang, pekalongan, admin):
    team = client.post("/api/v1/teams", json={"region_code": "36.73.03"}, headers=serang.headers)
    assert team.status_code == 201, team.text
    own = client.post("/api/v1/teams", json={"region_code": SERANG}, headers=serang.headers).json()
    c = _competition(client, serang, category="tim_pembina")
    entrant = _enter(client, serang, c["id"], team_id=team.json()["id"])
    assert entrant["region_code"] == "36.73.03" and entrant["team_id"] == team.json()["id"]
    # the organising region's own team is not an entrant
    assert client.post(f"{URL}/{c['id']}/entrants", json={"team_id": own["id"]}, headers=serang.headers).status_code == 422
    _competition(client, serang, year=2024, title="Lomba Posyandu 2024")
    assert client.get(URL, params={"year": 2025}, headers=serang.headers).json()["total"] == 1
    assert client.get(URL, params={"category": "tim_pembina"}, headers=serang.headers).json()["items"][0]["entrant_count"] == 1
    assert client.get(URL, params={"level": "province"}, headers=serang.headers).json()["total"] == 0
    assert client.get(URL, params={"sort": "-year"}, headers=serang.headers).json()["items"][0]["year"] == 2025
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 0
    assert client.get(URL, params={"region": SERANG}, headers=pekalongan.headers).status_code == 403
    assert client.get(f"{URL}/{c['id']}/ranking", headers=pekalongan.headers).status_code == 404
    assert (
        client.post(URL, json={"region_code": SERANG, "title": "x", "year": 2025, "category": "x"}, headers=pekalongan.headers).status_code
        == 403
    )
    assert client.get(URL, params={"region": SERANG}, headers=admin.headers).json()["total"] == 2
