"""Monthly 6-SPM activity reports (issue 22): lifecycle and roles, the due day and on time (holidays,
WIB midnight), counters equal to a recount after random writes, the board, trend, totals and the
posyandu that did not report. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from pembina.activity_reports import counters, fields
from pembina.config import get_settings
from pembina.kit import clock
from pembina.kit.roles import Role

URL = "/api/v1/activity-reports"
KLEGO = "33.75.02.1008"  # Kota Pekalongan, Kecamatan Pekalongan Timur
PONCOL = "33.75.02.1007"
BENDAN_KERGON = "33.75.01.1006"  # Kecamatan Pekalongan Barat
#: Mid-December 2026 in Jakarta: November is the month being reported.
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _december():
    with clock.frozen(NOW):
        yield


def posyandu(client, who, region=KLEGO, name="Posyandu Seruni", **extra):
    r = client.post("/api/v1/posyandu", json={"region_code": region, "name": name, **extra}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def report(client, who, pid, period="2026-11", **extra):
    r = client.post(URL, json={"posyandu_id": pid, "period": period, **extra}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def act(client, who, rid, action, reason=None):
    body = {"action": action} | ({"reason": reason} if reason else {})
    return client.post(f"{URL}/{rid}/transitions", json=body, headers=who.headers)


# -- the due day (no database) ---------------------------------------------------------


def test_due_day_skips_holidays_and_weekends(monkeypatch):
    monkeypatch.setattr(get_settings(), "activity_report_due_working_day", 1)
    # 1 January 2027 (Friday) is Tahun Baru, 2-3 January a weekend: December's report is due Monday the 4th
    assert fields.due_date("2026-12") == date(2027, 1, 4)
    monkeypatch.setattr(get_settings(), "activity_report_due_working_day", 10)
    assert fields.due_date("2026-10") == date(2026, 11, 13)
    # March 2026: Nyepi and Idul Fitri with cuti bersama (18-24 March) push the 15th working day from the 20th to the 27th
    monkeypatch.setattr(get_settings(), "activity_report_due_working_day", 15)
    assert fields.due_date("2026-02") == date(2026, 3, 27)
    assert fields.shift("2026-01", -1) == "2025-12" and fields.shift("2026-12", 1) == "2027-01"
    # a year lokal-id has no holidays for: weekends alone (1 January 2001 a Monday: the 10th working day is Friday the 12th)
    monkeypatch.setattr(get_settings(), "activity_report_due_working_day", 10)
    assert fields.due_date("2000-12") == date(2001, 1, 12)


def test_on_time_is_the_end_of_the_due_day_in_wib():
    due = date(2026, 12, 14)
    assert fields.on_time(datetime(2026, 12, 14, 16, 59, 59, tzinfo=UTC), due)  # 23:59:59 WIB
    assert not fields.on_time(datetime(2026, 12, 14, 17, 0, 0, tzinfo=UTC), due)  # 00:00 WIB on the 15th
    assert fields.on_time(datetime(2026, 12, 14, 0, 30, tzinfo=UTC), due)


# -- lifecycle and roles ----------------------------------------------------------------


def test_lifecycle_and_roles(client, accounts, pekalongan, monkeypatch):
    village = accounts.user(Role.village_operator, KLEGO)
    district = accounts.user(Role.district_operator, "33.75.02")
    viewer = accounts.user(Role.viewer, "33.75")
    other_village = accounts.user(Role.village_operator, PONCOL)
    pid = posyandu(client, pekalongan)

    assert client.post(URL, json={"posyandu_id": pid, "period": "2026-11"}, headers=viewer.headers).status_code == 403
    assert client.post(URL, json={"posyandu_id": pid, "period": "2026-11"}, headers=other_village.headers).status_code == 404
    assert client.post(URL, json={"posyandu_id": pid, "period": "2027-01"}, headers=village.headers).status_code == 422
    assert client.post(URL, json={"posyandu_id": pid, "period": "2026-13"}, headers=village.headers).status_code == 422
    bad = client.post(URL, json={"posyandu_id": pid, "period": "2026-11", "counts": {"kesehatan": {"nope": 1}}}, headers=village.headers)
    assert bad.status_code == 422 and "nope" in bad.text

    r = report(
        client,
        village,
        pid,
        days_open=2,
        kader_present=7,
        counts={"kesehatan": {"penimbangan_balita": 1, "balita_ditimbang": 42, "imunisasi": 0}},
        target_groups={"balita": 42, "ibu_hamil": 3},
    )
    assert r["status"] == "draft" and r["posyandu_name"] == "Posyandu Seruni" and r["region_code"] == KLEGO
    assert r["counts"] == {"kesehatan": {"penimbangan_balita": 1, "balita_ditimbang": 42}}
    assert r["active_fields"] == ["kesehatan"] and "balita_ditimbang" in r["questions"]["kesehatan"]
    assert r["due_date"] == fields.due_date("2026-11").isoformat() and r["on_time"] is None
    assert set(r["allowed_actions"]) == {"submit", "update", "delete"}
    rid = r["id"]
    dup = client.post(URL, json={"posyandu_id": pid, "period": "2026-11"}, headers=village.headers)
    assert dup.status_code == 409 and str(rid) in dup.text

    # PATCH needs If-Match; a stale one is a 412
    assert client.patch(f"{URL}/{rid}", json={"days_open": 3}, headers=village.headers).status_code == 428
    assert client.patch(f"{URL}/{rid}", json={"days_open": 3}, headers={**village.headers, "If-Match": '"9"'}).status_code == 412
    ok = client.patch(f"{URL}/{rid}", json={"days_open": 3}, headers={**village.headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["days_open"] == 3 and ok.headers["ETag"] == '"2"'

    assert act(client, district, rid, "accept").status_code == 409  # a draft is not accepted
    sub = act(client, village, rid, "submit")
    assert sub.status_code == 200 and sub.json()["status"] == "submitted" and sub.json()["on_time"] is True
    assert act(client, village, rid, "submit").status_code == 409
    refused = act(client, village, rid, "accept")  # the district accepts by default
    assert refused.status_code == 403
    assert client.get(f"{URL}/{rid}", headers=village.headers).json()["allowed_actions"] == ["update"]
    assert set(client.get(f"{URL}/{rid}", headers=district.headers).json()["allowed_actions"]) == {"accept", "return", "update"}
    assert client.delete(f"{URL}/{rid}", headers=village.headers).status_code == 409

    acc = act(client, district, rid, "accept")
    assert acc.status_code == 200 and acc.json()["status"] == "accepted" and acc.json()["decided_by"] == f"user:{district.id}"
    stale = client.patch(f"{URL}/{rid}", json={"notes": "x"}, headers={**village.headers, "If-Match": acc.headers["ETag"]})
    assert stale.status_code == 409  # accepted: only by a return
    assert act(client, pekalongan, rid, "return").status_code == 422  # a reason is required
    ret = act(client, pekalongan, rid, "return", "Jumlah balita tidak sesuai register")
    assert ret.status_code == 200 and ret.json()["status"] == "returned" and ret.json()["accepted_at"] is None
    fixed = client.patch(
        f"{URL}/{rid}",
        json={"counts": {"kesehatan": {"balita_ditimbang": 40}}},
        headers={**village.headers, "If-Match": ret.headers["ETag"]},
    )
    assert fixed.status_code == 200 and fixed.json()["active_fields"] == ["kesehatan"]
    again = act(client, village, rid, "submit")
    assert again.status_code == 200 and again.json()["on_time"] is True  # the first submission counts
    assert again.json()["first_submitted_at"] == sub.json()["first_submitted_at"]

    # acceptance by the village, when configured
    monkeypatch.setattr(get_settings(), "activity_report_acceptor", "village")
    assert act(client, village, rid, "accept").status_code == 200
    assert act(client, other_village, rid, "return", "x").status_code == 404

    # drafts are deleted; deleting is not for viewers
    pid2 = posyandu(client, pekalongan, name="Posyandu Mawar")
    d = report(client, village, pid2)
    assert client.delete(f"{URL}/{d['id']}", headers=viewer.headers).status_code == 403
    assert client.delete(f"{URL}/{d['id']}", headers=village.headers).status_code == 204
    assert client.get(f"{URL}/{d['id']}", headers=village.headers).status_code == 404


def test_idempotency_key_makes_one_report(client, pekalongan):
    pid = posyandu(client, pekalongan)
    headers = {**pekalongan.headers, "Idempotency-Key": "laporan-seruni-2026-11"}
    body = {"posyandu_id": pid, "period": "2026-11", "days_open": 1}
    first = client.post(URL, json=body, headers=headers)
    second = client.post(URL, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and second.headers.get("Idempotent-Replayed") == "true"
    assert client.get(URL, params={"posyandu_id": pid}, headers=pekalongan.headers).json()["total"] == 1


def test_inactive_posyandu_do_not_report_and_a_reporting_one_stays(client, pekalongan):
    pid = posyandu(client, pekalongan, is_active=False)
    assert client.post(URL, json={"posyandu_id": pid, "period": "2026-11"}, headers=pekalongan.headers).status_code == 409
    active = posyandu(client, pekalongan, name="Posyandu Melapor")
    report(client, pekalongan, active)
    gone = client.delete(f"/api/v1/posyandu/{active}", headers=pekalongan.headers)
    assert gone.status_code == 409 and gone.headers["content-type"] == "application/problem+json"  # its reports keep it


def test_on_time_at_the_due_day_midnight_wib(client, pekalongan):
    due = fields.due_date("2026-11")
    last_second = datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=clock.zone())
    a = report(client, pekalongan, posyandu(client, pekalongan, name="A"))
    b = report(client, pekalongan, posyandu(client, pekalongan, name="B"))
    with clock.frozen(last_second):
        assert act(client, pekalongan, a["id"], "submit").json()["on_time"] is True
    with clock.frozen(last_second + timedelta(seconds=1)):
        assert act(client, pekalongan, b["id"], "submit").json()["on_time"] is False
    with clock.frozen(last_second + timedelta(days=3)):
        board = client.get(f"{URL}/board", params={"region": "33.75.02", "period": "2026-11"}, headers=pekalongan.headers).json()
    assert (board["total"]["received"], board["total"]["on_time"]) == (2, 1)


# -- counters, board, trend, totals, missing -----------------------------------------


def test_counters_equal_a_recount_after_random_writes(client, db, pekalongan):
    rng = random.Random(22)
    villages = [KLEGO, PONCOL, BENDAN_KERGON]
    pids = [posyandu(client, pekalongan, region=villages[i % 3], name=f"P{i}") for i in range(6)]
    reports: dict[tuple[int, str], dict] = {}
    for _ in range(60):
        pid, period = rng.choice(pids), rng.choice(["2026-10", "2026-11"])
        r = reports.get((pid, period))
        if r is None:
            counts = {"kesehatan": {"imunisasi": rng.randint(0, 3)}, "sosial": {"rujukan_bantuan_sosial": rng.randint(0, 2)}}
            r = report(client, pekalongan, pid, period, counts=counts, target_groups={"lansia": rng.randint(0, 9)}, days_open=1)
        else:
            choice = rng.choice(["submit", "accept", "return", "edit", "delete"])
            if choice == "edit":
                body = {"counts": {"pendidikan": {"paud": rng.randint(0, 4)}}, "kader_present": rng.randint(0, 9)}
                resp = client.patch(f"{URL}/{r['id']}", json=body, headers={**pekalongan.headers, "If-Match": f'"{r["version"]}"'})
            elif choice == "delete":
                resp = client.delete(f"{URL}/{r['id']}", headers=pekalongan.headers)
                if resp.status_code == 204:
                    del reports[(pid, period)]
                    continue
            else:
                resp = act(client, pekalongan, r["id"], choice, "periksa lagi")
            assert resp.status_code in (200, 409), resp.text
            if resp.status_code == 200:
                r = resp.json()
        reports[(pid, period)] = r
    db.expire_all()
    kept = counters.snapshot(db)
    assert kept == counters.recount(db)
    assert any(m == counters.RECEIVED for _, _, m in kept)
    # the board and the totals read the same counters
    board = client.get(f"{URL}/board", params={"region": "33.75", "period": "2026-11"}, headers=pekalongan.headers).json()
    received = sum(1 for (_, p), r in reports.items() if p == "2026-11" and r["status"] != "draft")
    assert board["total"]["received"] == received == sum(row["received"] for row in board["rows"])
    counters.rebuild(db)
    assert counters.snapshot(db) == kept


def test_board_trend_services_and_missing(client, accounts, admin, pekalongan, serang):
    village = accounts.user(Role.village_operator, KLEGO)
    seruni = posyandu(client, pekalongan, name="Seruni")
    mawar = posyandu(client, pekalongan, name="Mawar")
    posyandu(client, pekalongan, region=BENDAN_KERGON, name="Melati")
    r = report(client, village, seruni, counts={"kesehatan": {"imunisasi": 2, "ibu_hamil_dilayani": 5}}, target_groups={"ibu_hamil": 5})
    act(client, village, r["id"], "submit")
    report(client, village, mawar)  # a draft is not received
    old = report(client, village, seruni, "2026-06", counts={"pendidikan": {"paud": 1}})
    act(client, village, old["id"], "submit")
    h = pekalongan.headers

    board = client.get(f"{URL}/board", headers=h).json()  # default: the caller's region, last month
    assert board["region"]["code"] == "33.75" and board["period"] == "2026-11"
    rows = {row["region"]["code"]: row for row in board["rows"]}
    assert (rows["33.75.02"]["expected"], rows["33.75.02"]["received"], rows["33.75.02"]["pct_received"]) == (2, 1, 50.0)
    assert (rows["33.75.01"]["expected"], rows["33.75.01"]["received"], rows["33.75.01"]["missing"]) == (1, 0, 1)
    assert (board["total"]["expected"], board["total"]["received"], board["total"]["on_time"]) == (3, 1, 1)

    nation = client.get(f"{URL}/board", params={"period": "2026-11"}, headers=admin.headers).json()
    assert nation["region"] is None and len(nation["rows"]) == 38
    central_java = next(row for row in nation["rows"] if row["region"]["code"] == "33")
    assert central_java["received"] == 1 and nation["total"]["received"] >= 1

    trend = client.get(f"{URL}/trend", params={"region": KLEGO}, headers=h).json()
    months = [m["period"] for m in trend["months"]]
    assert months[0] == "2025-12" and months[-1] == "2026-11" and len(months) == 12
    got = {m["period"]: m["received"] for m in trend["months"]}
    assert got["2026-11"] == 1 and got["2026-06"] == 1 and got["2026-07"] == 0

    totals = client.get(f"{URL}/services", params={"region": "33.75.02", "period": "2026-11"}, headers=h).json()
    health = next(f for f in totals["fields"] if f["field"] == "kesehatan")
    assert {s["code"]: s["total"] for s in health["services"]}["imunisasi"] == 2
    assert health["reports_with_activity"] == 1 and totals["target_groups"]["ibu_hamil"] == 5
    education = next(f for f in totals["fields"] if f["field"] == "pendidikan")
    assert education["reports_without_activity"] == 1
    # a village's sums come from its reports (its row keeps none); the nation's from the provinces
    klego = client.get(f"{URL}/services", params={"region": KLEGO, "period": "2026-11"}, headers=h).json()
    assert {s["code"]: s["total"] for s in klego["fields"][0]["services"]}["imunisasi"] == 2 and klego["received"] == 1
    assert klego["target_groups"]["ibu_hamil"] == 5 and klego["fields"][0]["reports_with_activity"] == 1
    national = client.get(f"{URL}/services", params={"period": "2026-11"}, headers=admin.headers).json()
    assert national["region"] is None and national["target_groups"]["ibu_hamil"] >= 5

    missing = client.get(f"{URL}/missing", params={"region": "33.75", "period": "2026-11"}, headers=h).json()
    assert {m["name"] for m in missing["items"]} == {"Mawar", "Melati"} and missing["total"] == 2
    assert next(m for m in missing["items"] if m["name"] == "Mawar")["report_status"] == "draft"
    idle = client.get(f"{URL}/missing", params={"period": "2026-11", "no_activity_in": "pendidikan"}, headers=h).json()
    assert [m["name"] for m in idle["items"]] == ["Seruni"]

    # another region's board, trend, totals and missing list are refused
    for path in ("board", "trend", "services", "missing"):
        assert client.get(f"{URL}/{path}", params={"region": "33.75"}, headers=serang.headers).status_code == 403
    assert "Seruni" not in client.get(f"{URL}/missing", headers=serang.headers).text
    fields_doc = client.get(f"{URL}/fields", headers=h).json()
    assert fields_doc["current_period"] == "2026-11" and len(fields_doc["fields"]) == 6


def test_expected_of_a_closed_month_stays_when_posyandu_are_deactivated_later(client, db, pekalongan):
    """The rule of `counters`: an open month (November, being reported, and December) is counted
    against today's active posyandu; a closed one (October) keeps what it was counted against."""
    h = pekalongan.headers
    seruni = posyandu(client, pekalongan, name="Seruni")
    mawar = posyandu(client, pekalongan, name="Mawar")
    for period in ("2026-10", "2026-11"):
        act(client, pekalongan, report(client, pekalongan, seruni, period)["id"], "submit")

    def klego(period):
        rows = client.get(f"{URL}/board", params={"region": "33.75.02", "period": period}, headers=h).json()["rows"]
        return next((r["expected"], r["received"], r["missing"]) for r in rows if r["region"]["code"] == KLEGO)

    assert klego("2026-10") == (2, 1, 1) and klego("2026-11") == (2, 1, 1)
    for pid in (seruni, mawar):
        r = client.patch(f"/api/v1/posyandu/{pid}", json={"is_active": False}, headers={**h, "If-Match": '"1"'})
        assert r.status_code == 200, r.text
    # October closed with two active posyandu: it keeps them; November follows today (none active),
    # but never counts fewer than it received
    assert klego("2026-10") == (2, 1, 1)
    assert klego("2026-11") == (1, 1, 0)
    assert klego("2026-09") == (0, 0, 0)  # nothing counted that month: today's count
    trend = {m["period"]: m for m in client.get(f"{URL}/trend", params={"region": KLEGO}, headers=h).json()["months"]}
    assert (trend["2026-10"]["expected"], trend["2026-10"]["pct_received"]) == (2, 50.0)
    assert (trend["2026-11"]["expected"], trend["2026-11"]["pct_received"]) == (1, 100.0)
    # a rebuild recounts the reports and keeps what closed months were counted against
    before = counters.expected_kept(db)
    assert before[(KLEGO, "2026-10")] == 2 and before[("33", "2026-10")] >= 2
    counters.rebuild(db)
    after = counters.expected_kept(db)
    assert after[(KLEGO, "2026-10")] == 2 and after[(KLEGO, "2026-11")] == 1
    assert klego("2026-10") == (2, 1, 1)


@pytest.mark.parametrize(
    "query", [{"period": "2026-1"}, {"region": "33.75.x"}, {"until": "1999-12"}, {"period": "9999-99"}, {"no_activity_in": "x"}]
)
def test_bad_queries_are_problems(client, pekalongan, query):
    for path in ("board", "trend", "services", "missing"):
        r = client.get(f"{URL}/{path}", params=query, headers=pekalongan.headers)
        assert r.status_code in (200, 422), r.text  # a parameter a path does not take is ignored
        assert r.status_code == 200 or r.headers["content-type"] == "application/problem+json"
