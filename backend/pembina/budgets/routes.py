from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.budgets import service
from pembina.budgets.schemas import (
    AllocationCreate, AllocationRead, AllocationUpdate, BudgetCreate, BudgetDetail, BudgetRead, BudgetRollup, BudgetSource, BudgetUpdate,
    RealizationCreate, RealizationRead, RollupGroup,
)
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, MAX_ID, RecordId
from pembina.kit.routing import api_router
from pembina.kit.versioning import Expected

router = api_router(prefix="/budgets", tags=["budgets"])

RegionFilter = Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")]
YearFilter = Annotated[int | None, Query(ge=2000, le=2100, description="Fiscal year.")]


@router.get('', operation_id='budgets-list')
def list_budgets(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: RegionFilter = None,
    year: YearFilter = None,
    source: BudgetSource | None = None,
    team_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Page[BudgetRead]:
    """List team budgets in your region"""
    return service.list_budgets(session, principal, params, region=region, year=year, source=source, team_id=team_id)


@router.get('/rollup', operation_id='budgets-rollup')
def rollup(
    session: DbSession,
    principal: CurrentPrincipal,
    region: RegionFilter = None,
    year: YearFilter = None,
    source: BudgetSource | None = None,
    group_by: RollupGroup = RollupGroup.source,
) -> BudgetRollup:
    """Plan vs realization for a region subtree, by source, SPM field or year"""
    return service.rollup(session, principal, region=region, year=year, source=source, group_by=group_by)


@router.post('', operation_id='budgets-create', status_code=status.HTTP_201_CREATED, responses=responses(409))
def create_budget(session: DbSession, principal: CurrentPrincipal, body: BudgetCreate) -> BudgetDetail:
    """Create a team's budget for a fiscal year and source"""
    return service.to_detail(session, service.create(session, principal, body), principal)


@router.get('/{budget_id}', operation_id='budgets-get')
def get_budget(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId) -> BudgetDetail:
    """Get a budget with its allocations and realized totals"""
    return service.to_detail(session, service.get(session, principal, budget_id), principal)


@router.patch('/{budget_id}', operation_id='budgets-update', responses=responses(409))
def update_budget(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, body: BudgetUpdate, expected: Expected) -> BudgetRead:
    """Update a budget's total or notes (needs If-Match)"""
    return service.to_read(session, service.update(session, principal, budget_id, body, expected), principal)


@router.delete('/{budget_id}', operation_id='budgets-delete', status_code=status.HTTP_204_NO_CONTENT, responses=responses(409))
def delete_budget(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId) -> None:
    """Delete a budget and its allocations (refused while it has realizations)"""
    service.delete(session, principal, budget_id)


# -- allocations ---------------------------------------------------------------------

@router.get('/{budget_id}/allocations', operation_id='budget-allocations-list')
def list_allocations(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId) -> list[AllocationRead]:
    """List a budget's allocations with their realized totals"""
    return service.list_allocations(session, principal, budget_id)


@router.post('/{budget_id}/allocations', operation_id='budget-allocations-create', status_code=status.HTTP_201_CREATED, responses=responses(409))
def create_allocation(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, body: AllocationCreate) -> AllocationRead:
    """Allocate part of a budget to an activity"""
    return service.allocation_read(session, service.create_allocation(session, principal, budget_id, body), principal)


@router.get('/{budget_id}/allocations/{allocation_id}', operation_id='budget-allocations-get')
def get_allocation(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId) -> AllocationRead:
    """Get a budget allocation"""
    return service.allocation_read(session, service.get_allocation(session, principal, budget_id, allocation_id), principal)


@router.patch('/{budget_id}/allocations/{allocation_id}', operation_id='budget-allocations-update', responses=responses(409))
def update_allocation(
    session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, body: AllocationUpdate, expected: Expected,
) -> AllocationRead:
    """Update a budget allocation (needs If-Match)"""
    return service.allocation_read(session, service.update_allocation(session, principal, budget_id, allocation_id, body, expected), principal)


@router.delete('/{budget_id}/allocations/{allocation_id}', operation_id='budget-allocations-delete', status_code=status.HTTP_204_NO_CONTENT, responses=responses(409))
def delete_allocation(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId) -> None:
    """Delete a budget allocation (refused while it has realizations)"""
    service.delete_allocation(session, principal, budget_id, allocation_id)


# -- realizations --------------------------------------------------------------------

@router.get('/{budget_id}/allocations/{allocation_id}/realizations', operation_id='budget-realizations-list')
def list_realizations(
    session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId,
    params: Annotated[PageParams, Depends(sortable(service.REALIZATION_SORTS))],
) -> Page[RealizationRead]:
    """List the realizations (spending entries) of an allocation"""
    return service.list_realizations(session, principal, budget_id, allocation_id, params)


@router.post('/{budget_id}/allocations/{allocation_id}/realizations', operation_id='budget-realizations-create', status_code=status.HTTP_201_CREATED, responses=responses(409))
def create_realization(
    session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, body: RealizationCreate,
) -> RealizationRead:
    """Record money spent against an allocation (beyond its amount only with allow_overrun)"""
    return service.realization_read(service.create_realization(session, principal, budget_id, allocation_id, body))


@router.delete('/{budget_id}/allocations/{allocation_id}/realizations/{realization_id}', operation_id='budget-realizations-delete', status_code=status.HTTP_204_NO_CONTENT)
def delete_realization(session: DbSession, principal: CurrentPrincipal, budget_id: RecordId, allocation_id: RecordId, realization_id: RecordId) -> None:
    """Delete a realization"""
    service.delete_realization(session, principal, budget_id, allocation_id, realization_id)
