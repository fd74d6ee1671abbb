"""Budget counters, kept current by every budget write in its transaction.

Two sets, both moved by `add()`:

- In pembina.stats, per region and year: `budget.<year>.count` (budgets), `.budgeted` (sum of
  known totals), `.planned` (sum of allocations) and `.realized` (sum of realizations), for the
  region summary (a few indexed lookups among the region's counters).
- In `budget_totals`, per region, year, source and SPM field (models.BudgetTotal): the same
  figures with the counts of allocations and realizations, for the budget roll-up
  (`GET /budgets/rollup`) grouped by source, field or year and filtered by year and source: it
  reads at most one row per (year, source, field) of one region (the nation: its 38 provinces'
  rows, summed in the query) instead of adding up every budget, allocation and realization.

Each is counted at the budget's region and every ancestor up to the province. `recount_totals()`
computes `budget_totals` from the records (tests, `pembina stats-rebuild`); `rebuild_totals()`
writes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import delete, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization, BudgetTotal
from pembina.kit import bulk
from pembina.kit.scope import ancestors_of
from pembina.regions.models import Region
from pembina.stats import service as stats

#: `budget_totals.spm_field` of the budgets' own row (how many budgets, their totals).
BUDGETS = ""
#: ... and of the allocations that name no SPM field.
GENERAL = "general"
#: The figures a totals row keeps.
FIGURES = ("budgets", "budgeted", "allocations", "planned", "realizations", "realized")
#: The year-level counters in pembina.stats that each figure moves (the counts of allocations
#: and realizations are only needed by the roll-up).
STATS = {"budgets": "count", "budgeted": "budgeted", "planned": "planned", "realized": "realized"}


def metric(year: int, kind: str) -> str:
    return f"budget.{year}.{kind}"


def field_of(spm_field: str | None) -> str:
    """The totals row of an allocation of `spm_field` (None: 'general')."""
    return spm_field or GENERAL


def add(session: Session, budget: Budget, spm_field: str, **deltas: int) -> None:
    """Add e.g. allocations=1, planned=5_000_000 to the counters of `budget`'s region and
    its ancestors: the year's in pembina.stats and the (year, source, `spm_field`) row of
    `budget_totals` (`BUDGETS` for the budgets' own figures, `field_of(...)` for an allocation's)."""
    unknown = set(deltas) - set(FIGURES)
    if unknown:
        raise ValueError(f"unknown budget figures: {sorted(unknown)}")
    year_deltas = {metric(budget.fiscal_year, STATS[k]): v for k, v in deltas.items() if k in STATS and v}
    if year_deltas:
        stats.adjust(session, budget.region_code, year_deltas)
    if not any(deltas.values()):
        return
    codes = [*ancestors_of(budget.region_code), budget.region_code]  # province first: one lock order
    rows = [
        {"region_code": c, "fiscal_year": budget.fiscal_year, "source": budget.source, "spm_field": spm_field}
        | {f: deltas.get(f, 0) for f in FIGURES}
        for c in codes
    ]
    table = BudgetTotal.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.region_code, table.c.fiscal_year, table.c.source, table.c.spm_field],
        set_={f: table.c[f] + stmt.excluded[f] for f in FIGURES},
    )
    session.execute(stmt, rows)


def totals(session: Session, region_code: str | None, year: int | None, source: str | None) -> list[dict[str, Any]]:
    """The roll-up's figures under `region_code` (None: the nation, summed over its provinces),
    one per (year, source, field) with any budget, allocation or realization, for `year` and
    `source` when given."""
    t = BudgetTotal.__table__
    keys = (t.c.fiscal_year, t.c.source, t.c.spm_field)
    stmt = select(*keys, *(func.sum(t.c[f]).label(f) for f in FIGURES))
    if region_code:
        stmt = stmt.where(t.c.region_code == region_code)
    else:  # a join from the 38 provinces: one index range each (an IN (subquery) may scan the table)
        stmt = stmt.select_from(t.join(Region.__table__, Region.code == t.c.region_code)).where(Region.level == 1)
    if year is not None:
        stmt = stmt.where(t.c.fiscal_year == year)
    if source is not None:
        stmt = stmt.where(t.c.source == source)
    stmt = stmt.group_by(*keys)
    out = []
    for row in session.execute(stmt).mappings():
        figures = {f: int(row[f] or 0) for f in FIGURES}
        if figures["budgets"] or figures["allocations"] or figures["realizations"]:
            out.append({"fiscal_year": int(row["fiscal_year"]), "source": row["source"], "spm_field": row["spm_field"]} | figures)
    return out


def _own_rows(session: Session) -> Iterator[tuple[tuple[str, int, str, str], dict[str, int]]]:
    """Each region's own figures (its budgets', not its descendants'), from the records."""
    b, a, r = Budget, BudgetAllocation, BudgetRealization
    zero = literal(0)
    field = func.coalesce(a.spm_field, GENERAL)
    parts = [
        select(
            b.region_code,
            b.fiscal_year,
            b.source,
            literal(BUDGETS),
            func.count(),
            func.coalesce(func.sum(b.total_amount), 0),
            zero,
            zero,
            zero,
            zero,
        ).group_by(b.region_code, b.fiscal_year, b.source),
        select(b.region_code, b.fiscal_year, b.source, field, zero, zero, func.count(), func.sum(a.amount), zero, zero)
        .join(a, a.budget_id == b.id)
        .group_by(b.region_code, b.fiscal_year, b.source, field),
        select(b.region_code, b.fiscal_year, b.source, field, zero, zero, zero, zero, func.count(), func.sum(r.amount))
        .join(r, r.budget_id == b.id)
        .join(a, a.id == r.allocation_id)
        .group_by(b.region_code, b.fiscal_year, b.source, field),
    ]
    for code, year, source, spm, *figures in session.execute(union_all(*parts)):
        yield (code, int(year), source, spm), dict(zip(FIGURES, (int(v or 0) for v in figures), strict=True))


def recount_totals(session: Session) -> dict[tuple[str, int, str, str], dict[str, int]]:
    """Every `budget_totals` row computed from the budgets, allocations and realizations
    (each region's own, added to its ancestors' up to the province); rows of zeros left out."""
    out: dict[tuple[str, int, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for (code, year, source, spm), figures in _own_rows(session):
        for c in [*ancestors_of(code), code]:
            row = out[(c, year, source, spm)]
            for f, v in figures.items():
                row[f] += v
    return {k: v for k, v in out.items() if any(v.values())}


def snapshot_totals(session: Session) -> dict[tuple[str, int, str, str], dict[str, int]]:
    """Every `budget_totals` row as kept (rows of zeros left out)."""
    t = BudgetTotal.__table__
    out = {}
    for row in session.execute(select(t)).mappings():
        figures = {f: int(row[f]) for f in FIGURES}
        if any(figures.values()):
            out[(row["region_code"], int(row["fiscal_year"]), row["source"], row["spm_field"])] = figures
    return out


def rebuild_totals(session: Session) -> int:
    """Rewrite `budget_totals` from the records; returns the rows written."""
    session.execute(delete(BudgetTotal))
    rows = (
        {"region_code": k[0], "fiscal_year": k[1], "source": k[2], "spm_field": k[3]} | v
        for k, v in sorted(recount_totals(session).items())
    )
    return bulk.insert_rows(session, BudgetTotal.__table__, rows)


def _source(session: Session) -> Iterable[tuple[str, str, int]]:
    budgets = select(Budget.region_code, Budget.fiscal_year, func.count(), func.coalesce(func.sum(Budget.total_amount), 0)).group_by(
        Budget.region_code, Budget.fiscal_year
    )
    for code, year, n, budgeted in session.execute(budgets):
        yield code, metric(year, "count"), int(n)
        yield code, metric(year, "budgeted"), int(budgeted or 0)  # coalesce(..., 0): never NULL
    planned = (
        select(Budget.region_code, Budget.fiscal_year, func.sum(BudgetAllocation.amount))
        .join(BudgetAllocation, BudgetAllocation.budget_id == Budget.id)
        .group_by(Budget.region_code, Budget.fiscal_year)
    )
    for code, year, amount in session.execute(planned):
        yield code, metric(year, "planned"), int(amount)
    realized = (
        select(Budget.region_code, Budget.fiscal_year, func.sum(BudgetRealization.amount))
        .join(BudgetRealization, BudgetRealization.budget_id == Budget.id)
        .group_by(Budget.region_code, Budget.fiscal_year)
    )
    for code, year, amount in session.execute(realized):
        yield code, metric(year, "realized"), int(amount)


stats.register_source("budgets", _source)
stats.register_rebuild("budget_totals", lambda session: rebuild_totals(session))


class BudgetSummary(BaseModel):
    fiscal_year: int | None = Field(description="The latest fiscal year with a budget under the region; null when none.")
    budgets: int
    budgeted: int = Field(description="Sum of the budgets' known totals, whole rupiah.")
    planned: int = Field(description="Sum of the allocations.")
    realized: int
    percent: float | None = Field(description="realized / planned × 100, one decimal.")


def percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def summary(session: Session, region_code: str | None, counters: Mapping[str, int] | None = None) -> BudgetSummary:
    """The latest fiscal year's budgets under the region (`counters`: its counters, when the caller already read them)."""
    v = stats.values(session, region_code) if counters is None else counters
    years = [int(m.split(".")[1]) for m, n in v.items() if n > 0 and m.startswith("budget.") and m.endswith(".count")]
    if not years:
        return BudgetSummary(fiscal_year=None, budgets=0, budgeted=0, planned=0, realized=0, percent=None)
    year = max(years)
    planned, realized = v.get(metric(year, "planned"), 0), v.get(metric(year, "realized"), 0)
    return BudgetSummary(
        fiscal_year=year,
        budgets=v.get(metric(year, "count"), 0),
        budgeted=v.get(metric(year, "budgeted"), 0),
        planned=planned,
        realized=realized,
        percent=percent(realized, planned),
    )
