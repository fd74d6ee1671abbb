"""Budget roll-ups per fiscal year in pembina.stats, kept current by every budget write.

Per region and year: `budget.<year>.count` (budgets), `.budgeted` (sum of known totals),
`.planned` (sum of allocations) and `.realized` (sum of realizations), counted at the
team's region and every ancestor, so the region summary is a few indexed lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization
from pembina.stats import service as stats


def metric(year: int, kind: str) -> str:
    return f"budget.{year}.{kind}"


def adjust(session: Session, region_code: str, year: int, **deltas: int) -> None:
    """Add e.g. planned=+5_000_000 to the year's counters of the region and its ancestors."""
    stats.adjust(session, region_code, {metric(year, k): v for k, v in deltas.items()})


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
