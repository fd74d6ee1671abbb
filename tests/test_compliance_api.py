"""The compliance board: live counters, as_of from history, deadlines, summary, rebuild, demo.

Only a region's TP Posyandu and the SKs that form it count (pembina.decrees.compliance): the
tests record the team of every region whose SK they expect to count. The rule itself, the
legacy structures and the board's invariant on random histories: tests/test_compliance_rule.py."""

from __future__ import annotations

from datetime import timedelta

from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.stats import service as stats

API = "/api/v1"


def _team(client, who, code):
    r = client.post(f"{API}/teams", json={"region_code": code}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _sk(client, who, code, *steps, team_id=None, subject="team_formation"):
    r = client.post(
        f"{API}/decrees", json={"region_code": code, "title": f"SK {code}", "team_id": team_id, "subject": subject}, headers=who.headers
    )
    assert r.status_code == 201, r.text
    d = r.json()
    for step in steps:
        action, _, eff = step.partition("@")
        body = {"action": action, "reason": "alasan"}
        if eff:
            body["effective_date"] = eff
        t = client.post(f"{API}/decrees/{d['id']}/transitions", json=body, headers=who.headers)
        assert t.status_code == 201, t.text
    return d


def _board(client, who, code="33.75", **params):
    r = client.get(f"{API}/regions/{code}/compliance", params=params, headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _row(board, code):
    return next(r for r in board["rows"] if r["region"]["code"] == code)


def test_board_counts_per_child_and_total(client, pekalongan):
    _team(client, pekalongan, "33.75.02.1008")
    _team(client, pekalongan, "33.75.02.1009")
    _team(client, pekalongan, "33.75.01.1002")
    _sk(client, pekalongan, "33.75.02.1008", "issue", "report")
    _sk(client, pekalongan, "33.75.02.1009", "issue")
    _sk(client, pekalongan, "33.75.01.1002", "issue", "report")
    _sk(client, pekalongan, "33.75.02.1010")  # a draft counts for nothing
    _sk(client, pekalongan, "33.75.02.1012", "issue", subject="posyandu_formation")  # not a team SK

    b = _board(client, pekalongan)
    assert b["source"] == "counters" and b["level"] == "village" and b["region"]["name"] == "Kota Pekalongan"
    assert [r["region"]["code"] for r in b["rows"]] == ["33.75.01", "33.75.02", "33.75.03", "33.75.04"]
    timur = _row(b, "33.75.02")
    assert (timur["expected"], timur["with_team"], timur["issued"], timur["reported"], timur["verified"], timur["missing"]) == (
        7,
        2,
        2,
        1,
        0,
        5,
    )
    assert timur["pct_issued"] == round(200 / 7, 1)
    t = b["total"]
    assert (t["expected"], t["with_team"], t["issued"], t["reported"], t["missing"], t["not_reported"]) == (27, 3, 3, 2, 24, 25)
    assert t["legacy_structures"] == 0
    missing = {m["code"]: m for m in b["missing_reports"]}
    assert len(missing) == b["missing_reports_total"] == 25
    assert "33.75.02.1008" not in missing and missing["33.75.02.1009"]["issued"] and missing["33.75.02.1009"]["has_team"]
    assert missing["33.75.04.1010"]["name"] == "Sokoduwet" and not missing["33.75.04.1010"]["has_team"]
    assert len(_board(client, pekalongan, missing_limit=3)["missing_reports"]) == 3

    # a district level board, and a board from the province for the city
    d = _board(client, pekalongan, level="district")
    assert d["total"]["expected"] == 4 and d["total"]["issued"] == 0
    prov = client.get(f"{API}/regions/33/compliance", headers=pekalongan.headers)
    assert prov.status_code == 403


def test_verify_return_and_revoke_move_the_counters(client, pekalongan, admin):
    _team(client, pekalongan, "33.75.03.1002")
    _team(client, pekalongan, "33.75.03.1003")
    d = _sk(client, pekalongan, "33.75.03.1002", "issue", "report")
    assert _board(client, pekalongan)["total"]["reported"] == 1
    client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "verify"}, headers=pekalongan.headers)
    assert _board(client, pekalongan)["total"]["verified"] == 1
    client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "revoke", "reason": "salah"}, headers=admin.headers)
    t = _board(client, pekalongan)["total"]
    assert (t["issued"], t["reported"], t["verified"]) == (0, 0, 0)
    e = _sk(client, pekalongan, "33.75.03.1003", "issue", "report", "return")
    assert _board(client, pekalongan)["total"]["issued"] == 1 and _board(client, pekalongan)["total"]["reported"] == 0
    # two SKs in one kelurahan still count it once
    _sk(client, pekalongan, "33.75.03.1003", "issue", "report")
    assert _board(client, pekalongan)["total"]["reported"] == 1 and e


def test_bad_board_requests(client, pekalongan):
    h = pekalongan.headers
    assert client.get(f"{API}/regions/33.75/compliance", params={"level": "regency"}, headers=h).status_code == 422
    assert client.get(f"{API}/regions/33.75/compliance", params={"level": "hamlet"}, headers=h).status_code == 422
    assert client.get(f"{API}/regions/33.75/compliance", params={"as_of": "2025-13-01"}, headers=h).status_code == 422
    future = (clock.today() + timedelta(days=5)).isoformat()
    assert client.get(f"{API}/regions/33.75/compliance", params={"as_of": future}, headers=h).status_code == 422
    assert client.get(f"{API}/regions/36.73/compliance", headers=h).status_code == 403
    assert client.get(f"{API}/regions/33.75.09/compliance", headers=h).status_code == 404
    assert client.get(f"{API}/regions/3x/compliance", headers=h).status_code == 422


def test_as_of_replays_the_history(client, pekalongan):
    # teams recorded today: each existed from its first SK (the SKs name no team: they form the TP Posyandu)
    for code in ("33.75.02.1008", "33.75.02.1009", "33.75.01.1002"):
        _team(client, pekalongan, code)
    _sk(client, pekalongan, "33.75.02.1008", "issue@2025-03-01", "report@2025-05-01", "verify@2025-07-01")
    d = _sk(client, pekalongan, "33.75.02.1009", "issue@2025-04-01", "report@2025-06-20")
    client.post(
        f"{API}/decrees/{d['id']}/transitions",
        json={"action": "revoke", "reason": "diganti", "effective_date": "2025-08-01"},
        headers=pekalongan.headers,
    )
    _sk(client, pekalongan, "33.75.01.1002", "issue@2025-06-25")

    def totals(as_of):
        t = _board(client, pekalongan, as_of=as_of)["total"]
        return t["with_team"], t["issued"], t["reported"], t["verified"]

    assert totals("2025-02-28") == (0, 0, 0, 0)
    assert totals("2025-03-01") == (1, 1, 0, 0)
    assert totals("2025-05-01") == (2, 2, 1, 0)
    assert totals("2025-06-25") == (3, 3, 2, 0)
    assert totals("2025-07-01") == (3, 3, 2, 1)
    assert totals("2025-08-01") == (3, 2, 1, 1)  # a revoked SK leaves its team standing
    b = _board(client, pekalongan, as_of="2025-06-25")
    assert b["source"] == "history" and b["as_of"] == "2025-06-25"
    assert _row(b, "33.75.02")["reported"] == 2 and _row(b, "33.75.01")["issued"] == 1
    assert {m["code"] for m in b["missing_reports"]} & {"33.75.02.1008", "33.75.02.1009"} == set()
    # today, from history, equals the live counters
    live, hist = _board(client, pekalongan), _board(client, pekalongan, as_of=clock.today().isoformat())
    assert live["rows"] == hist["rows"] and live["total"] == hist["total"] and live["missing_reports"] == hist["missing_reports"]


def test_deadlines_and_overdue(client, accounts, pekalongan, serang):
    _sk(client, pekalongan, "33.75.02.1008", "issue@2025-03-01", "report@2025-03-02")
    for code in ("33.75.02.1008", "33.75.02.1002", "33.75.02.1004", "33.75.02.1007", "33.75.02.1009", "33.75.02.1010", "33.75.02.1012"):
        _team(client, pekalongan, code)
    for code in ("33.75.02.1002", "33.75.02.1004", "33.75.02.1007", "33.75.02.1009", "33.75.02.1010", "33.75.02.1012"):
        _sk(client, pekalongan, code, "issue@2025-03-01", "report@2025-03-02")
    r = client.post(
        f"{API}/reporting-deadlines", json={"region_code": "33.75", "year": 2025, "due_date": "2025-06-30"}, headers=pekalongan.headers
    )
    assert r.status_code == 201, r.text
    dl = r.json()
    assert (
        client.post(
            f"{API}/reporting-deadlines", json={"region_code": "33.75", "year": 2025, "due_date": "2025-07-30"}, headers=pekalongan.headers
        ).status_code
        == 409
    )
    # a later deadline for one district overrides the city's
    sel = client.post(
        f"{API}/reporting-deadlines", json={"region_code": "33.75.04", "year": 2025, "due_date": "2025-09-30"}, headers=pekalongan.headers
    ).json()

    b = _board(client, pekalongan, as_of="2025-07-15")
    assert b["year"] == 2025
    assert _row(b, "33.75.01")["deadline"] == "2025-06-30" and _row(b, "33.75.01")["overdue"] is True
    assert _row(b, "33.75.02")["overdue"] is False  # all 7 kelurahan of Pekalongan Timur reported
    assert _row(b, "33.75.04")["deadline"] == "2025-09-30" and _row(b, "33.75.04")["overdue"] is False
    assert b["total"]["overdue"] is True
    missing = {m["code"]: m for m in b["missing_reports"]}
    assert missing["33.75.01.1002"]["overdue"] and not missing["33.75.04.1002"]["overdue"]
    before = _board(client, pekalongan, as_of="2025-06-01")
    assert before["total"]["overdue"] is False and _row(before, "33.75.01")["deadline"] == "2025-06-30"
    other_year = _board(client, pekalongan, as_of="2025-07-15", year=2026)
    assert other_year["total"]["deadline"] is None and other_year["total"]["overdue"] is False

    # CRUD, If-Match, scope, roles
    url = f"{API}/reporting-deadlines/{dl['id']}"
    assert client.get(url, headers=pekalongan.headers).headers["ETag"] == '"1"'
    assert client.patch(url, json={"due_date": "2025-07-31"}, headers=pekalongan.headers).status_code == 428
    assert client.patch(url, json={"due_date": "2025-07-31"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 200
    assert client.patch(url, json={"due_date": "2025-08-31"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    assert _row(_board(client, pekalongan, as_of="2025-07-15"), "33.75.01")["overdue"] is False
    assert client.get(url, headers=serang.headers).status_code == 404
    listed = client.get(f"{API}/reporting-deadlines", params={"year": 2025}, headers=pekalongan.headers).json()
    assert listed["total"] == 2
    klego = accounts.user(Role.village_operator, "33.75.02.1008")
    assert (
        client.post(
            f"{API}/reporting-deadlines",
            json={"region_code": "33.75.02.1008", "year": 2025, "due_date": "2025-06-30"},
            headers=klego.headers,
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{API}/reporting-deadlines", json={"region_code": "33.75", "year": 1900, "due_date": "2025-06-30"}, headers=pekalongan.headers
        ).status_code
        == 422
    )
    assert client.delete(f"{API}/reporting-deadlines/{sel['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{API}/reporting-deadlines/{sel['id']}", headers=pekalongan.headers).status_code == 404


def test_region_summary_has_compliance(client, pekalongan):
    _team(client, pekalongan, "33.75")
    _team(client, pekalongan, "33.75.02.1008")
    _sk(client, pekalongan, "33.75.02.1008", "issue", "report")
    s = client.get(f"{API}/regions/33.75/summary", headers=pekalongan.headers).json()
    levels = {c["level"]: c for c in s["compliance"]}
    assert list(levels) == ["regency", "district", "village"]
    assert levels["regency"]["expected"] == 1 and levels["regency"]["with_team"] == 1 and levels["regency"]["issued"] == 0
    assert levels["district"]["expected"] == 4
    v = levels["village"]
    assert (v["expected"], v["with_team"], v["issued"], v["reported"], v["missing"]) == (27, 1, 1, 1, 26)


def test_counters_equal_rebuild_after_api_writes(client, db, pekalongan, admin):
    t1 = _team(client, pekalongan, "33.75.02.1008")
    t2 = _team(client, pekalongan, "33.75.02")
    _team(client, admin, "62")
    d = _sk(client, pekalongan, "33.75.02.1008", "issue", "report", team_id=t1["id"])
    _sk(client, pekalongan, "33.75.02.1008", "issue")
    _team(client, pekalongan, "33.75.01.1002")
    _sk(client, pekalongan, "33.75.01.1002", "issue", "report", "verify")
    _sk(client, pekalongan, "33.75.04.1002", "issue", "report")  # no TP Posyandu: does not count
    _team(client, pekalongan, "33.75")
    e = _sk(client, admin, "33.75", "issue", "report", "verify")
    client.post(f"{API}/decrees/{e['id']}/transitions", json={"action": "revoke", "reason": "r"}, headers=admin.headers)
    client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "return", "reason": "r"}, headers=pekalongan.headers)
    client.patch(f"{API}/teams/{t2['id']}", json={"is_active": False}, headers={**pekalongan.headers, "If-Match": '"1"'})
    client.delete(f"{API}/teams/{t2['id']}", headers=pekalongan.headers)
    t3 = _team(client, pekalongan, "33.75.03.1002")
    client.patch(f"{API}/teams/{t3['id']}", json={"is_active": False}, headers={**pekalongan.headers, "If-Match": '"1"'})

    db.expire_all()
    incremental = {k: v for k, v in stats.snapshot(db).items() if k[1].startswith("compliance.")}
    assert incremental[("33.75", "compliance.village.issued")] == 2
    # the nation keeps no row of its own: its totals are its provinces', summed when read
    assert incremental[("62", "compliance.province.team")] == 1
    assert not any(code == "" for code, _ in incremental)
    assert stats.values(db, None, ["compliance.province.team"])["compliance.province.team"] >= 1
    stats.rebuild(db)
    rebuilt = {k: v for k, v in stats.snapshot(db).items() if k[1].startswith("compliance.")}
    assert incremental == rebuilt


def test_demo_board_for_kota_pekalongan_shows_22_of_27(client, db, pekalongan, serang, admin):
    from pembina.decrees.demo import demo_teams

    report = demo_teams(db)
    assert "22 of 27" in report
    db.commit()
    assert "0 teams and 0 decrees" in demo_teams(db)  # idempotent
    b = _board(client, pekalongan)
    t = b["total"]
    assert (t["expected"], t["with_team"], t["issued"], t["reported"], t["verified"], t["missing"]) == (27, 27, 22, 22, 0, 5)
    assert t["pct_reported"] == 81.5
    assert [m["code"] for m in b["missing_reports"]] == [
        "33.75.04.1003",
        "33.75.04.1004",
        "33.75.04.1006",
        "33.75.04.1008",
        "33.75.04.1010",
    ]
    assert all(m["has_team"] and not m["issued"] for m in b["missing_reports"])
    assert _board(client, pekalongan, as_of="2025-06-24")["total"]["reported"] == 0
    # as of the rakor: 22 of 27 reported, and so at least those 22 had their team (formed by the SK)
    rakor = _board(client, pekalongan, as_of="2025-06-25")["total"]
    assert (rakor["reported"], rakor["issued"]) == (22, 22) and rakor["with_team"] >= 22
    assert rakor["expected"] == 27 and rakor["pct_reported"] == 81.5
    assert _board(client, pekalongan, level="district")["total"]["with_team"] == 4
    city = client.get(f"{API}/teams", params={"region": "33.75", "level": "regency", "active": True}, headers=pekalongan.headers).json()[
        "items"
    ][0]
    members = client.get(f"{API}/teams/{city['id']}/members", headers=pekalongan.headers).json()
    assert {(m["position"], m["name"]) for m in members} == {("ketua", "Inggit Soraya"), ("sekretaris", "Puji Winarti")}
    sk = client.get(f"{API}/decrees", headers=serang.headers).json()["items"]
    assert [(d["title"].split(" tentang")[0], d["status"]) for d in sk] == [("Keputusan Wali Kota Serang No. 274 Tahun 2024", "issued")]
    assert client.get(f"{API}/teams", params={"region": "62"}, headers=admin.headers).json()["total"] == 1
