"""The budget roll-up from counters (issue 21): after random budget writes through the API
(budgets, totals changed, allocations added, resized, moved between SPM fields, deleted,
realizations added and deleted, budgets deleted) the kept `budget_totals` equal a recount of the
records, and `GET /budgets/rollup` answers exactly what adding up the records answers, for every
grouping, year and source filter, at the nation, a province, a city and a district. On SQLite
and PostgreSQL."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from sqlalchemy import text

from pembina.budgets import counters
from pembina.budgets import service as budgets
from pembina.budgets.schemas import BudgetScope, BudgetSource, RollupGroup
from pembina.kit.roles import Role
from pembina.kit.scope import Principal
from pembina.stats import service as stats

API = "/api/v1"
URL = f"{API}/budgets"
TEAMS = ["33.75", "33.75.02", "33.75.01.1006", "33.75.02.1008", "62.71"]
FIELDS = [None, "kesehatan", "pendidikan", "sosial"]
SOURCES = ["apbd", "dak_non_fisik", "dana_desa"]
YEARS = [2025, 2026]


def _team(client, who, code):
    r = client.post(f"{API}/teams", json={"region_code": code}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _ok(r, *codes):
    assert r.status_code in (codes or (200, 201, 204)), r.text
    return r


def test_rollup_from_counters_equals_the_records_after_random_writes(client, db, admin):
    rng = random.Random(21)
    teams = {code: _team(client, admin, code) for code in TEAMS}
    made: list[dict] = []  # budgets: {"id", "allocations": {id: {"version", "realizations": [ids]}}}
    for _ in range(70):
        move = rng.choice(
            ["budget", "alloc", "alloc", "realize", "realize", "resize", "refield", "total", "unrealize", "unalloc", "unbudget"]
        )
        if move == "budget" or not made:
            body = {
                "team_id": teams[rng.choice(TEAMS)],
                "fiscal_year": rng.choice(YEARS),
                "source": rng.choice(SOURCES),
                "total_amount": rng.choice([None, 900_000_000]),
            }
            r = client.post(URL, json=body, headers=admin.headers)
            if r.status_code == 409:  # that team already has that year's budget from that source
                continue
            made.append({"id": _ok(r).json()["id"], "year": body["fiscal_year"], "version": 1, "allocations": {}})
            continue
        b = rng.choice(made)
        allocs = b["allocations"]
        if move == "alloc" or not allocs:
            body = {"activity": "Pembinaan", "amount": rng.choice([1, 5_000_000, 40_000_000]), "spm_field": rng.choice(FIELDS)}
            r = _ok(client.post(f"{URL}/{b['id']}/allocations", json=body, headers=admin.headers), 201, 409)
            if r.status_code == 409:  # over the budget's total
                continue
            allocs[r.json()["id"]] = {"version": 1, "realizations": [], "amount": body["amount"]}
            continue
        aid = rng.choice(list(allocs))
        a = allocs[aid]
        base = f"{URL}/{b['id']}/allocations/{aid}"
        if move == "realize":
            body = {"realized_on": f"{b['year']}-05-01", "amount": rng.choice([1_000_000, 3_000_000]), "allow_overrun": True}
            a["realizations"].append(_ok(client.post(f"{base}/realizations", json=body, headers=admin.headers)).json()["id"])
        elif move == "unrealize" and a["realizations"]:
            _ok(client.delete(f"{base}/realizations/{a['realizations'].pop()}", headers=admin.headers))
        elif move in ("resize", "refield"):
            body = (
                {"amount": rng.choice([2_000_000, 60_000_000]), "allow_overrun": True}
                if move == "resize"
                else {"spm_field": rng.choice(FIELDS)}
            )
            r = _ok(client.patch(base, json=body, headers={**admin.headers, "If-Match": f'"{a["version"]}"'}), 200, 409)
            if r.status_code == 200:
                a["version"] = r.json()["version"]
        elif move == "total":
            body = {"total_amount": rng.choice([None, 5_000_000_000])}
            r = _ok(client.patch(f"{URL}/{b['id']}", json=body, headers={**admin.headers, "If-Match": f'"{b["version"]}"'}), 200, 409)
            if r.status_code == 200:  # (409: below what is allocated)
                b["version"] = r.json()["version"]
        elif move == "unalloc" and not a["realizations"]:
            _ok(client.delete(base, headers=admin.headers))
            del allocs[aid]
        elif move == "unbudget" and not any(x["realizations"] for x in allocs.values()):
            _ok(client.delete(f"{URL}/{b['id']}", headers=admin.headers))
            made.remove(b)

    db.expire_all()
    kept = counters.snapshot_totals(db)
    assert kept == counters.recount_totals(db)
    # the walk reached every kind of row: budgets, allocations of several fields, realizations
    assert any(k[3] == counters.BUDGETS for k in kept)
    assert len({k[3] for k in kept}) >= 3
    assert any(v["realizations"] for v in kept.values())

    national = Principal(kind="user", id=0, name="test", role=Role.national_admin, region_code=None)
    for region in (None, "33", "33.75", "33.75.02", "62.71"):
        for group in RollupGroup:
            for year in (None, *YEARS):
                for source in (None, BudgetSource.apbd, BudgetSource.dana_desa):
                    scope = BudgetScope(region=region, year=year, source=source)
                    assert budgets.rollup(db, national, scope, group) == budgets.rollup_from_records(db, national, scope, group), (
                        region,
                        group,
                        year,
                        source,
                    )
    # and through HTTP, as a city coordinator sees its own subtree
    params = {"group_by": "spm_field", "year": 2025}
    answer = client.get(f"{URL}/rollup", params=params, headers=admin.headers).json()
    scope = BudgetScope(year=2025)
    assert answer == budgets.rollup_from_records(db, national, scope, RollupGroup.spm_field).model_dump(mode="json")

    # a rebuild writes the same rows
    stats.rebuild(db)
    assert counters.snapshot_totals(db) == kept
    # and so does migration 0030's fill, on the same records
    db.execute(text("DELETE FROM budget_totals"))
    db.execute(text(_migration("0030").FILL))
    assert counters.snapshot_totals(db) == kept


def _migration(revision: str):
    path = next((Path(__file__).resolve().parent.parent / "migrations" / "versions").glob(f"*_{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("region", ["33", "33.75.02"])
def test_rollup_outside_the_callers_region_is_refused(client, accounts, region):
    serang = accounts.user(Role.regency_coordinator, "36.73")
    r = client.get(f"{URL}/rollup", params={"region": region}, headers=serang.headers)
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
