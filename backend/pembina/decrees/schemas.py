from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from pembina.kit.params import Filters, IdFilter, IsoDate, YearFilter, search_text
from pembina.regions.filters import AtLevel, InRegion
from pembina.regions.schemas import RegionLevel, RegionRef
from pembina.auth.policy import ActionableRead, RegionActions
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


class NationalComplianceBoard(BaseModel):
    """The board of the nation: one row per province (GET /regions/compliance, national accounts)."""

    level: RegionLevel
    as_of: date | None
    year: int
    source: Literal["counters", "history"] = Field(description="Live counters, or replayed transition history (as_of).")
    rows: list[ComplianceRow] = Field(description="One per province (the 38), each with its own reporting deadline.")
    total: ComplianceCounts = Field(description="The whole nation.")


class DecreeFilters(AtLevel):
    status: DecreeStatus | None = None
    subject: DecreeSubject | None = None
    team_id: IdFilter = None
    q: str | None = search_text("Search title and number.")


class DeadlineFilters(InRegion):
    year: int | None = Field(None, ge=2000, le=2100)


class MissingReportRow(MissingReport):
    """A region that has not reported, with the kab/kota and kecamatan it lies in."""

    regency: RegionRef | None = Field(description="Its kab/kota (null for a province).")
    district: RegionRef | None = Field(description="Its kecamatan (null above the village level).")


class MissingGroup(BaseModel):
    """One kab/kota's share of the regions that have not reported (over all pages)."""

    regency: RegionRef
    not_reported: int
    overdue: bool = Field(description="Past its reporting deadline.")


class MissingPage(BaseModel):
    """A page of the regions with no reported SK, in code order (so grouped by kab/kota)."""

    items: list[MissingReportRow]
    total: int = Field(description="Regions at the level with no reported SK, over all pages.")
    limit: int
    offset: int
    level: RegionLevel
    as_of: date | None
    year: int
    groups: list[MissingGroup] = Field(description="Per kab/kota: how many have not reported (the kab/kota with none are left out).")


class MissingFilters(Filters):
    level: RegionLevel = RegionLevel.village
    as_of: IsoDate | None = Field(None, description="The state at the end of this day (YYYY-MM-DD).")
    year: YearFilter = Field(None, description="Which reporting deadlines apply (default: the year of as_of, or this year).")


# -- chasing a late region -------------------------------------------------------------


class ChaseStage(StrEnum):
    """How far the region's TP Posyandu and its SK have come."""

    no_team = "no_team"
    no_decree = "no_decree"
    draft = "draft"
    issued = "issued"
    reported = "reported"
    verified = "verified"


class ChaseTeam(BaseModel):
    id: int
    name: str
    kind: str
    formed_on: date | None
    member_count: int


class ChaseDecree(BaseModel):
    id: int
    title: str
    number: str | None
    decree_date: date | None
    status: DecreeStatus
    has_file: bool
    last_transition: TransitionRead | None = Field(description="Its latest lifecycle step (none for a draft never moved).")


class Contact(BaseModel):
    """Someone to contact about a region: one of its accounts or a member of its team."""

    kind: Literal["account", "member"]
    id: int
    name: str
    role: str = Field(description="The account's role, or the member's position.")
    institution: str | None
    phone: str | None = Field(description="E.164 (+62...).")
    email: str | None
    tel_url: str | None = Field(description="`tel:+62...`")
    mailto_url: str | None
    whatsapp_url: str | None = Field(description="`https://wa.me/<digits>?text=<the reminder>` (mobile numbers only).")


class RegionContacts(BaseModel):
    """Whom to contact in a region (not a list export: people's phones are not bulk-exported)."""

    region: RegionRef
    reminder: str = Field(description="The prefilled Indonesian reminder of the WhatsApp links.")
    contacts: list[Contact]


class ChaseSheet(BaseModel):
    """One region's TP Posyandu and SK, how late it is, and whom to chase."""

    region: RegionRef
    ancestors: list[RegionRef] = Field(description="From the province down to the parent.")
    today: date = Field(description="Today in the offices' zone (Asia/Jakarta).")
    stage: ChaseStage
    late: bool = Field(description="No reported SK yet (what the board lists as 'belum melaporkan').")
    team: ChaseTeam | None = Field(description="Its active TP Posyandu (else its Pokjanal/Pokja).")
    legacy_structure: bool
    decree: ChaseDecree | None = Field(description="Its furthest team-formation SK (the one that counts, if any).")
    deadline: date | None = Field(description="The reporting deadline that applies (nearest at or above the region).")
    overdue: bool
    days_late: int | None = Field(description="Days past the deadline while not reported (null when not overdue).")
    what_is_late: str = Field(description="In Indonesian, what is missing (as the reminder says it).")
    reminder: str = Field(description="The prefilled Indonesian reminder of the WhatsApp links.")
    contacts: list[Contact] | None = Field(description="Null unless you may see contacts (`view_contacts`).")
    allowed_actions: RegionActions
