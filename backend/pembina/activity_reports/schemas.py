from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from pembina.activity_reports.fields import PERIOD_PATTERN
from pembina.auth.policy import ActionableRead
from pembina.kit.params import CODE_PATTERN, MAX_ID, Filters, Input
from pembina.posyandu.catalog import SpmField
from pembina.regions.filters import InRegion
from pembina.regions.schemas import RegionHeldRead, RegionRef

Period = Annotated[str, Field(pattern=PERIOD_PATTERN, min_length=7, max_length=7, description="A month, YYYY-MM.", examples=["2026-11"])]
#: An answer: how many times, how many people (0 to a million).
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Answers = dict[SpmField, dict[Annotated[str, Field(min_length=1, max_length=60)], Count]]


class ReportStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"


class ReportAction(StrEnum):
    #: draft | returned -> submitted (whoever writes in the village, or above)
    submit = "submit"
    #: submitted -> accepted (the village or the district and above, per `PEMBINA_ACTIVITY_REPORT_ACCEPTOR`)
    accept = "accept"
    #: submitted | accepted -> returned, with a reason (same accounts as accept)
    return_ = "return"


class TargetGroup(StrEnum):
    ibu_hamil = "ibu_hamil"
    balita = "balita"
    lansia = "lansia"
    keluarga_miskin = "keluarga_miskin"


class ReportCreate(Input):
    posyandu_id: int = Field(ge=1, le=MAX_ID)
    period: Period
    days_open: int = Field(default=0, ge=0, le=31, description="Days the posyandu was open this month.")
    kader_present: int = Field(default=0, ge=0, le=10_000, description="Kader who served this month.")
    counts: Answers = Field(
        default_factory=dict, description="Per SPM field, code -> count, for the codes of GET /activity-reports/fields (unanswered: 0)."
    )
    target_groups: dict[TargetGroup, Count] = Field(default_factory=dict, description="People reached per target group.")
    notes: str | None = Field(default=None, max_length=5000)


class ReportUpdate(Input):
    """Any field while draft, submitted or returned; an accepted report changes only after a return."""

    days_open: int | None = Field(default=None, ge=0, le=31)
    kader_present: int | None = Field(default=None, ge=0, le=10_000)
    counts: Answers | None = Field(default=None, description="Replaces the answers whole.")
    target_groups: dict[TargetGroup, Count] | None = None
    notes: str | None = Field(default=None, max_length=5000)


class _Report(RegionHeldRead):
    posyandu_id: int
    posyandu_name: str | None
    period: str
    status: ReportStatus
    days_open: int
    kader_present: int
    questions: dict[str, dict[str, str]] = Field(
        description="What was asked (per SPM field, code -> label), as when the report was created."
    )
    counts: dict[str, dict[str, int]]
    target_groups: dict[str, int]
    active_fields: list[SpmField] = Field(description="The SPM fields with some activity (a count above 0).")
    notes: str | None
    due_date: date = Field(description="Due by the end of this day (office time zone, WIB by default).")
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    on_time: bool | None = Field(description="Its first submission came by the due date (null: never submitted).")
    accepted_at: datetime | None
    decided_by: str | None = Field(description="Who accepted or returned it last.")
    return_reason: str | None
    returned_at: datetime | None


class ReportRead(ActionableRead, _Report):
    pass


class ReportFilters(InRegion):
    period: Period | None = None
    status: ReportStatus | None = None
    posyandu_id: int | None = Field(None, ge=1, le=MAX_ID)


class TransitionCreate(Input):
    action: ReportAction
    reason: str | None = Field(default=None, min_length=1, max_length=2000, description="Required to `return`.")


class FieldDefinition(BaseModel):
    field: SpmField
    questions: dict[str, str] = Field(description="code -> label.")


class FieldDefinitions(BaseModel):
    fields: list[FieldDefinition]
    target_groups: dict[str, str]
    due_working_day: int = Field(description="A month's report is due on this working day of the next month.")
    acceptor: str = Field(description="`village` or `district`: the deepest level whose accounts accept and return reports.")
    current_period: str = Field(description="The month being reported now (the one before today's, office time zone).")
    current_due_date: date
    photo_max_count: int = Field(description="Most photos one report may carry.")
    photo_max_bytes: int = Field(description="Largest photo accepted (JPEG or PNG), in bytes.")


# -- the board ---------------------------------------------------------------------


class Completeness(BaseModel):
    period: str
    expected: int = Field(
        description=(
            "Active posyandu: today's count while the month is open (the month being reported and the current one), "
            "the count stored when a closed month was last counted; never below received."
        )
    )
    received: int = Field(description="Reports submitted (also returned for correction, or accepted).")
    on_time: int = Field(description="Of those, first submitted by the due date.")
    accepted: int
    returned: int
    missing: int = Field(description="expected - received (never below 0).")
    pct_received: float | None
    pct_on_time: float | None = Field(description="on_time / expected, in percent.")


class BoardRow(Completeness):
    region: RegionRef


class Board(BaseModel):
    region: RegionRef | None = Field(description="The region (null: the nation).")
    period: str
    due_date: date
    rows: list[BoardRow] = Field(description="One per child region (the provinces for the nation), zeros included.")
    total: Completeness


class Trend(BaseModel):
    region: RegionRef | None
    months: list[Completeness] = Field(description="The 12 months up to `until`, oldest first.")


class ServiceTotal(BaseModel):
    code: str
    label: str
    total: int


class FieldTotals(BaseModel):
    field: SpmField
    reports_with_activity: int
    reports_without_activity: int = Field(description="Received reports with no activity in this field.")
    services: list[ServiceTotal]


class ServiceTotals(BaseModel):
    region: RegionRef | None
    period: str
    received: int
    days_open: int
    kader_present: int
    fields: list[FieldTotals]
    target_groups: dict[str, int]


class MissingFilters(Filters):
    region: str | None = Field(None, pattern=CODE_PATTERN, description="The region (default: your own; national accounts: the nation).")
    period: Period | None = Field(None, description="Default: the month being reported now.")
    no_activity_in: SpmField | None = Field(
        None, description="Instead: the posyandu whose received report shows no activity in this SPM field."
    )


class MissingPosyandu(BaseModel):
    id: int
    name: str
    region_code: str
    rw: str | None
    report_id: int | None = Field(description="Its report of the month when it exists (a draft, or one without the activity asked).")
    report_status: ReportStatus | None


class PhotoRead(BaseModel):
    """A photo of a report's month: JPEG or PNG, its bytes at /activity-reports/{report_id}/photos/{id}."""

    id: int
    report_id: int
    caption: str | None = Field(description="What the photo shows (the dashboard's alt text).")
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime
