"""Synthetic budgets for `pembina seed-synthetic`: one fiscal-year-2025 budget per synthetic team.

Villages (desa) are funded from their APBDes or Dana Desa, kelurahan (urban villages, whose
Kemendagri code's last part starts with 1) and districts from the regency's APBD, regencies and
provinces from their own APBD. Each budget has 1–3 allocations in distinct SPM fields, in whole
thousands of rupiah sized by level (a village Rp 5–50 juta, a regency Rp 100–500 juta, a province
Rp 0.5–2 miliar), and about 60% of the allocations have one or two realizations dated in 2025
that never exceed the allocation. Every row is marked: budget notes, allocation activities and
realization descriptions start with `[SINTETIS]`. The per-region budget counters are rebuilt by
`stats.rebuild` at the end of the seed (the `budgets` counter source).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pembina.kit import bulk
from pembina import synthetic
from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization
from pembina.budgets.schemas import AllocationCategory
from pembina.kit.db import rowcount, utcnow
from pembina.posyandu.catalog import SPM_FIELDS, SPM_LABELS

MARK = synthetic.MARK
FISCAL_YEAR = 2025
#: Total allocations of a budget, in juta (millions of) rupiah, by region level (1 province … 4 village).
RANGE_JUTA = {1: (500, 2000), 2: (100, 500), 3: (25, 150), 4: (5, 50)}
#: Chance that an allocation has realizations.
REALIZED_SHARE = 0.6
#: Kesehatan first: nearly every team funds it.
FIELD_WEIGHTS = {"kesehatan": 6.0, "pendidikan": 2.0, "sosial": 1.5, "trantibumlinmas": 0.8, "perumahan_rakyat": 0.7, "pekerjaan_umum": 1.0}


@dataclass(frozen=True)
class _Plan:
    team_id: int
    region_code: str
    source: str
    total: int
    #: (spm field, category, amount, realizations as (day, amount))
    allocations: list[tuple[str, str, int, list[tuple[date, int]]]]


def _source(rng: random.Random, code: str, level: int) -> str:
    if level == 4 and code.rsplit(".", 1)[-1].startswith("2"):  # a desa: its own village budget
        return "apbdes" if rng.random() < 0.55 else "dana_desa"
    return "apbd"


def _fields(rng: random.Random, k: int) -> list[str]:
    pool = list(SPM_FIELDS)
    out: list[str] = []
    for _ in range(k):
        f = rng.choices(pool, weights=[FIELD_WEIGHTS[p] for p in pool], k=1)[0]
        pool.remove(f)
        out.append(f)
    return out


def _split(rng: random.Random, total: int, k: int) -> list[int]:
    """`total` (whole thousands) in `k` positive parts of whole thousands."""
    units = total // 1000
    cuts = sorted(rng.sample(range(1, units), k - 1))
    return [(b - a) * 1000 for a, b in zip([0, *cuts], [*cuts, units], strict=True)]


def _realizations(rng: random.Random, amount: int) -> list[tuple[date, int]]:
    if rng.random() >= REALIZED_SHARE:
        return []
    spent = amount * rng.randint(40, 100) // 100 // 1000 * 1000
    if spent <= 0:
        return []
    parts = [spent] if spent < 2000 or rng.random() < 0.5 else _split(rng, spent, 2)
    days = sorted(date(FISCAL_YEAR, 2, 1) + timedelta(days=rng.randint(0, 320)) for _ in parts)
    return list(zip(days, parts, strict=True))


def _plans(ctx: synthetic.SeedContext) -> list[_Plan]:
    rng, out = ctx.rng, []
    for team_id, code, level in ctx.teams:
        lo, hi = RANGE_JUTA[level]
        planned = rng.randint(lo * 1000, hi * 1000) * 1000
        k = rng.randint(1, 3)
        allocs = [
            (f, rng.choice(list(AllocationCategory)).value, amount, _realizations(rng, amount))
            for f, amount in zip(_fields(rng, k), _split(rng, planned, k), strict=True)
        ]
        total = planned + rng.randint(0, planned // 5 // 1000) * 1000  # some of the ceiling left unallocated
        out.append(_Plan(team_id, code, _source(rng, code, level), total, allocs))
    return out


def seed_budgets(ctx: synthetic.SeedContext) -> int:
    """Insert the budgets, then their allocations and realizations (ids read back by team and field)."""
    session, now = ctx.session, utcnow()
    plans = _plans(ctx)
    n = bulk.insert_rows(
        session,
        Budget.__table__,
        (
            {
                "team_id": p.team_id,
                "region_code": p.region_code,
                "fiscal_year": FISCAL_YEAR,
                "source": p.source,
                "total_amount": p.total,
                "notes": f"{MARK} Anggaran pembinaan posyandu tahun {FISCAL_YEAR}.",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for p in plans
        ),
        progress=ctx.progress,
    )
    budget_of = dict(session.execute(select(Budget.team_id, Budget.id).where(Budget.notes.startswith(MARK))).all())

    def allocation_rows() -> Iterator[dict[str, object]]:
        for p in plans:
            for field, category, amount, _ in p.allocations:
                yield {
                    "budget_id": budget_of[p.team_id],
                    "region_code": p.region_code,
                    "activity": f"{MARK} Pembinaan posyandu bidang {SPM_LABELS[field]}"[:300],
                    "spm_field": field,
                    "category": category,
                    "amount": amount,
                    "notes": None,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }

    n += bulk.insert_rows(session, BudgetAllocation.__table__, allocation_rows(), progress=ctx.progress)
    alloc_of = {
        (b, f): a
        for a, b, f in session.execute(
            select(BudgetAllocation.id, BudgetAllocation.budget_id, BudgetAllocation.spm_field).where(
                BudgetAllocation.activity.startswith(MARK)
            )
        )
    }

    def realization_rows() -> Iterator[dict[str, object]]:
        for p in plans:
            b = budget_of[p.team_id]
            for field, _, _, spent in p.allocations:
                for day, amount in spent:
                    yield {
                        "allocation_id": alloc_of[(b, field)],
                        "budget_id": b,
                        "region_code": p.region_code,
                        "realized_on": day,
                        "amount": amount,
                        "description": f"{MARK} Realisasi kegiatan",
                        "overrun": False,
                        "created_at": now,
                    }

    return n + bulk.insert_rows(session, BudgetRealization.__table__, realization_rows(), progress=ctx.progress)


def clear_budgets(session: Session) -> int:
    """Remove the synthetic budgets with their allocations and realizations."""
    budgets = select(Budget.id).where(Budget.notes.startswith(MARK))
    session.execute(delete(BudgetRealization).where(BudgetRealization.budget_id.in_(budgets)))
    session.execute(delete(BudgetAllocation).where(BudgetAllocation.budget_id.in_(budgets)))
    return rowcount(session.execute(delete(Budget).where(Budget.notes.startswith(MARK))))


synthetic.register_step("budgets", seed_budgets)
synthetic.CLEAR_STEPS["budgets"] = clear_budgets
