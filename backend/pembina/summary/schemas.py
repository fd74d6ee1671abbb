from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from pembina.auth.policy import RegionActions
from pembina.budgets.counters import BudgetSummary
from pembina.posyandu.counters import PosyanduSummary
from pembina.decrees.schemas import ComplianceLevelCounts
from pembina.meetings.schemas import FollowUpSummary
from pembina.regions.schemas import RegionCounts, RegionLevel, RegionRead, RegionRef


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


class TaskKind(StrEnum):
    """What waits: an SK or a posyandu for the caller's verification, a follow-up past its due date,
    or a village past its SK reporting deadline."""

    decree_to_verify = "decree_to_verify"
    posyandu_to_verify = "posyandu_to_verify"
    overdue_follow_up = "overdue_follow_up"
    late_report = "late_report"


class TaskItem(BaseModel):
    """One thing waiting for the caller, pointing at its record (`kind` + `id`, or its region)."""

    kind: TaskKind
    id: int | None = Field(description="The record's id (a decree, a posyandu, a follow-up); null for a late report (see `region`).")
    title: str
    region: RegionRef | None = Field(description="The record's region; null for a national record (a national meeting's follow-up).")
    status: str | None = Field(description="The record's status (a late report: its SK's progress).")
    since: date | None = Field(description="Waiting since (the record's last change) or due on (a follow-up, a deadline).")
    days_late: int | None = Field(description="Days past `since` for overdue follow-ups and late reports.")
    meeting_id: int | None = Field(default=None, description="A follow-up's meeting.")


class TaskGroup(BaseModel):
    kind: TaskKind
    count: int = Field(description="All of them (the items are the first few).")
    items: list[TaskItem]


class Tasks(BaseModel):
    """ "Perlu tindakan": what waits for the caller now."""

    today: date = Field(description="Today in the offices' zone (Asia/Jakarta).")
    total: int
    groups: list[TaskGroup] = Field(
        description="Decrees and posyandu waiting for your verification (as the policy decides who verifies), overdue "
        "meeting follow-ups and late SK reports (villages past their reporting deadline) in your region; always all four."
    )


class TrendPoint(BaseModel):
    """One month's end (the last point: today): SK progress at the trend's level and posyandu registration."""

    month: str = Field(examples=["2026-01"], description="The month (YYYY-MM).")
    as_of: date = Field(description="The day counted: the month's last day, or today for the current month (Asia/Jakarta).")
    with_team: int = Field(description="Regions at the level with a TP Posyandu by then.")
    issued: int = Field(description="With an SK forming it issued (or reported, or verified) then.")
    reported: int = Field(description="With an SK forming it reported (or verified) then.")
    verified: int = Field(description="With an SK forming it verified then.")
    posyandu: int = Field(description="Posyandu recorded by then.")
    registered: int = Field(description="Posyandu registered then.")
    in_pipeline: int = Field(description="Posyandu proposed, verified or submitted then.")


class RegionTrends(BaseModel):
    """SK progress and posyandu registration over the last 12 months, one point per month (oldest first)."""

    region: RegionRef | None = Field(description="The region; null for the nation (GET /regions/trends).")
    level: RegionLevel = Field(description="The level SK progress is counted at.")
    expected: int = Field(description="Regions at that level in the region (the whole a point's counts are out of).")
    points: list[TrendPoint]
