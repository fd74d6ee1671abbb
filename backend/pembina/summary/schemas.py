from __future__ import annotations

from pydantic import BaseModel, Field

from pembina.auth.policy import RegionActions
from pembina.budgets.counters import BudgetSummary
from pembina.posyandu.counters import PosyanduSummary
from pembina.decrees.schemas import ComplianceLevelCounts
from pembina.meetings.schemas import FollowUpSummary
from pembina.regions.schemas import RegionCounts, RegionRead


class RegionSummary(BaseModel):
    region: RegionRead | None = Field(description="The region; null for the whole nation (GET /regions/summary).")
    counts: RegionCounts
    compliance: list[ComplianceLevelCounts] = Field(
        default_factory=list,
        description="Per level from the region's own down to village: expected teams, with team, SK issued, reported, "
        "verified, missing (see /regions/{code}/compliance for the board).",
    )
    posyandu: PosyanduSummary = Field(description="Posyandu under the region: count, active, registration, SPM coverage, pilots.")
    budgets: BudgetSummary = Field(
        description="Team budgets under the region for the latest fiscal year: budgeted, planned (allocated), realized."
    )
    follow_ups: FollowUpSummary = Field(description="Meeting follow-up actions under the region: open (or in progress) and overdue today.")
    allowed_actions: RegionActions
