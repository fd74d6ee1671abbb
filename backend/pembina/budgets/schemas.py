from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt

from pembina.auth.policy import ActionableRead
from pembina.kit.params import IdField, IdFilter, Input, IsoDate
from pembina.kit.provenance import SourcedRead
from pembina.posyandu.catalog import SpmField
from pembina.regions.filters import InRegion
from pembina.teams.schemas import OfTeamRead

MAX_RUPIAH = 10**15

#: Whole rupiah, a JSON integer only (1.5, "100" and true are refused).
Amount = Annotated[StrictInt, Field(ge=1, le=MAX_RUPIAH, description="Whole rupiah, a JSON integer (1 to 10^15).", examples=[700_000_000])]
Ceiling = Annotated[
    StrictInt,
    Field(ge=0, le=MAX_RUPIAH, description="Whole rupiah, a JSON integer (0 to 10^15); null when not known.", examples=[1_000_000_000]),
]
FiscalYear = Annotated[StrictInt, Field(ge=2000, le=2100, examples=[2025])]


class BudgetSource(StrEnum):
    apbd = "apbd"
    apbd_perubahan = "apbd_perubahan"
    dak_non_fisik = "dak_non_fisik"
    apbdes = "apbdes"
    dana_desa = "dana_desa"
    other = "other"


class AllocationCategory(StrEnum):
    pembinaan = "pembinaan"
    operasional = "operasional"
    pelatihan = "pelatihan"
    koordinasi = "koordinasi"
    monitoring_evaluasi = "monitoring_evaluasi"
    lomba = "lomba"
    lainnya = "lainnya"


class RollupGroup(StrEnum):
    source = "source"
    spm_field = "spm_field"
    year = "year"


class BudgetScope(InRegion):
    """The budgets a roll-up adds up: a region's subtree, a fiscal year, a source."""

    year: int | None = Field(None, ge=2000, le=2100, description="Fiscal year.")
    source: BudgetSource | None = None


class BudgetFilters(BudgetScope):
    """... and, for the list, one team's budgets."""

    team_id: IdFilter = None


# -- budgets ---------------------------------------------------------------------


class BudgetCreate(Input):
    team_id: IdField
    fiscal_year: FiscalYear
    source: BudgetSource
    total_amount: Ceiling | None = None
    notes: str | None = Field(default=None, max_length=5000)


class BudgetUpdate(Input):
    """The team, year and source identify a budget and do not change; create another budget instead."""

    total_amount: Ceiling | None = None
    notes: str | None = Field(default=None, max_length=5000)


class _Budget(OfTeamRead):
    fiscal_year: int
    source: BudgetSource
    total_amount: int | None = Field(description="The ceiling in whole rupiah; null when not known.")
    allocated_amount: int = Field(description="Sum of the allocations.")
    realized_amount: int = Field(description="Sum of the realizations.")
    unallocated_amount: int | None = Field(description="total_amount − allocated_amount; null without a total.")
    notes: str | None


class BudgetRead(ActionableRead, SourcedRead, _Budget):
    pass


# -- allocations -----------------------------------------------------------------


class AllocationCreate(Input):
    activity: str = Field(min_length=1, max_length=300, examples=["Pembinaan Posyandu"])
    spm_field: SpmField | None = Field(default=None, description="Null: general (not one SPM field), e.g. pembinaan.")
    category: AllocationCategory | None = None
    amount: Amount
    notes: str | None = Field(default=None, max_length=5000)


class AllocationUpdate(Input):
    activity: str | None = Field(default=None, min_length=1, max_length=300)
    spm_field: SpmField | None = None
    category: AllocationCategory | None = None
    amount: Amount | None = None
    notes: str | None = Field(default=None, max_length=5000)
    allow_overrun: StrictBool = Field(default=False, description="Allow an amount below what is already realized.")


class _Allocation(BaseModel):
    id: int
    budget_id: int
    region_code: str
    activity: str
    spm_field: SpmField | None
    category: AllocationCategory | None
    amount: int
    realized_amount: int
    remaining_amount: int = Field(description="amount − realized_amount (negative after an allowed overrun).")
    percent_realized: float
    notes: str | None


class AllocationRead(ActionableRead, SourcedRead, _Allocation):
    pass


class BudgetDetail(BudgetRead):
    allocations: list[AllocationRead]


# -- realizations ----------------------------------------------------------------


class RealizationCreate(Input):
    realized_on: IsoDate = Field(description="Within the budget's fiscal year.")
    amount: Amount
    description: str | None = Field(default=None, max_length=500)
    allow_overrun: StrictBool = Field(default=False, description="Allow the allocation's realizations to exceed its amount.")


class RealizationRead(BaseModel):
    id: int
    allocation_id: int
    budget_id: int
    region_code: str
    realized_on: date
    amount: int
    description: str | None
    overrun: bool = Field(description="This entry took the allocation past its amount (allow_overrun).")
    created_at: datetime


# -- roll-up ---------------------------------------------------------------------


class RollupRow(BaseModel):
    key: str = Field(description="The source, the SPM field ('general' for allocations without one) or the year.")
    budgeted: int | None = Field(description="Sum of the budgets' totals (by source and year only; budgets without a total count 0).")
    planned: int = Field(description="Sum of the allocations.")
    realized: int
    percent: float | None = Field(description="realized / planned × 100, one decimal; null when nothing is planned.")


class RollupTotals(BaseModel):
    budgets: int
    budgeted: int
    planned: int
    realized: int
    percent: float | None


class BudgetRollup(BaseModel):
    region_code: str | None
    year: int | None
    source: BudgetSource | None
    group_by: RollupGroup
    rows: list[RollupRow]
    totals: RollupTotals
