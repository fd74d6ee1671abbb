from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.budgets import service
from pembina.budgets.schemas import AllocationCreate, AllocationRead, AllocationUpdate, BudgetCreate, BudgetDetail, BudgetFilters
from pembina.budgets.schemas import BudgetRead, BudgetRollup, BudgetScope, BudgetUpdate, RealizationCreate, RealizationRead, RollupGroup
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected

router = api_router(prefix="/budgets", tags=["budgets"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="budgets-list")
def list_budgets(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[BudgetFilters, Query()]) -> Page[BudgetRead]:
    """List team budgets in your region"""
    return service.list_budgets(db, me, params, filters)


@router.get("/rollup", operation_id="budgets-rollup")
def rollup(
    db: DbSession, me: CurrentPrincipal, filters: Annotated[BudgetScope, Query()], group_by: RollupGroup = RollupGroup.source
) -> BudgetRollup:
    """Plan vs realization for a region subtree, by source, SPM field or year"""
    return service.rollup(db, me, filters, group_by)


@router.post("", operation_id="budgets-create", status_code=201, responses=responses(409))
def create_budget(db: DbSession, me: CurrentPrincipal, body: BudgetCreate) -> BudgetDetail:
    """Create a team's budget for a fiscal year and source"""
    return service.to_detail(db, service.create(db, me, body), me)


@router.get("/{budget_id}", operation_id="budgets-get")
def get_budget(db: DbSession, me: CurrentPrincipal, budget_id: RecordId) -> BudgetDetail:
    """Get a budget with its allocations and realized totals"""
    return service.to_detail(db, service.get(db, me, budget_id), me)


@router.patch("/{budget_id}", operation_id="budgets-update", responses=responses(409))
def update_budget(db: DbSession, me: CurrentPrincipal, budget_id: RecordId, body: BudgetUpdate, expected: Expected) -> BudgetRead:
    """Update a budget's total or notes (needs If-Match)"""
    return service.to_read(db, service.update(db, me, budget_id, body, expected), me)


@router.delete("/{budget_id}", operation_id="budgets-delete", status_code=204, responses=responses(409))
def delete_budget(db: DbSession, me: CurrentPrincipal, budget_id: RecordId) -> None:
    """Delete a budget and its allocations (refused while it has realizations)"""
    service.delete(db, me, budget_id)


# -- allocations ---------------------------------------------------------------------


@router.get("/{budget_id}/allocations", operation_id="budget-allocations-list")
def list_allocations(db: DbSession, me: CurrentPrincipal, budget_id: RecordId) -> list[AllocationRead]:
    """List a budget's allocations with their realized totals"""
    return service.list_allocations(db, me, budget_id)


@router.post("/{budget_id}/allocations", operation_id="budget-allocations-create", status_code=201, responses=responses(409))
def create_allocation(db: DbSession, me: CurrentPrincipal, budget_id: RecordId, body: AllocationCreate) -> AllocationRead:
    """Allocate part of a budget to an activity"""
    return service.allocation_read(db, service.create_allocation(db, me, budget_id, body), me)


@router.get("/{budget_id}/allocations/{allocation_id}", operation_id="budget-allocations-get")
def get_allocation(db: DbSession, me: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId) -> AllocationRead:
    """Get a budget allocation"""
    return service.allocation_read(db, service.get_allocation(db, me, budget_id, allocation_id), me)


@router.patch("/{budget_id}/allocations/{allocation_id}", operation_id="budget-allocations-update", responses=responses(409))
def update_allocation(
    db: DbSession, me: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, body: AllocationUpdate, expected: Expected
) -> AllocationRead:
    """Update a budget allocation (needs If-Match)"""
    return service.allocation_read(db, service.update_allocation(db, me, budget_id, allocation_id, body, expected), me)


@router.delete(
    "/{budget_id}/allocations/{allocation_id}", operation_id="budget-allocations-delete", status_code=204, responses=responses(409)
)
def delete_allocation(db: DbSession, me: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId) -> None:
    """Delete a budget allocation (refused while it has realizations)"""
    service.delete_allocation(db, me, budget_id, allocation_id)


# -- realizations --------------------------------------------------------------------


@router.get("/{budget_id}/allocations/{allocation_id}/realizations", operation_id="budget-realizations-list")
def list_realizations(
    db: DbSession,
    me: CurrentPrincipal,
    budget_id: RecordId,
    allocation_id: RecordId,
    params: Annotated[PageParams, Depends(sortable(service.REALIZATION_SORTS))],
) -> Page[RealizationRead]:
    """List the realizations (spending entries) of an allocation"""
    return service.list_realizations(db, me, budget_id, allocation_id, params)


@router.post(
    "/{budget_id}/allocations/{allocation_id}/realizations",
    operation_id="budget-realizations-create",
    status_code=201,
    responses=responses(409),
)
def create_realization(
    db: DbSession, me: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, body: RealizationCreate
) -> RealizationRead:
    """Record money spent against an allocation (beyond its amount only with allow_overrun)"""
    return service.realization_read(service.create_realization(db, me, budget_id, allocation_id, body))


@router.delete(
    "/{budget_id}/allocations/{allocation_id}/realizations/{realization_id}", operation_id="budget-realizations-delete", status_code=204
)
def delete_realization(db: DbSession, me: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, realization_id: RecordId) -> None:
    """Delete a realization"""
    service.delete_realization(db, me, budget_id, allocation_id, realization_id)
