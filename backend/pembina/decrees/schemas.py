from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from pembina.kit.params import IdFilter, search_text
from pembina.regions.filters import AtLevel, InRegion
from pembina.regions.schemas import RegionLevel, RegionRef
from pembina.auth.policy import ActionableRead
from pembina.regions.schemas import RegionHeldRead
from pembina.kit.params import MAX_ID, Input
from pembina.kit.provenance import SourcedRead


class DecreeSubject(StrEnum):
    team_formation = "team_formation"
    posyandu_formation = "posyandu_formation"
    pkk_roster = "pkk_roster"
    other = "other"


class DecreeStatus(StrEnum):
    draft = "draft"
    issued = "issued"
    reported = "reported"
    verified = "verified"
    revoked = "revoked"


class DecreeAction(StrEnum):
    #: draft -> issued (the region's own operator, or any coordinator above)
    issue = "issue"
    #: issued -> reported: sent up to the technical office (DPMPPA / Dinas PMD)
    report = "report"
    #: reported -> verified (a regency/city coordinator or above, never the decree's own level)
    verify = "verify"
    #: reported -> issued, sent back with a reason (same roles as verify)
    return_ = "return"
    #: issued | reported | verified -> revoked, with a reason
    revoke = "revoke"


class DecreeCreate(Input):
    region_code: str = Field(examples=["33.75.02.1008"])
    subject: DecreeSubject = DecreeSubject.team_formation
    title: str = Field(min_length=1, max_length=500, examples=["SK TP Posyandu Kelurahan Klego"])
    number: str | None = Field(default=None, min_length=1, max_length=200, examples=["274 Tahun 2024"])
    decree_date: date | None = None
    signer: str | None = Field(default=None, max_length=200, description="The signing office, e.g. 'Lurah Klego'.")
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The team it forms (a team of the same region).")
    notes: str | None = Field(default=None, max_length=5000)


class DecreeUpdate(Input):
    """Title and notes can change at any time; the other fields only while a draft."""

    region_code: str | None = None
    subject: DecreeSubject | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    number: str | None = Field(default=None, min_length=1, max_length=200)
    decree_date: date | None = None
    signer: str | None = Field(default=None, max_length=200)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    notes: str | None = Field(default=None, max_length=5000)


class DecreeFileInfo(BaseModel):
    name: str
    size: int
    sha256: str
    uploaded_at: datetime


class _Decree(RegionHeldRead):
    subject: DecreeSubject
    title: str
    number: str | None
    decree_date: date | None
    signer: str | None
    team_id: int | None
    status: DecreeStatus
    notes: str | None
    file: DecreeFileInfo | None = Field(description="The attached PDF, if any (download at /decrees/{id}/file).")


class DecreeRead(ActionableRead, SourcedRead, _Decree):
    pass


class TransitionCreate(Input):
    action: DecreeAction
    reason: str | None = Field(default=None, min_length=1, max_length=2000, description="Required for `return` and `revoke`.")
    effective_date: date | None = Field(
        default=None,
        description="When the step took effect (defaults: the SK date for `issue`, else today). Not in the future, "
        "not before the previous step.",
    )


class TransitionRead(BaseModel):
    id: int
    decree_id: int
    action: DecreeAction
    from_status: DecreeStatus
    to_status: DecreeStatus
    reason: str | None
    effective_date: date
    actor: str
    actor_name: str | None
    occurred_at: datetime


# -- reporting deadlines ---------------------------------------------------------


class DeadlineCreate(Input):
    region_code: str = Field(examples=["33.75"], description="Applies to every region under it (the nearest deadline wins).")
    year: int = Field(ge=2000, le=2100)
    due_date: date
    notes: str | None = Field(default=None, max_length=2000)


class DeadlineUpdate(Input):
    due_date: date | None = None
    notes: str | None = Field(default=None, max_length=2000)


class _Deadline(BaseModel):
    id: int
    region_code: str
    year: int
    due_date: date
    notes: str | None


class DeadlineRead(ActionableRead, _Deadline):
    pass


# -- compliance ------------------------------------------------------------------


class ComplianceCounts(BaseModel):
    expected: int = Field(description="Regions at the chosen level (one team each).")
    with_team: int = Field(
        description="With an active TP Posyandu (a Pokjanal/Pokja does not count). Only the SKs that form a region's TP "
        "Posyandu count below (those naming it, or naming no team): with_team >= issued >= reported >= verified."
    )
    issued: int = Field(description="With a team-formation SK issued (or reported, or verified).")
    reported: int = Field(description="With a team-formation SK reported (or verified).")
    verified: int
    missing: int = Field(description="Without an issued team-formation SK.")
    not_reported: int = Field(description="Without a reported team-formation SK.")
    pct_with_team: float | None
    pct_issued: float | None
    pct_reported: float | None
    pct_verified: float | None
    legacy_structures: int = Field(
        description="Regions with an active Pokjanal/Pokja Posyandu (the structure before Permendagri 13/2024): shown, "
        "never counted as a TP Posyandu nor its SK."
    )


class ComplianceLevelCounts(ComplianceCounts):
    level: RegionLevel


class ComplianceRow(ComplianceCounts):
    region: RegionRef
    deadline: date | None = Field(description="The reporting deadline that applies (nearest at or above the region).")
    overdue: bool = Field(description="Past the deadline with some SK not reported.")


class MissingReport(BaseModel):
    code: str
    name: str
    parent_code: str | None
    has_team: bool
    issued: bool = Field(description="An SK is issued but not yet reported.")
    legacy_structure: bool = Field(description="It has an active Pokjanal/Pokja Posyandu (not counted as a TP Posyandu).")
    deadline: date | None
    overdue: bool


class ComplianceBoard(BaseModel):
    region: RegionRef
    level: RegionLevel
    as_of: date | None
    year: int
    source: Literal["counters", "history"] = Field(description="Live counters, or replayed transition history (as_of).")
    rows: list[ComplianceRow] = Field(description="One per child region.")
    total: ComplianceRow
    missing_reports: list[MissingReport] = Field(description="Regions at the chosen level with no reported SK (up to missing_limit).")
    missing_reports_total: int


class DecreeFilters(AtLevel):
    status: DecreeStatus | None = None
    subject: DecreeSubject | None = None
    team_id: IdFilter = None
    q: str | None = search_text("Search title and number.")


class DeadlineFilters(InRegion):
    year: int | None = Field(None, ge=2000, le=2100)
