from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from pembina.kit.params import IdFilter, YearFilter, search_text
from pembina.regions.filters import InRegion
from pembina.auth.policy import ActionableRead
from pembina.budgets.schemas import FiscalYear
from pembina.kit.params import IdField, IsoDate, Period
from pembina.kit.provenance import SourcedRead
from pembina.posyandu.catalog import SpmField
from pembina.teams.schemas import OfTeamRead


class WorkProgramStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class WorkProgramCreate(Period):
    team_id: IdField
    year: FiscalYear
    spm_field: SpmField | None = Field(default=None, description="Null: the whole team (not one SPM field).")
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    start_date: IsoDate | None = Field(default=None, description="Within `year`.")
    end_date: IsoDate | None = Field(default=None, description="Within `year`.")
    person_in_charge: str | None = Field(default=None, max_length=200, description="A position or office, e.g. 'Sekretariat TP Posyandu'.")
    status: WorkProgramStatus = WorkProgramStatus.planned
    allocation_ids: list[IdField] = Field(default_factory=list, max_length=100, description="Allocations of the team's budgets for `year`.")


class WorkProgramUpdate(Period):
    """The team and year do not change; a program for another year is another program."""

    spm_field: SpmField | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    person_in_charge: str | None = Field(default=None, max_length=200)
    status: WorkProgramStatus | None = None
    allocation_ids: list[IdField] | None = Field(default=None, max_length=100, description="Replaces the linked allocations.")


class LinkedAllocation(BaseModel):
    id: int
    budget_id: int
    activity: str
    amount: int


class _WorkProgram(OfTeamRead):
    year: int
    spm_field: SpmField | None
    title: str
    description: str | None
    start_date: date | None
    end_date: date | None
    person_in_charge: str | None
    status: WorkProgramStatus
    allocation_ids: list[int]
    allocations: list[LinkedAllocation]
    planned_amount: int = Field(description="Sum of the linked allocations, whole rupiah.")


class WorkProgramRead(ActionableRead, SourcedRead, _WorkProgram):
    pass


class WorkProgramFilters(InRegion):
    year: YearFilter = None
    team_id: IdFilter = None
    spm_field: SpmField | None = None
    status: WorkProgramStatus | None = None
    q: str | None = search_text("Search the title.")
    allocation_id: IdFilter = Field(None, description="Programs linked to this budget allocation.")
