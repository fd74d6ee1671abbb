"""Team budgets: whole-rupiah amounts, allocations within the total, realizations within the
allocation (unless allow_overrun) and the fiscal year, roll-ups over region subtrees, region
summary counters, scope, ETag/If-Match, audit; and the seed demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pembina.kit.roles import ClientScope
from pembina.work_programs.demo import demo_budgets
from pembina.budgets.models import Budget
from pembina.stats import service as stats
from pembina.decrees.demo import demo_teams
from tests.isolation import mentions

API = "/api/v1"
URL = f"{API}/budgets"


def team(client, who, region_code="33.75"):
    r = client.post(f"{API}/teams", json={"region_code": region_code}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def budget(client, who, team_id, year=2025, source="apbd", total=1_000_000_000, **extra):
    body = {"team_id": team_id, "fiscal_year": year, "source": source, "total_amount": total, **extra}
    return client.post(URL, json=body, headers=who.headers)


def allocation(client, who, budget_id, amount, activity="Pembinaan Posyandu", **extra):
    return client.post(f"{URL}/{budget_id}/allocations", json={"activity": activity, "amount": amount, **extra}, headers=who.headers)


def realize(client, who, budget_id, allocation_id, amount, on="2025-03-01", **extra):
    url = f"{URL}/{budget_id}/allocations/{allocation_id}/realizations"
    return client.post(url, json={"realized_on": on, "amount": amount, **extra}, headers=who.headers)


def test_budget_with_allocation_and_realization(client, pekalongan):
    t = team(client, pekalongan)
    r = budget(client, pekalongan, t, notes="APBD 2025")
    assert r.status_code == 201, r.text
    b = r.json()
    assert r.headers["ETag"] == '"1"' and r.headers["Location"] == f"{URL}/{b['id']}"
    assert b["total_amount"] == 1_000_000_000 and b["allocated_amount"] == 0 and b["unallocated_amount"] == 1_000_000_000
    assert b["region_code"] == "33.75" and b["team_name"] == "TP Posyandu Kota Pekalongan" and b["allocations"] == []
    a = allocation(client, pekalongan, b["id"], 700_000_000, category="pembinaan")
    assert a.status_code == 201, a.text
    k = allocation(client, pekalongan, b["id"], 50_000_000, activity="Kelas ibu balita", spm_field="kesehatan")
    assert k.status_code == 201 and k.json()["spm_field"] == "kesehatan" and k.json()["category"] is None
    assert realize(client, pekalongan, b["id"], a.json()["id"], 250_000_000, description="Bimtek kader").status_code == 201
    detail = client.get(f"{URL}/{b['id']}", headers=pekalongan.headers)
    assert detail.status_code == 200 and detail.headers["ETag"] == '"1"'
    body = detail.json()
    assert (body["allocated_amount"], body["realized_amount"], body["unallocated_amount"]) == (750_000_000, 250_000_000, 250_000_000)
    first = body["allocations"][0]
    assert first["activity"] == "Pembinaan Posyandu" and first["category"] == "pembinaan" and first["spm_field"] is None
    assert (first["amount"], first["realized_amount"], first["remaining_amount"], first["percent_realized"]) == (
        700_000_000,
        250_000_000,
        450_000_000,
        35.7,
    )
    listed = client.get(f"{URL}/{b['id']}/allocations", headers=pekalongan.headers).json()
    assert [x["id"] for x in listed] == [a.json()["id"], k.json()["id"]]
    realizations = client.get(f"{URL}/{b['id']}/allocations/{a.json()['id']}/realizations", headers=pekalongan.headers).json()
    assert (
        realizations["total"] == 1
        and realizations["items"][0]["description"] == "Bimtek kader"
        and realizations["items"][0]["overrun"] is False
    )


@pytest.mark.parametrize("bad", [1.5, "100", True, -1, 10**15 + 1, 1e9])
def test_amounts_are_json_integers_only(client, pekalongan, bad):
    t = team(client, pekalongan)
    assert budget(client, pekalongan, t, total=bad).status_code == 422
    b = budget(client, pekalongan, t).json()
    r = allocation(client, pekalongan, b["id"], bad)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    a = allocation(client, pekalongan, b["id"], 1_000).json()
    assert realize(client, pekalongan, b["id"], a["id"], bad).status_code == 422
    assert client.get(f"{URL}/{b['id']}", headers=pekalongan.headers).json()["realized_amount"] == 0


def test_validation(client, pekalongan):
    t = team(client, pekalongan)
    assert budget(client, pekalongan, t, year=1999).status_code == 422
    assert budget(client, pekalongan, t, year="2025").status_code == 422
    assert budget(client, pekalongan, t, source="hibah").status_code == 422
    assert budget(client, pekalongan, t, notes="a\u0000b").status_code == 422
    assert budget(client, pekalongan, t, color="red").status_code == 422
    assert budget(client, pekalongan, 99_999_999).status_code == 422
    assert allocation(client, pekalongan, 99_999_999, 5).status_code == 404
    b = budget(client, pekalongan, t).json()
    assert allocation(client, pekalongan, b["id"], 0).status_code == 422
    assert allocation(client, pekalongan, b["id"], 5, activity="").status_code == 422
    assert allocation(client, pekalongan, b["id"], 5, spm_field="olahraga").status_code == 422
    assert allocation(client, pekalongan, b["id"], 5, category="hiburan").status_code == 422
    assert client.get(URL, params={"year": 1999}, headers=pekalongan.headers).status_code == 422
    assert client.get(URL, params={"sort": "amount"}, headers=pekalongan.headers).status_code == 422
    assert client.get(f"{URL}/rollup", params={"group_by": "team"}, headers=pekalongan.headers).status_code == 422
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 1


def test_one_budget_per_team_year_and_source(client, pekalongan):
    t = team(client, pekalongan)
    first = budget(client, pekalongan, t).json()
    again = budget(client, pekalongan, t)
    assert again.status_code == 409 and again.json()["existing_id"] == first["id"]
    assert budget(client, pekalongan, t, source="apbd_perubahan", total=None).status_code == 201
    assert budget(client, pekalongan, t, year=2026).status_code == 201


def test_allocations_stay_within_the_total(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t, total=1_000_000).json()
    a = allocation(client, pekalongan, b["id"], 700_000).json()
    over = allocation(client, pekalongan, b["id"], 300_001)
    assert over.status_code == 409 and "Rp 300.000" in over.json()["detail"] and over.json()["unallocated_amount"] == 300_000
    assert allocation(client, pekalongan, b["id"], 300_000).status_code == 201
    aurl = f"{URL}/{b['id']}/allocations/{a['id']}"
    assert client.patch(aurl, json={"amount": 700_001}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 409
    # lowering the total below what is allocated is refused; raising it is fine; an unknown total has no ceiling
    burl = f"{URL}/{b['id']}"
    assert client.patch(burl, json={"total_amount": 999_999}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 409
    r = client.patch(burl, json={"total_amount": None}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["total_amount"] is None and r.json()["unallocated_amount"] is None
    assert allocation(client, pekalongan, b["id"], 10**15).status_code == 201


def test_realizations_overrun_and_fiscal_year(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a = allocation(client, pekalongan, b["id"], 100_000).json()
    assert realize(client, pekalongan, b["id"], a["id"], 10, on="2024-12-31").status_code == 422
    assert realize(client, pekalongan, b["id"], a["id"], 10, on="2026-01-01").status_code == 422
    assert realize(client, pekalongan, b["id"], a["id"], 10, on="31-12-2025").status_code == 422
    assert realize(client, pekalongan, b["id"], a["id"], 60_000, on="2025-01-01").status_code == 201
    over = realize(client, pekalongan, b["id"], a["id"], 40_001, on="2025-12-31")
    assert over.status_code == 409 and over.json()["remaining_amount"] == 40_000 and "allow_overrun" in over.json()["detail"]
    assert realize(client, pekalongan, b["id"], a["id"], 40_000, on="2025-12-31").status_code == 201
    forced = realize(client, pekalongan, b["id"], a["id"], 5_000, allow_overrun=True)
    assert forced.status_code == 201 and forced.json()["overrun"] is True
    got = client.get(f"{URL}/{b['id']}/allocations/{a['id']}", headers=pekalongan.headers).json()
    assert (got["realized_amount"], got["remaining_amount"], got["percent_realized"]) == (105_000, -5_000, 105.0)
    # an allocation cannot drop below what is realized, unless explicitly allowed
    aurl = f"{URL}/{b['id']}/allocations/{a['id']}"
    assert client.patch(aurl, json={"amount": 90_000}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 409
    r = client.patch(aurl, json={"amount": 90_000, "allow_overrun": True}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["amount"] == 90_000 and r.headers["ETag"] == '"2"'
    # an allocation or budget with realizations is not deleted; a realization is
    assert client.delete(aurl, headers=pekalongan.headers).status_code == 409
    assert client.delete(f"{URL}/{b['id']}", headers=pekalongan.headers).status_code == 409
    rid = forced.json()["id"]
    assert client.delete(f"{aurl}/realizations/{rid}", headers=pekalongan.headers).status_code == 204
    assert client.delete(f"{aurl}/realizations/{rid}", headers=pekalongan.headers).status_code == 404
    assert client.get(aurl, headers=pekalongan.headers).json()["realized_amount"] == 100_000
    for item in client.get(f"{aurl}/realizations", headers=pekalongan.headers).json()["items"]:
        assert client.delete(f"{aurl}/realizations/{item['id']}", headers=pekalongan.headers).status_code == 204
    assert client.delete(f"{URL}/{b['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(aurl, headers=pekalongan.headers).status_code == 404


def test_etag_if_match(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    url = f"{URL}/{b['id']}"
    assert client.patch(url, json={"notes": "x"}, headers=pekalongan.headers).status_code == 428
    r = client.patch(url, json={"notes": "Revisi"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"' and r.json()["notes"] == "Revisi"
    stale = client.patch(url, json={"notes": "late"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current"]["notes"] == "Revisi"
    assert client.patch(url, json={"fiscal_year": 2026}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code == 422
    a = allocation(client, pekalongan, b["id"], 10).json()
    aurl = f"{URL}/{b['id']}/allocations/{a['id']}"
    assert client.patch(aurl, json={"activity": "Rakor"}, headers=pekalongan.headers).status_code == 428
    assert client.patch(aurl, json={"activity": None}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 422
    assert client.patch(aurl, json={"activity": "Rakor"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 200
    assert client.patch(aurl, json={"activity": "Rapat"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412


def test_scope(client, accounts, pekalongan, serang):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a = allocation(client, pekalongan, b["id"], 10).json()
    serang_team = team(client, serang, "36.73")
    assert budget(client, serang, serang_team, source="dak_non_fisik", total=None).status_code == 201
    assert client.get(f"{URL}/{b['id']}", headers=serang.headers).status_code == 404
    assert client.get(f"{URL}/{b['id']}/allocations/{a['id']}", headers=serang.headers).status_code == 404
    assert allocation(client, serang, b["id"], 5).status_code == 404
    assert realize(client, serang, b["id"], a["id"], 5).status_code == 404
    assert client.delete(f"{URL}/{b['id']}", headers=serang.headers).status_code == 404
    assert budget(client, serang, t, year=2030).status_code == 422  # Pekalongan's team does not exist for Serang
    listed = client.get(URL, headers=serang.headers).json()
    assert listed["total"] == 1 and not mentions(str(listed), "33.75")
    assert client.get(URL, params={"region": "33.75"}, headers=serang.headers).status_code == 403
    assert client.get(f"{URL}/rollup", params={"region": "33.75"}, headers=serang.headers).status_code == 403
    reader = accounts.client("33.75", ClientScope.read)
    assert client.get(f"{URL}/{b['id']}", headers=reader.headers).status_code == 200
    assert allocation(client, reader, b["id"], 5).status_code == 403
    assert budget(client, reader, t, year=2031).status_code == 403


def test_list_filters(client, admin, pekalongan):
    city, kalteng = team(client, pekalongan), team(client, admin, "62")
    district = team(client, pekalongan, "33.75.02")
    budget(client, pekalongan, city, source="apbd")
    budget(client, pekalongan, city, source="apbd_perubahan", total=None)
    budget(client, pekalongan, district, year=2026)
    budget(client, admin, kalteng, source="other")
    assert client.get(URL, headers=admin.headers).json()["total"] == 4
    assert client.get(URL, headers=pekalongan.headers).json()["total"] == 3
    assert client.get(URL, params={"region": "33.75.02"}, headers=pekalongan.headers).json()["total"] == 1
    assert client.get(URL, params={"year": 2025}, headers=pekalongan.headers).json()["total"] == 2
    assert client.get(URL, params={"source": "apbd_perubahan"}, headers=admin.headers).json()["total"] == 1
    assert client.get(URL, params={"team_id": kalteng}, headers=admin.headers).json()["items"][0]["region_code"] == "62"
    page = client.get(URL, params={"sort": "-total_amount", "limit": 2}, headers=pekalongan.headers).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["items"][0]["total_amount"] == 1_000_000_000


def test_rollup_by_source_field_and_year_over_a_subtree(client, admin, pekalongan):
    city, district, kalteng = team(client, pekalongan), team(client, pekalongan, "33.75.02"), team(client, admin, "62")
    apbd = budget(client, pekalongan, city, total=1_000).json()
    a1 = allocation(client, pekalongan, apbd["id"], 600, spm_field="kesehatan").json()
    a2 = allocation(client, pekalongan, apbd["id"], 300).json()
    realize(client, pekalongan, apbd["id"], a1["id"], 150)
    realize(client, pekalongan, apbd["id"], a2["id"], 300)
    dak = budget(client, pekalongan, district, source="dak_non_fisik", total=None).json()
    a3 = allocation(client, pekalongan, dak["id"], 200, spm_field="kesehatan").json()
    realize(client, pekalongan, dak["id"], a3["id"], 50)
    later = budget(client, pekalongan, city, year=2026, total=5_000).json()
    allocation(client, pekalongan, later["id"], 1_000, spm_field="pendidikan")
    k = budget(client, admin, kalteng, source="other", total=1_000_000_000).json()
    allocation(client, admin, k["id"], 700_000_000)

    by_source = client.get(f"{URL}/rollup", params={"year": 2025}, headers=pekalongan.headers).json()
    assert by_source["group_by"] == "source" and by_source["region_code"] == "33.75"
    assert by_source["rows"] == [
        {"key": "apbd", "budgeted": 1_000, "planned": 900, "realized": 450, "percent": 50.0},
        {"key": "dak_non_fisik", "budgeted": 0, "planned": 200, "realized": 50, "percent": 25.0},
    ]
    assert by_source["totals"] == {"budgets": 2, "budgeted": 1_000, "planned": 1_100, "realized": 500, "percent": 45.5}

    by_field = client.get(f"{URL}/rollup", params={"group_by": "spm_field"}, headers=pekalongan.headers).json()
    assert [(r["key"], r["budgeted"], r["planned"], r["realized"]) for r in by_field["rows"]] == [
        ("kesehatan", None, 800, 200),
        ("pendidikan", None, 1_000, 0),
        ("general", None, 300, 300),
    ]
    by_year = client.get(f"{URL}/rollup", params={"group_by": "year"}, headers=pekalongan.headers).json()
    assert [(r["key"], r["planned"], r["realized"]) for r in by_year["rows"]] == [("2025", 1_100, 500), ("2026", 1_000, 0)]
    subtree = client.get(f"{URL}/rollup", params={"region": "33.75.02"}, headers=pekalongan.headers).json()
    assert subtree["totals"] == {"budgets": 1, "budgeted": 0, "planned": 200, "realized": 50, "percent": 25.0}
    national = client.get(f"{URL}/rollup", params={"year": 2025, "group_by": "spm_field"}, headers=admin.headers).json()
    assert national["totals"]["planned"] == 700_001_100 and national["rows"][-1] == {
        "key": "general",
        "budgeted": None,
        "planned": 700_000_300,
        "realized": 300,
        "percent": 0.0,
    }
    empty = client.get(f"{URL}/rollup", params={"source": "dana_desa"}, headers=pekalongan.headers).json()
    assert empty["rows"] == [] and empty["totals"]["percent"] is None


def test_region_summary_counters_match_a_rebuild(client, db, pekalongan):
    city, district = team(client, pekalongan), team(client, pekalongan, "33.75.02")
    b = budget(client, pekalongan, city, total=1_000_000).json()
    a = allocation(client, pekalongan, b["id"], 400_000).json()
    realize(client, pekalongan, b["id"], a["id"], 100_000)
    d = budget(client, pekalongan, district, total=None).json()
    allocation(client, pekalongan, d["id"], 50_000)
    old = budget(client, pekalongan, city, year=2024, total=7).json()
    assert old["fiscal_year"] == 2024
    summary = client.get(f"{API}/regions/33.75/summary", headers=pekalongan.headers).json()["budgets"]
    assert summary == {"fiscal_year": 2025, "budgets": 2, "budgeted": 1_000_000, "planned": 450_000, "realized": 100_000, "percent": 22.2}
    assert client.get(f"{API}/regions/33.75.02/summary", headers=pekalongan.headers).json()["budgets"]["planned"] == 50_000
    assert client.get(f"{API}/regions/33.75.01/summary", headers=pekalongan.headers).json()["budgets"]["fiscal_year"] is None
    client.patch(f"{URL}/{b['id']}", json={"total_amount": 2_000_000}, headers={**pekalongan.headers, "If-Match": '"1"'})
    client.delete(f"{URL}/{old['id']}", headers=pekalongan.headers)
    assert client.get(f"{API}/regions/33/summary", headers=pekalongan.headers).status_code == 403
    incremental = {k: v for k, v in stats.snapshot(db).items() if k[1].startswith("budget.")}
    assert incremental[("33.75", "budget.2025.budgeted")] == 2_000_000
    assert ("33.75", "budget.2024.count") not in incremental
    stats.rebuild(db)
    assert {k: v for k, v in stats.snapshot(db).items() if k[1].startswith("budget.")} == incremental


def test_audit_and_changes(client, pekalongan):
    t = team(client, pekalongan)
    b = budget(client, pekalongan, t).json()
    a = allocation(client, pekalongan, b["id"], 10).json()
    r = realize(client, pekalongan, b["id"], a["id"], 10).json()
    client.patch(f"{URL}/{b['id']}", json={"notes": "Revisi"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    events = client.get(f"{API}/audit-events", params={"limit": 100}, headers=pekalongan.headers).json()["items"]
    kinds = {(e["entity_type"], e["action"], e["entity_id"]) for e in events}
    assert {
        ("budgets", "create", str(b["id"])),
        ("budgets", "update", str(b["id"])),
        ("budget_allocations", "create", str(a["id"])),
        ("budget_realizations", "create", str(r["id"])),
    } <= kinds
    update = next(e for e in events if e["entity_type"] == "budgets" and e["action"] == "update")
    assert update["before"]["notes"] is None and update["after"]["notes"] == "Revisi" and update["region_code"] == "33.75"
    feed = client.get(f"{API}/changes", params={"entity_type": "budget_realizations"}, headers=pekalongan.headers).json()
    assert [c["data"]["amount"] for c in feed["items"]] == [10]


def test_team_with_budget_cannot_be_deleted(client, pekalongan):
    t = team(client, pekalongan, "33.75.03")
    b = budget(client, pekalongan, t).json()
    r = client.delete(f"{API}/teams/{t}", headers=pekalongan.headers)
    assert r.status_code == 409 and "Budgets" in r.json()["detail"]
    assert client.delete(f"{URL}/{b['id']}", headers=pekalongan.headers).status_code == 204
    assert client.delete(f"{API}/teams/{t}", headers=pekalongan.headers).status_code == 204


def test_demo_budgets_from_the_seeds_are_idempotent(db):
    demo_teams(db)
    first, second = demo_budgets(db), demo_budgets(db)
    assert first == "demo budgets: 3 budgets and 4 work programs created"
    assert second == "demo budgets: 0 budgets and 0 work programs created"
    rows = {(b.region_code, b.fiscal_year, b.source): b.total_amount for b in db.scalars(select(Budget))}
    assert rows == {("62", 2025, "other"): 1_000_000_000, ("33.75", 2025, "apbd_perubahan"): None, ("36.73", 2025, "dak_non_fisik"): None}
    v = stats.values(db, "62")
    assert (v["budget.2025.budgeted"], v["budget.2025.planned"]) == (1_000_000_000, 700_000_000)
    assert stats.values(db, None)["budget.2025.count"] == 3
