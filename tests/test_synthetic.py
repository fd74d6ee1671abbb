"""`pembina seed-synthetic`: marked benchmark data over real regions, never mixed with real data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pembina import synthetic
from pembina.activity_reports import counters as ar_counters
from pembina.activity_reports import fields
from pembina.activity_reports.models import ActivityReport
from pembina.decrees.models import Decree, DecreeTransition
from pembina.posyandu.models import Posyandu
from pembina.teams.models import Team

PEKALONGAN = "33.75"


def _count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_spreads_marked_data_and_roll_ups_match(db, client, admin):
    report = synthetic.seed(db, posyandu=200, region=PEKALONGAN)
    assert report.regions == 32  # the city, 4 districts, 27 kelurahan
    assert report.posyandu == 200 and report.teams == 32
    assert _count(db, Posyandu) == 200 and _count(db, Team) == 32
    assert _count(db, Posyandu, ~Posyandu.name.startswith(synthetic.MARK)) == 0
    assert _count(db, Decree, ~Decree.number.startswith(synthetic.MARK)) == 0
    per_village = db.execute(select(Posyandu.region_code, func.count()).group_by(Posyandu.region_code)).all()
    assert len(per_village) == 27 and {n for _, n in per_village} <= {7, 8}
    # every issued-or-later decree has its transition history, so as_of boards can replay it
    for d in db.scalars(select(Decree)):
        steps = _count(db, DecreeTransition, DecreeTransition.decree_id == d.id)
        assert steps == {"draft": 0, "issued": 1, "reported": 2, "verified": 3}[d.status]

    summary = client.get(f"/api/v1/regions/{PEKALONGAN}/summary", headers=admin.headers).json()
    assert summary["posyandu"]["count"] == 200
    registered = _count(db, Posyandu, Posyandu.registration_status == "registered")
    assert summary["posyandu"]["registration"]["registered"] == registered
    village = {c["level"]: c for c in summary["compliance"]}["village"]
    reported = db.scalar(
        select(func.count(func.distinct(Decree.region_code))).where(Decree.level == 4, Decree.status.in_(["reported", "verified"]))
    )
    assert village["with_team"] == 27 and village["reported"] == reported
    board = client.get(f"/api/v1/regions/{PEKALONGAN}/compliance", params={"level": "village"}, headers=admin.headers)
    assert board.status_code == 200, board.text
    nation = client.get("/api/v1/regions/summary", headers=admin.headers).json()
    assert nation["posyandu"]["count"] == 200

    # 12 months of activity reports for the active posyandu, the counters as a recount makes them
    active = _count(db, Posyandu, Posyandu.is_active.is_(True))
    reports = _count(db, ActivityReport)
    assert report.extra["activity reports"] == reports and 0.8 * 12 * active < reports <= 12 * active
    periods = db.scalars(select(ActivityReport.period).distinct().order_by(ActivityReport.period)).all()
    assert len(periods) == 12 and periods[-1] == fields.last_period()
    assert _count(db, ActivityReport, ~ActivityReport.notes.startswith(synthetic.MARK)) == 0
    assert ar_counters.snapshot(db) == ar_counters.recount(db)
    trend = client.get("/api/v1/activity-reports/trend", params={"region": PEKALONGAN}, headers=admin.headers).json()
    received = _count(db, ActivityReport, ActivityReport.status != "draft", ActivityReport.period == periods[-1])
    assert trend["months"][-1]["received"] == received > 0


def test_seed_is_deterministic_for_a_seed(db):
    first = synthetic.seed(db, posyandu=50, region="33.75.02", seed_value=7)
    names = db.scalars(select(Posyandu.name).order_by(Posyandu.id)).all()
    statuses = db.scalars(select(Decree.status).order_by(Decree.id)).all()
    synthetic.clear(db)
    second = synthetic.seed(db, posyandu=50, region="33.75.02", seed_value=7)
    assert first == second
    assert db.scalars(select(Posyandu.name).order_by(Posyandu.id)).all() == names
    assert db.scalars(select(Decree.status).order_by(Decree.id)).all() == statuses


def test_never_mixed_with_real_data(db, client, admin):
    real = client.post("/api/v1/teams", json={"region_code": "33.75.02.1008"}, headers=admin.headers)
    assert real.status_code == 201, real.text
    with pytest.raises(synthetic.SyntheticRefused, match="not synthetic"):
        synthetic.seed(db, posyandu=10, region=PEKALONGAN)
    assert _count(db, Posyandu) == 0 and _count(db, Team) == 1


def test_refuses_twice_and_clear_removes_only_synthetic(db):
    synthetic.seed(db, posyandu=30, region="33.75.01")
    with pytest.raises(synthetic.SyntheticRefused, match="--clear"):
        synthetic.seed(db, posyandu=30, region="33.75.01")
    removed = synthetic.clear(db)
    assert removed["posyandu"] == 30 and removed["teams"] > 0 and removed["activity reports"] > 0
    assert _count(db, ActivityReport) == 0 and ar_counters.snapshot(db) == {}
    assert _count(db, Posyandu) == _count(db, Team) == _count(db, Decree) == _count(db, DecreeTransition) == 0
    from pembina.stats import service as stats

    assert stats.values(db, "33.75.01").get("posyandu.total", 0) == 0


def test_needs_villages(db):
    with pytest.raises(synthetic.SyntheticRefused, match="no villages"):
        synthetic.seed(db, posyandu=10, region="99")


# -- budgets (backend/pembina/budgets/synthetic.py) ---------------------------------


def test_budgets_for_every_team_within_their_allocations(db, client, admin):
    from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization

    report = synthetic.seed(db, posyandu=40, region=PEKALONGAN)
    teams = dict(db.execute(select(Team.id, Team.level)).all())
    budgets = db.execute(select(Budget.team_id, Budget.source, Budget.fiscal_year, Budget.total_amount, Budget.notes, Budget.id)).all()
    assert sorted(b.team_id for b in budgets) == sorted(teams) and {b.fiscal_year for b in budgets} == {2025}
    assert all(b.notes.startswith(synthetic.MARK) for b in budgets)
    # Kota Pekalongan: kelurahan only, so every budget is the city's (or province's) APBD
    assert {b.source for b in budgets} == {"apbd"}
    planned = dict(
        db.execute(select(BudgetAllocation.budget_id, func.sum(BudgetAllocation.amount)).group_by(BudgetAllocation.budget_id)).all()
    )
    per_budget = dict(db.execute(select(BudgetAllocation.budget_id, func.count()).group_by(BudgetAllocation.budget_id)).all())
    for b in budgets:
        assert 1 <= per_budget[b.id] <= 3 and planned[b.id] <= b.total_amount
        lo, hi = {1: (500_000_000, 2_000_000_000), 2: (100_000_000, 500_000_000), 3: (25_000_000, 150_000_000), 4: (5_000_000, 50_000_000)}[
            teams[b.team_id]
        ]
        assert lo <= planned[b.id] <= hi, (teams[b.team_id], planned[b.id])
    spent = db.execute(
        select(
            BudgetAllocation.id,
            BudgetAllocation.amount,
            func.sum(BudgetRealization.amount),
            func.min(BudgetRealization.realized_on),
            func.max(BudgetRealization.realized_on),
        )
        .join(BudgetRealization, BudgetRealization.allocation_id == BudgetAllocation.id)
        .group_by(BudgetAllocation.id, BudgetAllocation.amount)
    ).all()
    allocations = sum(per_budget.values())
    assert 0.3 * allocations <= len(spent) <= 0.9 * allocations
    for _, amount, realized, first, last in spent:
        assert 0 < realized <= amount and first.year == last.year == 2025
    assert _count(db, BudgetRealization, ~BudgetRealization.description.startswith(synthetic.MARK)) == 0
    assert _count(db, BudgetAllocation, ~BudgetAllocation.activity.startswith(synthetic.MARK)) == 0
    assert report.extra["budgets"] == len(budgets) + allocations + _count(db, BudgetRealization)

    # the region summaries' budget section equals a live sum (the counters were rebuilt after the step)
    for code in (PEKALONGAN, "33.75.02", "33.75.02.1008"):
        live = lambda model, col: db.scalar(  # noqa: E731
            select(func.coalesce(func.sum(col), 0))
            .select_from(model)
            .join(Budget, Budget.id == model.budget_id)
            .where((Budget.region_code == code) | Budget.region_code.startswith(code + "."))
        )
        n = _count(db, Budget, (Budget.region_code == code) | Budget.region_code.startswith(code + "."))
        budgeted = db.scalar(
            select(func.sum(Budget.total_amount)).where((Budget.region_code == code) | Budget.region_code.startswith(code + "."))
        )
        body = client.get(f"/api/v1/regions/{code}/summary", headers=admin.headers).json()["budgets"]
        assert body["fiscal_year"] == 2025
        assert (body["budgets"], body["budgeted"], body["planned"], body["realized"]) == (
            n,
            budgeted,
            live(BudgetAllocation, BudgetAllocation.amount),
            live(BudgetRealization, BudgetRealization.amount),
        )
    roll = client.get("/api/v1/budgets/rollup", params={"region": PEKALONGAN, "year": 2025}, headers=admin.headers).json()
    summary = client.get(f"/api/v1/regions/{PEKALONGAN}/summary", headers=admin.headers).json()["budgets"]
    assert (roll["totals"]["planned"], roll["totals"]["realized"]) == (summary["planned"], summary["realized"])


def test_desa_budgets_come_from_the_village_and_clear_removes_them(db, client, admin):
    from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization

    synthetic.seed(db, posyandu=10, region="33.26.01")  # Kabupaten Pekalongan, Kecamatan Kandangserang: desa only
    villages = db.execute(select(Budget.source, Budget.region_code).join(Team, Team.id == Budget.team_id).where(Team.level == 4)).all()
    assert villages and {s for s, _ in villages} <= {"apbdes", "dana_desa"} and len({s for s, _ in villages}) == 2
    assert all(code.rsplit(".", 1)[-1].startswith("2") for _, code in villages)
    assert db.scalar(select(Budget.source).join(Team, Team.id == Budget.team_id).where(Team.level == 3)) == "apbd"

    removed = synthetic.clear(db)
    assert removed["budgets"] == len(villages) + 1
    assert _count(db, Budget) == _count(db, BudgetAllocation) == _count(db, BudgetRealization) == _count(db, Team) == 0
    body = client.get("/api/v1/regions/33.26.01/summary", headers=admin.headers).json()["budgets"]
    assert body["budgets"] == body["planned"] == body["realized"] == 0
