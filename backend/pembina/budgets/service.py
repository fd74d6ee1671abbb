"""Team budgets: a ceiling per fiscal year and source, allocations, realizations, roll-ups.

Rules: amounts are whole rupiah; the allocations of a budget may not exceed its known total;
the realizations of an allocation may not exceed its amount unless the writer says
`allow_overrun`; a realization is dated within the budget's fiscal year. Writes lock the
budget (allocations) or the allocation (realizations) so that two concurrent writers cannot
both pass a check that only one of them may. Every write keeps the per-region counters of
`budgets.counters` current in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVarTuple, Unpack

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.auth import policy
from pembina.auth.policy import Action
from pembina.budgets import counters
from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization
from pembina.budgets.schemas import (
    AllocationCreate,
    AllocationRead,
    AllocationUpdate,
    BudgetCreate,
    BudgetDetail,
    BudgetRead,
    BudgetRollup,
    BudgetScope,
    BudgetFilters,
    BudgetSource,
    BudgetUpdate,
    RealizationCreate,
    RealizationRead,
    RollupGroup,
    RollupRow,
    RollupTotals,
)
from pembina.kit import feed
from pembina.kit.errors import Conflict, ValidationProblem
from pembina.kit.reads import read
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate, paginate_batch
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_or_404, get_scoped, scoped_select, where_equal
from pembina.posyandu.catalog import SPM_FIELDS
from pembina.kit.scope import Principal
from pembina.teams.models import Team
from pembina.kit.db import flush_write
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "fiscal_year": Budget.fiscal_year,
    "source": Budget.source,
    "region_code": Budget.region_code,
    # an unknown total sorts below every known one, on both databases
    "total_amount": func.coalesce(Budget.total_amount, -1),
    "created_at": Budget.created_at,
}
REALIZATION_SORTS = {
    "realized_on": BudgetRealization.realized_on,
    "amount": BudgetRealization.amount,
    "created_at": BudgetRealization.created_at,
}

#: The roll-up key of allocations without an SPM field.
GENERAL = counters.GENERAL

#: The row type of a statement passed through the filters.
Row = TypeVarTuple("Row")

#: Called with (session, allocation ids) just before those allocations are deleted. The domains
#: that link to allocations register here (the work programs: `pembina.work_programs.service`),
#: so that budgets depend on none of them; each removes its links as ORM deletes (audited).
ALLOCATIONS_REMOVED: list[Callable[[Session, list[int]], None]] = []


def rupiah(n: int) -> str:
    return "Rp " + f"{n:,}".replace(",", ".")


# -- reading -----------------------------------------------------------------------


def _sums(session: Session, column: Any, amount: Any, keys: Iterable[int]) -> dict[int, int]:
    keys = list(keys)
    if not keys:
        return {}
    stmt = select(column, func.sum(amount)).where(column.in_(keys)).group_by(column)
    return {k: int(v) for k, v in session.execute(stmt)}


def _budget_read(b: Budget, allocated: int, realized: int, principal: Principal) -> BudgetRead:
    unallocated = None if b.total_amount is None else b.total_amount - allocated
    return policy.read(BudgetRead, principal, b, allocated_amount=allocated, realized_amount=realized, unallocated_amount=unallocated)


def _budget_reads(session: Session, budgets: list[Budget], principal: Principal) -> list[BudgetRead]:
    """Reads of budgets, their allocated and realized sums read in one query each."""
    ids = [b.id for b in budgets]
    allocated = _sums(session, BudgetAllocation.budget_id, BudgetAllocation.amount, ids)
    realized = _sums(session, BudgetRealization.budget_id, BudgetRealization.amount, ids)
    return [_budget_read(b, allocated.get(b.id, 0), realized.get(b.id, 0), principal) for b in budgets]


def to_read(session: Session, b: Budget, principal: Principal) -> BudgetRead:
    return _budget_reads(session, [b], principal)[0]


def _allocation_read(a: BudgetAllocation, realized: int, principal: Principal) -> AllocationRead:
    return policy.read(
        AllocationRead,
        principal,
        a,
        realized_amount=realized,
        remaining_amount=a.amount - realized,
        percent_realized=counters.percent(realized, a.amount) or 0.0,
    )


def allocation_read(session: Session, a: BudgetAllocation, principal: Principal) -> AllocationRead:
    return _allocation_read(a, _realized(session, a.id), principal)


def _realized(session: Session, allocation_id: int) -> int:
    return _sums(session, BudgetRealization.allocation_id, BudgetRealization.amount, [allocation_id]).get(allocation_id, 0)


def _allocated(session: Session, budget_id: int, *, excluding: int | None = None) -> int:
    stmt = select(func.coalesce(func.sum(BudgetAllocation.amount), 0)).where(BudgetAllocation.budget_id == budget_id)
    if excluding is not None:
        stmt = stmt.where(BudgetAllocation.id != excluding)
    return int(session.scalar(stmt) or 0)


def allocations(session: Session, budget: Budget, principal: Principal) -> list[AllocationRead]:
    rows = session.scalars(select(BudgetAllocation).where(BudgetAllocation.budget_id == budget.id).order_by(BudgetAllocation.id)).all()
    realized = _sums(session, BudgetRealization.allocation_id, BudgetRealization.amount, [a.id for a in rows])
    return [_allocation_read(a, realized.get(a.id, 0), principal) for a in rows]


def to_detail(session: Session, b: Budget, principal: Principal) -> BudgetDetail:
    allocs = allocations(session, b, principal)
    read = _budget_read(b, sum(a.amount for a in allocs), sum(a.realized_amount for a in allocs), principal)
    return BudgetDetail(**read.model_dump(), allocations=allocs)


def get(session: Session, principal: Principal, budget_id: int, *, lock: bool = False) -> Budget:
    return get_scoped(session, principal, Budget, budget_id, tr("Budget", "Anggaran"), lock=lock)


def _filtered(principal: Principal, stmt: Select[Unpack[Row]], filters: BudgetScope) -> Select[Unpack[Row]]:
    stmt = scoped_select(stmt, Budget.region_code, principal, filters.region)
    return where_equal(stmt, (Budget.fiscal_year, filters.year), (Budget.source, filters.source))


def list_budgets(session: Session, principal: Principal, params: PageParams, filters: BudgetFilters) -> Page[BudgetRead]:
    stmt = where_equal(_filtered(principal, select(Budget), filters), (Budget.team_id, filters.team_id))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Budget.fiscal_year.desc(), Budget.region_code, Budget.source], tiebreak=Budget.id)
    return paginate_batch(session, stmt, params, lambda page: _budget_reads(session, page, principal))


# -- budgets -------------------------------------------------------------------------


def _team(session: Session, principal: Principal, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or not principal.covers(team.region_code):
        raise ValidationProblem(
            f"Team {team_id} not found in your region.", f"Tim {team_id} tidak ditemukan di wilayah Anda.", loc=["body", "team_id"]
        )
    if team.region_code is None:
        raise ValidationProblem(
            f"Team {team_id} is the national team: its budgets and work programs are not kept here.",
            f"Tim {team_id} adalah tim nasional: anggaran dan program kerjanya tidak dicatat di sini.",
            loc=["body", "team_id"],
        )
    return team


def create(session: Session, principal: Principal, data: BudgetCreate) -> Budget:
    team = _team(session, principal, data.team_id)
    policy.require(principal, Action.create_budget, policy.region(team.region_code))
    clash = session.scalar(
        select(Budget.id).where(Budget.team_id == team.id, Budget.fiscal_year == data.fiscal_year, Budget.source == data.source.value)
    )
    if clash is not None:
        raise Conflict(
            f"{team.name} already has a {data.source.value} budget for {data.fiscal_year} (budget {clash}).",
            f"{team.name} sudah memiliki anggaran {data.source.value} untuk tahun {data.fiscal_year} (anggaran {clash}).",
            existing_id=clash,
        )
    budget = Budget(**columns(data), region_code=team.region_code)
    session.add(budget)
    session.flush()
    counters.add(session, budget, counters.BUDGETS, budgets=1, budgeted=budget.total_amount or 0)
    return budget


def update(session: Session, principal: Principal, budget_id: int, data: BudgetUpdate, expected: ExpectedVersion) -> Budget:
    budget = get(session, principal, budget_id, lock=True)
    expected.check(budget.version, lambda: to_read(session, budget, principal))
    policy.require(principal, Action.update, budget)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if "total_amount" in changes:
        total = changes["total_amount"]
        allocated = _allocated(session, budget.id)
        if total is not None and allocated > total:
            raise Conflict(
                f"The allocations already add up to {rupiah(allocated)}: the total cannot be {rupiah(total)}. "
                "Reduce or delete allocations first.",
                f"Alokasi sudah berjumlah {rupiah(allocated)}: total tidak boleh {rupiah(total)}. Kurangi atau hapus alokasi dulu.",
            )
        counters.add(session, budget, counters.BUDGETS, budgeted=(total or 0) - (budget.total_amount or 0))
        budget.total_amount = total
    if "notes" in changes:
        budget.notes = changes["notes"]
    flush_write(session)
    return budget


def delete(session: Session, principal: Principal, budget_id: int) -> None:
    """Delete a budget with its allocations; refused while any realization is recorded (those
    are spending facts: delete them one by one first)."""
    budget = get(session, principal, budget_id, lock=True)
    policy.require(principal, Action.delete, budget)
    realized = session.scalar(select(func.count()).where(BudgetRealization.budget_id == budget.id))
    if realized:
        raise Conflict(
            f"This budget has {realized} realization(s): delete them first (spending records are never dropped silently).",
            f"Anggaran ini memiliki {realized} realisasi: hapus dulu (catatan belanja tidak pernah dibuang diam-diam).",
        )
    allocs = session.scalars(select(BudgetAllocation).where(BudgetAllocation.budget_id == budget.id)).all()
    _unlink(session, [a.id for a in allocs])
    for a in allocs:
        session.delete(a)
    counters.add(session, budget, counters.BUDGETS, budgets=-1, budgeted=-(budget.total_amount or 0))
    for a in allocs:  # (no realizations: refused above)
        counters.add(session, budget, counters.field_of(a.spm_field), allocations=-1, planned=-a.amount)
    session.delete(budget)
    flush_write(session)


def _unlink(session: Session, allocation_ids: list[int]) -> None:
    """Let the records that link to these allocations drop their links before they go."""
    if not allocation_ids:
        return
    for hook in ALLOCATIONS_REMOVED:
        hook(session, allocation_ids)


# -- allocations ----------------------------------------------------------------------


def get_allocation(session: Session, principal: Principal, budget_id: int, allocation_id: int, *, lock: bool = False) -> BudgetAllocation:
    return get_scoped(
        session, principal, BudgetAllocation, allocation_id, "Budget allocation", parent=(BudgetAllocation.budget_id, budget_id), lock=lock
    )


def list_allocations(session: Session, principal: Principal, budget_id: int) -> list[AllocationRead]:
    return allocations(session, get(session, principal, budget_id), principal)


def _check_ceiling(budget: Budget, allocated_others: int, amount: int) -> None:
    if budget.total_amount is not None and allocated_others + amount > budget.total_amount:
        free = budget.total_amount - allocated_others
        raise Conflict(
            f"Allocations would add up to {rupiah(allocated_others + amount)}, more than the budget's total of "
            f"{rupiah(budget.total_amount)}; at most {rupiah(max(free, 0))} is unallocated.",
            f"Alokasi akan berjumlah {rupiah(allocated_others + amount)}, melebihi total anggaran {rupiah(budget.total_amount)}; paling banyak {rupiah(max(free, 0))} belum dialokasikan.",
            unallocated_amount=max(free, 0),
        )


def create_allocation(session: Session, principal: Principal, budget_id: int, data: AllocationCreate) -> BudgetAllocation:
    budget = get(session, principal, budget_id, lock=True)
    policy.require(principal, Action.add_allocation, budget)
    _check_ceiling(budget, _allocated(session, budget.id), data.amount)
    a = BudgetAllocation(**columns(data), budget_id=budget.id, region_code=budget.region_code)
    session.add(a)
    session.flush()
    counters.add(session, budget, counters.field_of(a.spm_field), allocations=1, planned=a.amount)
    return a


def update_allocation(
    session: Session, principal: Principal, budget_id: int, allocation_id: int, data: AllocationUpdate, expected: ExpectedVersion
) -> BudgetAllocation:
    budget = get(session, principal, budget_id, lock=True)
    a = get_allocation(session, principal, budget_id, allocation_id, lock=True)
    expected.check(a.version, lambda: allocation_read(session, a, principal))
    policy.require(principal, Action.update, a)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"allow_overrun"})
    reject_nulls(changes, "activity", "amount")
    if "amount" in changes and changes["amount"] != a.amount:
        amount = changes["amount"]
        _check_ceiling(budget, _allocated(session, budget.id, excluding=a.id), amount)
        realized = _realized(session, a.id)
        if realized > amount and not data.allow_overrun:
            raise Conflict(
                f"{rupiah(realized)} is already realized against this allocation, more than {rupiah(amount)}. "
                "Send allow_overrun: true to lower it anyway.",
                f"{rupiah(realized)} sudah direalisasikan pada alokasi ini, lebih dari {rupiah(amount)}. Kirim allow_overrun: true untuk tetap menurunkannya.",
            )
        counters.add(session, budget, counters.field_of(a.spm_field), planned=amount - a.amount)
        a.amount = amount
    if "spm_field" in changes:
        field = changes["spm_field"].value if changes["spm_field"] else None
        if counters.field_of(field) != counters.field_of(a.spm_field):
            # the allocation and its realizations move to the other field's roll-up row
            n, realized = session.execute(
                select(func.count(), func.coalesce(func.sum(BudgetRealization.amount), 0)).where(BudgetRealization.allocation_id == a.id)
            ).one()
            moved = {"allocations": 1, "planned": a.amount, "realizations": int(n), "realized": int(realized)}
            counters.add(session, budget, counters.field_of(a.spm_field), **{k: -v for k, v in moved.items()})
            counters.add(session, budget, counters.field_of(field), **moved)
        a.spm_field = field
    if "category" in changes:
        a.category = changes["category"].value if changes["category"] else None
    assign(a, changes, "activity", "notes")
    flush_write(session)
    return a


def delete_allocation(session: Session, principal: Principal, budget_id: int, allocation_id: int) -> None:
    budget = get(session, principal, budget_id, lock=True)
    a = get_allocation(session, principal, budget_id, allocation_id, lock=True)
    policy.require(principal, Action.delete, a)
    n = session.scalar(select(func.count()).where(BudgetRealization.allocation_id == a.id))
    if n:
        raise Conflict(f"This allocation has {n} realization(s): delete them first.", f"Alokasi ini memiliki {n} realisasi: hapus dulu.")
    _unlink(session, [a.id])
    counters.add(session, budget, counters.field_of(a.spm_field), allocations=-1, planned=-a.amount)
    session.delete(a)
    flush_write(session)


# -- realizations ---------------------------------------------------------------------


def realization_read(r: BudgetRealization) -> RealizationRead:
    return read(RealizationRead, r)


def list_realizations(
    session: Session, principal: Principal, budget_id: int, allocation_id: int, params: PageParams
) -> Page[RealizationRead]:
    get_allocation(session, principal, budget_id, allocation_id)
    stmt = select(BudgetRealization).where(BudgetRealization.allocation_id == allocation_id)
    stmt = apply_sort(stmt, params.sort, REALIZATION_SORTS, default=[BudgetRealization.realized_on], tiebreak=BudgetRealization.id)
    return paginate(session, stmt, params, realization_read)


def create_realization(
    session: Session, principal: Principal, budget_id: int, allocation_id: int, data: RealizationCreate
) -> BudgetRealization:
    budget = get(session, principal, budget_id)
    a = get_allocation(session, principal, budget_id, allocation_id, lock=True)
    policy.require(principal, Action.add_realization, a)
    if data.realized_on.year != budget.fiscal_year:
        raise ValidationProblem(
            f"realized_on must fall within fiscal year {budget.fiscal_year}.",
            f"realized_on harus berada dalam tahun anggaran {budget.fiscal_year}.",
            loc=["body", "realized_on"],
        )
    realized = _realized(session, a.id)
    over = realized + data.amount > a.amount
    if over and not data.allow_overrun:
        raise Conflict(
            f"Realizations would reach {rupiah(realized + data.amount)}, beyond the allocation's {rupiah(a.amount)} "
            f"({rupiah(max(a.amount - realized, 0))} left). Send allow_overrun: true to record it anyway.",
            f"Realisasi akan mencapai {rupiah(realized + data.amount)}, melebihi alokasi {rupiah(a.amount)} (sisa {rupiah(max(a.amount - realized, 0))}). Kirim allow_overrun: true untuk tetap mencatatnya.",
            remaining_amount=a.amount - realized,
        )
    r = BudgetRealization(
        **columns(data, "allow_overrun"), allocation_id=a.id, budget_id=budget.id, region_code=a.region_code, overrun=over
    )
    session.add(r)
    session.flush()
    counters.add(session, budget, counters.field_of(a.spm_field), realizations=1, realized=r.amount)
    return r


def delete_realization(session: Session, principal: Principal, budget_id: int, allocation_id: int, realization_id: int) -> None:
    budget = get(session, principal, budget_id)
    a = get_allocation(session, principal, budget_id, allocation_id, lock=True)
    r = get_or_404(
        session, BudgetRealization, realization_id, "Budget realization", parent=(BudgetRealization.allocation_id, allocation_id)
    )
    policy.require(principal, Action.delete, r)
    counters.add(session, budget, counters.field_of(a.spm_field), realizations=-1, realized=-r.amount)
    session.delete(r)
    session.flush()


# -- roll-up --------------------------------------------------------------------------


def _key_column(group_by: RollupGroup) -> Any:
    if group_by == RollupGroup.source:
        return Budget.source
    if group_by == RollupGroup.year:
        return Budget.fiscal_year
    return BudgetAllocation.spm_field


def _order(group_by: RollupGroup, keys: Iterable[str]) -> list[str]:
    if group_by == RollupGroup.source:
        rank = {s.value: i for i, s in enumerate(BudgetSource)}
    elif group_by == RollupGroup.spm_field:
        rank = {f: i for i, f in enumerate([*SPM_FIELDS, GENERAL])}
    else:
        return sorted(keys, key=int)
    return sorted(keys, key=lambda k: rank.get(k, len(rank)))


def _assembled(
    region: str | None,
    filters: BudgetScope,
    group_by: RollupGroup,
    budgets: int,
    budgeted_total: int,
    budgeted: dict[str, int] | None,
    planned: dict[str, int],
    realized: dict[str, int],
) -> BudgetRollup:
    """The roll-up from its sums per group (`budgeted` None: grouped by SPM field, where budgets
    have no share), its rows in the group's order, and its totals."""
    keys = set(budgeted or {}) | set(planned) | set(realized)
    rows = [
        RollupRow(
            key=k,
            budgeted=budgeted.get(k, 0) if budgeted is not None else None,
            planned=planned.get(k, 0),
            realized=realized.get(k, 0),
            percent=counters.percent(realized.get(k, 0), planned.get(k, 0)),
        )
        for k in _order(group_by, keys)
    ]
    total_planned, total_realized = sum(planned.values()), sum(realized.values())
    return BudgetRollup(
        region_code=region,
        year=filters.year,
        source=filters.source,
        group_by=group_by,
        rows=rows,
        totals=RollupTotals(
            budgets=budgets,
            budgeted=budgeted_total,
            planned=total_planned,
            realized=total_realized,
            percent=counters.percent(total_realized, total_planned),
        ),
    )


def rollup(session: Session, principal: Principal, filters: BudgetScope, group_by: RollupGroup) -> BudgetRollup:
    """Plan (allocations) against realization for every budget in the region's subtree, grouped:
    read from the roll-up counters (`budget_totals`), at most one row per year, source and field."""
    region = filters.region or principal.region_code
    if filters.region:
        principal.ensure_region(filters.region)
    found = counters.totals(session, region, filters.year, filters.source.value if filters.source else None)
    key = {RollupGroup.source: "source", RollupGroup.year: "fiscal_year", RollupGroup.spm_field: "spm_field"}[group_by]
    by_budget = group_by != RollupGroup.spm_field
    budgets = budgeted_total = 0
    budgeted: dict[str, int] = {}
    planned: dict[str, int] = {}
    realized: dict[str, int] = {}
    for row in found:
        k = str(row[key])
        if row["spm_field"] == counters.BUDGETS:
            budgets += row["budgets"]
            budgeted_total += row["budgeted"]
            if by_budget and row["budgets"]:
                budgeted[k] = budgeted.get(k, 0) + row["budgeted"]
            continue
        if row["allocations"]:
            planned[k] = planned.get(k, 0) + row["planned"]
        if row["realizations"]:
            realized[k] = realized.get(k, 0) + row["realized"]
    return _assembled(region, filters, group_by, budgets, budgeted_total, budgeted if by_budget else None, planned, realized)


def rollup_from_records(session: Session, principal: Principal, filters: BudgetScope, group_by: RollupGroup) -> BudgetRollup:
    """`rollup` added up from the budgets, allocations and realizations themselves (what the
    counters must always equal: the tests compare the two)."""
    key = _key_column(group_by)
    by_budget = group_by != RollupGroup.spm_field

    def name(k: Any) -> str:
        return GENERAL if k is None else str(k)

    def scoped(stmt: Select[Unpack[Row]]) -> Select[Unpack[Row]]:
        return _filtered(principal, stmt, filters)

    budgets_stmt = scoped(select(func.count(), func.coalesce(func.sum(Budget.total_amount), 0)))
    n_budgets, budgeted_total = session.execute(budgets_stmt).one()
    budgeted: dict[str, int] = {}
    if by_budget:
        stmt = scoped(select(key, func.coalesce(func.sum(Budget.total_amount), 0))).group_by(key)
        budgeted = {name(k): int(v) for k, v in session.execute(stmt)}
    planned_stmt = scoped(
        select(key, func.sum(BudgetAllocation.amount)).select_from(BudgetAllocation).join(Budget, Budget.id == BudgetAllocation.budget_id)
    ).group_by(key)
    planned = {name(k): int(v) for k, v in session.execute(planned_stmt)}
    realized_stmt = scoped(
        select(key, func.sum(BudgetRealization.amount))
        .select_from(BudgetRealization)
        .join(BudgetAllocation, BudgetAllocation.id == BudgetRealization.allocation_id)
        .join(Budget, Budget.id == BudgetRealization.budget_id)
    ).group_by(key)
    realized = {name(k): int(v) for k, v in session.execute(realized_stmt)}
    region = filters.region or principal.region_code
    return _assembled(
        region, filters, group_by, int(n_budgets), int(budgeted_total or 0), budgeted if by_budget else None, planned, realized
    )


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------


def _feed_allocations(session: Session, principal: Principal, rows: Sequence[BudgetAllocation]) -> list[AllocationRead]:
    realized = _sums(session, BudgetRealization.allocation_id, BudgetRealization.amount, [a.id for a in rows])
    return [_allocation_read(a, realized.get(a.id, 0), principal) for a in rows]


feed.register(Budget, BudgetRead, lambda session, principal, rows: _budget_reads(session, list(rows), principal))
feed.register(BudgetAllocation, AllocationRead, _feed_allocations)
feed.register(BudgetRealization, RealizationRead, lambda _s, _p, rows: [realization_read(r) for r in rows])
