"""The national tier (issue 17): the national TP Posyandu, national meetings (the Rakornas) with
each region's attendance, national competitions, and dates known only to their month.

Policy (pembina.auth.policy): national records are written by national accounts only; a national
meeting or competition is read by every account (a province coordinator: 403 on a write), the
national team by national accounts only (404 for anyone else). No counter counts them."""

from __future__ import annotations

from pembina.kit.roles import Role
from pembina.stats import service as stats

API = "/api/v1"


def _rakornas(client, who, **extra):
    # The seed (pekalongan.id) names the venue and Kota Pekalongan's attendance, not the date:
    # the month here is illustrative.
    body = {
        "region_code": None,
        "title": "Rapat Koordinasi Nasional Tim Pembina Posyandu",
        "held_on": "2025-09-01",
        "held_on_precision": "month",
        "venue": "Krakatau Ballroom Hotel Mercure Jakarta",
        "attendance": [{"region_code": "33.75", "participant_count": 2}, {"region_code": "36"}],
        **extra,
    }
    return client.post(f"{API}/meetings", json=body, headers=who.headers)


def _national_team(client, who):
    return client.post(f"{API}/teams", json={"region_code": None, "kind": "tp_posyandu"}, headers=who.headers)


def _province(accounts):
    return accounts.user(Role.province_coordinator, "33", username="tppos-jateng")


def test_national_team_by_a_national_admin_only(client, admin, accounts, pekalongan):
    jateng = _province(accounts)
    assert _national_team(client, jateng).status_code == 403
    r = _national_team(client, admin)
    assert r.status_code == 201, r.text
    team = r.json()
    assert team["region_code"] is None and team["level"] == "nation" and team["name"] == "TP Posyandu Nasional"
    assert "update" in team["allowed_actions"] and "add_decree" not in team["allowed_actions"]
    assert _national_team(client, admin).status_code == 409  # one national TP Posyandu
    url = f"{API}/teams/{team['id']}"
    r = client.patch(url, json={"notes": "Tim Pembina Posyandu Nasional"}, headers=admin.headers | {"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["notes"] == "Tim Pembina Posyandu Nasional"
    m = client.post(f"{url}/members", json={"position": "ketua", "name": "Ketua Nasional"}, headers=admin.headers)
    assert m.status_code == 201 and m.json()["region_code"] is None
    # the national team is read by national accounts only: to anyone else it does not exist
    for who in (jateng, pekalongan):
        assert client.get(url, headers=who.headers).status_code == 404
        assert client.patch(url, json={"notes": "x"}, headers=who.headers | {"If-Match": '"2"'}).status_code == 404
        assert team["id"] not in [t["id"] for t in client.get(f"{API}/teams", headers=who.headers).json()["items"]]
    listed = client.get(f"{API}/teams", params={"level": "nation"}, headers=admin.headers).json()["items"]
    assert [t["id"] for t in listed] == [team["id"]]
    # no budget nor SK for the national team (they are regions' records)
    r = client.post(f"{API}/budgets", json={"team_id": team["id"], "fiscal_year": 2025, "source": "apbd"}, headers=admin.headers)
    assert r.status_code == 422 and "national team" in r.text, r.text
    r = client.post(f"{API}/decrees", json={"region_code": "33", "title": "SK", "team_id": team["id"]}, headers=admin.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "team_id"], r.text


def test_rakornas_with_attendance_read_by_every_region_written_nationally(client, admin, accounts, pekalongan, serang):
    jateng = _province(accounts)
    assert _rakornas(client, jateng).status_code == 403
    assert _rakornas(client, pekalongan).status_code == 403
    r = _rakornas(client, admin)
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["region_code"] is None and m["level"] == "nation" and m["region_name"] is None
    assert m["held_on"] == "2025-09-01" and m["held_on_precision"] == "month"
    assert [(a["region_code"], a["level"], a["participant_count"]) for a in m["attendance"]] == [
        ("33.75", "regency", 2),
        ("36", "province", None),
    ]
    assert m["attendance"][0]["region_name"] and m["attendance_participants"] == 2
    url = f"{API}/meetings/{m['id']}"
    # every region reads it (in its list too), none may change it
    for who in (jateng, pekalongan, serang):
        got = client.get(url, headers=who.headers)
        assert got.status_code == 200 and got.json()["allowed_actions"] == []
        assert m["id"] in [x["id"] for x in client.get(f"{API}/meetings", headers=who.headers).json()["items"]]
        patch = client.patch(url, json={"title": "x"}, headers=who.headers | {"If-Match": f'"{m["version"]}"'})
        assert patch.status_code == 403
        assert client.delete(url, headers=who.headers).status_code == 403
        follow = client.post(f"{url}/follow-ups", json={"action": "x"}, headers=who.headers)
        assert follow.status_code == 403
    # a list asked for a region is that region's meetings only
    in_region = client.get(f"{API}/meetings", params={"region": "33.75"}, headers=pekalongan.headers).json()["items"]
    assert m["id"] not in [x["id"] for x in in_region]
    national = client.get(f"{API}/meetings", params={"level": "nation"}, headers=pekalongan.headers).json()["items"]
    assert [x["id"] for x in national] == [m["id"]]
    # the national admin changes it: a new attendance, the day now known
    r = client.patch(
        url,
        json={"held_on": "2025-09-16", "held_on_precision": "day", "attendance": [{"region_code": "33.75", "participant_count": 3}]},
        headers=admin.headers | {"If-Match": f'"{m["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["held_on_precision"] == "day" and [a["participant_count"] for a in r.json()["attendance"]] == [3]
    assert client.delete(url, headers=admin.headers).status_code == 204
    assert client.get(url, headers=pekalongan.headers).status_code == 404


def test_attendance_and_month_dates_are_checked(client, admin, pekalongan):
    r = _rakornas(client, admin, held_on="2025-09-16")  # month precision: the first of the month
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "held_on"]
    assert _rakornas(client, admin, attendance=[{"region_code": "99.99"}]).status_code == 422
    assert _rakornas(client, admin, attendance=[{"region_code": "33"}, {"region_code": "33"}]).status_code == 422
    # a city's meeting: attendance from under the city only
    body = {"region_code": "33.75", "title": "Rakor", "held_on": "2025-06-25", "attendance": [{"region_code": "36.73"}]}
    assert client.post(f"{API}/meetings", json=body, headers=pekalongan.headers).status_code == 422


def test_month_precision_round_trip_and_sorting(client, admin):
    july = _rakornas(client, admin, title="Juli", held_on="2025-07-01").json()
    day = _rakornas(client, admin, title="Hari", held_on="2025-07-15", held_on_precision="day").json()
    june = _rakornas(client, admin, title="Juni", held_on="2025-06-30", held_on_precision="day").json()
    got = client.get(f"{API}/meetings/{july['id']}", headers=admin.headers).json()
    assert (got["held_on"], got["held_on_precision"]) == ("2025-07-01", "month")
    items = client.get(f"{API}/meetings", params={"level": "nation", "sort": "held_on"}, headers=admin.headers).json()["items"]
    assert [x["id"] for x in items] == [june["id"], july["id"], day["id"]]  # a month sorts as its first day
    # as-of filters take it as its first day too
    since = client.get(f"{API}/meetings", params={"level": "nation", "held_from": "2025-07-01"}, headers=admin.headers).json()["items"]
    assert {x["id"] for x in since} == {july["id"], day["id"]}
    upto = client.get(f"{API}/meetings", params={"level": "nation", "held_to": "2025-06-30"}, headers=admin.headers).json()["items"]
    assert [x["id"] for x in upto] == [june["id"]]


def test_national_competition(client, admin, accounts, pekalongan):
    jateng = _province(accounts)
    body = {"region_code": None, "title": "Lomba Posyandu Tingkat Nasional 2025", "year": 2025, "category": "posyandu_6_spm"}
    assert client.post(f"{API}/competitions", json=body, headers=jateng.headers).status_code == 403
    r = client.post(f"{API}/competitions", json=body, headers=admin.headers)
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["region_code"] is None and c["level"] == "nation"
    url = f"{API}/competitions/{c['id']}"
    # entrants from any province: a city's team
    team = client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=pekalongan.headers).json()
    r = client.post(f"{url}/entrants", json={"team_id": team["id"]}, headers=admin.headers)
    assert r.status_code == 201, r.text
    r = client.patch(url, json={"notes": "Kemendagri"}, headers=admin.headers | {"If-Match": f'"{c["version"]}"'})
    assert r.status_code == 200 and r.json()["notes"] == "Kemendagri"
    # read by every region, changed by none
    got = client.get(url, headers=pekalongan.headers)
    assert got.status_code == 200 and got.json()["title"] == body["title"]
    assert c["id"] in [x["id"] for x in client.get(f"{API}/competitions", headers=pekalongan.headers).json()["items"]]
    assert client.patch(url, json={"notes": "x"}, headers=jateng.headers | {"If-Match": '"2"'}).status_code == 403
    assert client.post(f"{url}/entrants", json={"team_id": team["id"]}, headers=pekalongan.headers).status_code in (403, 409)


def _board(client, who):
    return {
        code: client.get(f"{API}/regions/{code}/compliance", params=params, headers=who.headers).json()
        for code, params in (("33", {"level": "regency"}), ("33.75", {}), ("33.75", {"as_of": "2025-06-25"}))
    }


def test_national_records_change_no_board_nor_counter(client, db, admin, pekalongan):
    # a city's TP Posyandu: the board counts it
    assert client.post(f"{API}/teams", json={"region_code": "33.75"}, headers=pekalongan.headers).status_code == 201
    before = _board(client, admin), client.get(f"{API}/regions/summary", headers=admin.headers).json()
    province_summary = client.get(f"{API}/regions/33/summary", headers=admin.headers).json()
    assert _national_team(client, admin).status_code == 201
    assert client.post(f"{API}/teams", json={"region_code": None, "kind": "pokjanal_posyandu"}, headers=admin.headers).status_code == 201
    assert _rakornas(client, admin).status_code == 201
    body = {"region_code": None, "title": "Lomba Nasional", "year": 2025, "category": "posyandu_6_spm"}
    assert client.post(f"{API}/competitions", json=body, headers=admin.headers).status_code == 201
    after = _board(client, admin), client.get(f"{API}/regions/summary", headers=admin.headers).json()
    assert after == before
    assert client.get(f"{API}/regions/33/summary", headers=admin.headers).json() == province_summary
    stats.rebuild(db)  # the counters rebuilt from the tables: the national records count nowhere either
    assert (_board(client, admin), client.get(f"{API}/regions/summary", headers=admin.headers).json()) == before


def test_national_records_export_and_feed_by_scope(client, admin, pekalongan):
    team = _national_team(client, admin).json()
    meeting = _rakornas(client, admin).json()
    for path in ("/exports/teams", "/exports/meetings", "/exports/competitions"):
        for fmt in ("csv", "xlsx"):
            r = client.get(f"{API}{path}", params={"format": fmt}, headers=admin.headers)
            assert r.status_code == 200, (path, fmt, r.text[:300])
    csv = client.get(f"{API}/exports/meetings", params={"format": "csv"}, headers=pekalongan.headers)
    assert csv.status_code == 200 and "Krakatau Ballroom" in csv.text  # a national meeting is read by every region
    csv = client.get(f"{API}/exports/teams", params={"format": "csv"}, headers=pekalongan.headers)
    assert csv.status_code == 200 and "TP Posyandu Nasional" not in csv.text
    # the change feed follows region scope: national records reach national readers only
    feed = client.get(f"{API}/changes", params={"limit": 500}, headers=admin.headers).json()["items"]
    assert {("teams", str(team["id"])), ("meetings", str(meeting["id"]))} <= {(e["entity_type"], e["entity_id"]) for e in feed}
    regional = client.get(f"{API}/changes", params={"limit": 500}, headers=pekalongan.headers).json()["items"]
    assert str(team["id"]) not in [e["entity_id"] for e in regional if e["entity_type"] == "teams"]
