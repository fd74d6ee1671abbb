"""Monthly trends (GET /regions/{code}/trends, /regions/trends) and the national compliance board
(GET /regions/compliance), through HTTP on both databases.

A trend's SK points must equal the compliance board replayed `as_of` each point's day (and its last point the
live board); its registration points replay the pipeline's steps taken at frozen past instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pembina.kit import clock
from pembina.summary.trends import month_ends
from tests.conftest import report_sk
from tests.test_compliance_api import _board, _sk, _team
from tests.test_registration_api import KLEGO, act, make, submitted_batch

API = "/api/v1"


def _trends(client, who, code="33.75", **params):
    r = client.get(f"{API}/regions/{code}/trends", params=params, headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _at(day: date) -> datetime:
    """Noon (WIB) of `day`, as an aware instant for clock.frozen()."""
    return datetime.combine(day, time(12), tzinfo=clock.zone()).astimezone(UTC)


def test_month_ends_are_the_last_days_then_today():
    days = month_ends(date(2026, 3, 7))
    assert len(days) == 12 and days[-1] == date(2026, 3, 7)
    assert days[0] == date(2025, 4, 30) and days[-2] == date(2026, 2, 28) and days[-3] == date(2026, 1, 31)


def test_sk_points_equal_the_board_replayed_at_each_month_end(client, pekalongan):
    p = month_ends(clock.today())
    a = _team(client, pekalongan, "33.75.02.1008")
    r = client.post(f"{API}/teams", json={"region_code": "33.75.02.1009", "formed_on": p[1].isoformat()}, headers=pekalongan.headers)
    assert r.status_code == 201, r.text
    _team(client, pekalongan, "33.75.01.1002")
    _sk(client, pekalongan, "33.75.02.1008", f"issue@{p[2]}", f"report@{p[5]}", f"verify@{p[7]}", team_id=a["id"])
    _sk(client, pekalongan, "33.75.01.1002", f"issue@{p[4]}", f"report@{p[6]}", f"return@{p[9]}")
    _sk(client, pekalongan, "33.75.03.1002", f"issue@{p[3]}")  # no team there: never counts

    t = _trends(client, pekalongan)
    assert t["region"]["code"] == "33.75" and t["level"] == "village" and t["expected"] == 27
    assert [pt["as_of"] for pt in t["points"]] == [d.isoformat() for d in p]
    assert t["points"][-1]["month"] == clock.today().strftime("%Y-%m")
    for pt, day in zip(t["points"], p, strict=True):
        board = _board(client, pekalongan, as_of=day.isoformat())["total"]
        got = (pt["with_team"], pt["issued"], pt["reported"], pt["verified"])
        assert got == (board["with_team"], board["issued"], board["reported"], board["verified"]), day
    live = _board(client, pekalongan)["total"]
    last = t["points"][-1]
    assert (last["with_team"], last["issued"], last["reported"], last["verified"]) == (3, 2, 1, 1)
    assert (live["with_team"], live["issued"], live["reported"], live["verified"]) == (3, 2, 1, 1)
    assert [pt["reported"] for pt in t["points"]] == [0, 0, 0, 0, 0, 1, 2, 2, 2, 1, 1, 1]
    assert [pt["with_team"] for pt in t["points"]][:3] == [0, 1, 2]

    # a kecamatan's own trend, and the same counted at district level from the city
    assert _trends(client, pekalongan, "33.75.02")["points"][-1]["reported"] == 1
    d = _trends(client, pekalongan, level="district")
    assert d["level"] == "district" and d["expected"] == 4 and d["points"][-1]["issued"] == 0
    # a village's own line: 0/1
    v = _trends(client, pekalongan, "33.75.02.1008")
    assert v["expected"] == 1 and [pt["verified"] for pt in v["points"]][6:8] == [0, 1]


def test_registration_points_replay_the_events(client, db, pekalongan):
    report_sk(db, KLEGO)
    p = month_ends(clock.today())
    with clock.frozen(_at(p[3] - timedelta(days=2))):
        _, (a, b) = submitted_batch(client, pekalongan)
    with clock.frozen(_at(p[6] - timedelta(days=2))):
        assert act(client, pekalongan, a, "register", registration_number="R-1").status_code == 200
    with clock.frozen(_at(p[8] - timedelta(days=2))):
        assert act(client, pekalongan, b, "return", reason="Data kader belum lengkap").status_code == 200
    make(client, pekalongan, name="Posyandu Baru")  # today, unregistered

    pts = _trends(client, pekalongan)["points"]
    got = [(pt["posyandu"], pt["registered"], pt["in_pipeline"]) for pt in pts]
    assert got == [(0, 0, 0)] * 3 + [(2, 0, 2)] * 3 + [(2, 1, 1)] * 2 + [(2, 1, 0)] * 3 + [(3, 1, 0)]
    summary = client.get(f"{API}/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]
    assert (summary["count"], summary["registration"]["registered"], summary["registration"]["in_pipeline"]) == got[-1]
    # the village and the kecamatan hold them; a sibling kecamatan none
    assert _trends(client, pekalongan, KLEGO)["points"][-1]["posyandu"] == 3
    assert _trends(client, pekalongan, "33.75.01")["points"][-1]["posyandu"] == 0


def test_trends_scope_and_bad_requests(client, pekalongan, admin):
    h = pekalongan.headers
    r = client.get(f"{API}/regions/36.73/trends", headers=h)
    assert r.status_code == 403 and r.json()["type"].endswith("out-of-scope")
    assert client.get(f"{API}/regions/33/trends", headers=h).status_code == 403
    r = client.get(f"{API}/regions/trends", headers=h)
    assert r.status_code == 403 and r.json()["type"].endswith("forbidden")
    assert client.get(f"{API}/regions/33.75/trends", params={"level": "province"}, headers=h).status_code == 422
    assert client.get(f"{API}/regions/33.75/trends", params={"level": "hamlet"}, headers=h).status_code == 422
    assert client.get(f"{API}/regions/33.75.09/trends", headers=h).status_code == 404

    n = client.get(f"{API}/regions/trends", params={"level": "province"}, headers=admin.headers)
    assert n.status_code == 200, n.text
    assert n.json()["region"] is None and n.json()["expected"] == 38 and len(n.json()["points"]) == 12


def test_national_board_has_every_province(client, pekalongan, admin):
    _team(client, pekalongan, "33.75.02.1008")
    _sk(client, pekalongan, "33.75.02.1008", "issue", "report")
    r = client.get(f"{API}/regions/compliance", headers=admin.headers)
    assert r.status_code == 200, r.text
    b = r.json()
    assert len(b["rows"]) == 38 and b["source"] == "counters" and b["level"] == "village"
    jateng = next(row for row in b["rows"] if row["region"]["code"] == "33")
    assert jateng["reported"] == 1 and jateng["region"]["name"]
    assert b["total"]["reported"] == 1 and b["total"]["expected"] == sum(row["expected"] for row in b["rows"])
    summary = client.get(f"{API}/regions/summary", headers=admin.headers).json()
    village = next(c for c in summary["compliance"] if c["level"] == "village")
    assert village["expected"] == b["total"]["expected"] and village["reported"] == 1

    today = clock.today().isoformat()
    replayed = client.get(f"{API}/regions/compliance", params={"as_of": today, "level": "regency"}, headers=admin.headers).json()
    assert replayed["source"] == "history" and replayed["total"]["expected"] == summary["counts"]["regencies"]

    r = client.get(f"{API}/regions/compliance", headers=pekalongan.headers)
    assert r.status_code == 403 and r.json()["type"].endswith("forbidden")
    future = (clock.today() + timedelta(days=3)).isoformat()
    assert client.get(f"{API}/regions/compliance", params={"as_of": future}, headers=admin.headers).status_code == 422
