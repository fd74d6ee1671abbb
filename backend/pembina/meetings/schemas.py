from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from pembina.kit.i18n import Localised
from pembina.kit.params import IdFilter, IsoDate, search_text
from pembina.regions.filters import AtHeldLevel, InRegion
from pembina.auth.policy import ActionableRead
from pembina.budgets.schemas import BudgetSource
from pembina.legal.schemas import LegalReferenceRef
from pembina.regions.schemas import NationOrRegionHeldRead, StoredLevel
from pembina.kit.params import CODE_PATTERN, MAX_ID, IdField, Input, RegionCodeField
from pembina.kit.provenance import SourcedRead


#: Where a meeting's money comes from: the team budgets' own source codes.
FundingSource = BudgetSource


class FollowUpStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


#: Statuses of a follow-up that is still to be done (and can be overdue).
PENDING = (FollowUpStatus.open.value, FollowUpStatus.in_progress.value)


#: One entry of a text list (institution, agenda item, goal).
Item = Annotated[str, Field(min_length=1, max_length=500)]


def _check_items(model: BaseModel) -> None:
    for name in ("institutions", "agenda", "goals"):
        for item in getattr(model, name) or []:
            if not item.strip() or "\x00" in item:
                raise Localised(
                    "{name}: an item must not be blank nor contain NUL characters",
                    "{name}: butir tidak boleh kosong atau berisi karakter NUL",
                    name=name,
                )


class DatePrecision(StrEnum):
    """How much of a date is known: the day, or only the month (the date is then the month's first day)."""

    day = "day"
    month = "month"


class AttendanceIn(Input):
    region_code: str = Field(
        pattern=CODE_PATTERN,
        max_length=13,
        examples=["33.75"],
        description="A region that attended (under the meeting's region; any region for a national meeting).",
    )
    participant_count: int | None = Field(default=None, ge=0, le=100_000, description="How many of its people came, if known.")


def _check_attendance(attendance: list[AttendanceIn] | None) -> None:
    codes = [a.region_code for a in attendance or []]
    if len(set(codes)) != len(codes):
        raise Localised("attendance: each region is listed once", "attendance: setiap wilayah dicantumkan sekali")


#: A meeting's attendance: at most every province and regency/city of the country.
MAX_ATTENDANCE = 600


class Speaker(Input):
    name_or_office: str = Field(
        min_length=1,
        max_length=200,
        description="A speaker's office or position as the source names it, e.g. 'Dinas Kesehatan Kota Serang'.",
    )
    topic: str | None = Field(default=None, max_length=500)


class _MeetingFields(Input):
    title: str = Field(min_length=1, max_length=500, examples=["Rapat Koordinasi Tim Pembina Posyandu Tingkat Kota Serang"])
    held_on: date = Field(description="The day it was held; with precision `month`, the first day of its month.")
    held_on_precision: DatePrecision = Field(
        default=DatePrecision.day,
        description="`month`: only the month is known (held_on is its first day; lists sort and filter it as that day, "
        "clients show month and year).",
    )
    venue: str | None = Field(default=None, max_length=300, examples=["Hotel Flamengo"])
    organizer: str | None = Field(default=None, max_length=200, description="The organising office.", examples=["Pemerintah Kota Serang"])
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The organising team (a team of the meeting's region).")
    participant_count: int | None = Field(default=None, ge=0, le=1_000_000)
    institutions: list[Item] = Field(default_factory=list, max_length=200, description="Institutions present.")
    agenda: list[Item] = Field(default_factory=list, max_length=100, description="Agenda items, in order.")
    goals: list[Item] = Field(default_factory=list, max_length=100, description="The meeting's goals (tujuan).")
    speakers: list[Speaker] = Field(default_factory=list, max_length=100, description="Speakers (narasumber).")
    legal_reference_ids: list[IdField] = Field(
        default_factory=list, max_length=100, description="Legal basis: ids in /legal-references, in the order cited."
    )
    funding_source: FundingSource | None = None
    funding_year: int | None = Field(default=None, ge=2000, le=2100, description="The fiscal year of the funding (tahun anggaran).")
    minutes: str | None = Field(default=None, max_length=100_000, description="The minutes (notulen).")
    attendance: list[AttendanceIn] = Field(
        default_factory=list, max_length=MAX_ATTENDANCE, description="The regions that attended (e.g. the provinces at a Rakornas)."
    )

    @model_validator(mode="after")
    def _list_items(self) -> _MeetingFields:
        _check_items(self)
        _check_attendance(self.attendance)
        return self


class MeetingCreate(_MeetingFields):
    region_code: RegionCodeField | None = Field(
        examples=["36.73"], description="The holding region; null: a national meeting (national accounts only)."
    )


class MeetingUpdate(Input):
    """Fields given replace the stored ones (lists are replaced whole)."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    held_on: date | None = None
    held_on_precision: DatePrecision | None = None
    venue: str | None = Field(default=None, max_length=300)
    organizer: str | None = Field(default=None, max_length=200)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    participant_count: int | None = Field(default=None, ge=0, le=1_000_000)
    institutions: list[Item] | None = Field(default=None, max_length=200)
    agenda: list[Item] | None = Field(default=None, max_length=100)
    goals: list[Item] | None = Field(default=None, max_length=100)
    speakers: list[Speaker] | None = Field(default=None, max_length=100)
    legal_reference_ids: list[IdField] | None = Field(default=None, max_length=100)
    funding_source: FundingSource | None = None
    funding_year: int | None = Field(default=None, ge=2000, le=2100)
    minutes: str | None = Field(default=None, max_length=100_000)
    attendance: list[AttendanceIn] | None = Field(default=None, max_length=MAX_ATTENDANCE, description="Replaces the attendance.")

    @model_validator(mode="after")
    def _list_items(self) -> MeetingUpdate:
        _check_items(self)
        _check_attendance(self.attendance)
        return self


class AttendanceRead(BaseModel):
    region_code: str
    region_name: str
    level: StoredLevel
    participant_count: int | None


class SpeakerRead(BaseModel):
    name_or_office: str
    topic: str | None


class AttachmentRead(BaseModel):
    id: int
    meeting_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime


class FollowUpCreate(Input):
    action: str = Field(min_length=1, max_length=5000, examples=["Kelurahan yang belum melapor segera melaporkan SK TP Posyandu Kelurahan"])
    owner: str | None = Field(
        default=None, max_length=200, description="Responsible office or position.", examples=["Lurah se-Kota Pekalongan"]
    )
    due_on: date | None = None
    status: FollowUpStatus = FollowUpStatus.open
    done_on: date | None = Field(default=None, description="When it was done (defaults to today when status is done).")
    notes: str | None = Field(default=None, max_length=5000)


class FollowUpUpdate(Input):
    action: str | None = Field(default=None, min_length=1, max_length=5000)
    owner: str | None = Field(default=None, max_length=200)
    due_on: date | None = None
    status: FollowUpStatus | None = None
    done_on: date | None = None
    notes: str | None = Field(default=None, max_length=5000)


class _FollowUp(BaseModel):
    id: int
    meeting_id: int
    meeting_title: str
    meeting_held_on: date
    region_code: str | None = Field(description="The meeting's region (null: a national meeting).")
    action: str
    owner: str | None
    due_on: date | None
    status: FollowUpStatus
    done_on: date | None
    notes: str | None
    overdue: bool = Field(description="Open or in progress and due before today.")


class FollowUpRead(ActionableRead, SourcedRead, _FollowUp):
    pass


class FollowUpSummary(BaseModel):
    open: int = Field(description="Open or in progress.")
    overdue: int = Field(description="Open or in progress, due before today.")


class _Meeting(NationOrRegionHeldRead):
    title: str
    held_on: date = Field(description="With precision `month`, the first day of the month (sorted and filtered as that day).")
    held_on_precision: DatePrecision = Field(description='`month`: only the month is known; show month and year ("Juli 2025").')
    venue: str | None
    organizer: str | None
    team_id: int | None
    participant_count: int | None
    institutions: list[str]
    agenda: list[str]
    goals: list[str]
    speakers: list[SpeakerRead]
    legal_basis: list[LegalReferenceRef] = Field(description="The cited legal references, in order.")
    funding_source: FundingSource | None
    funding_year: int | None
    minutes: str | None
    follow_ups: FollowUpSummary
    attachment_count: int
    attendance: list[AttendanceRead] = Field(description="The regions that attended, in code order.")
    attendance_participants: int | None = Field(description="The participants the attendance counts (null: none counted).")


class MeetingRead(ActionableRead, SourcedRead, _Meeting):
    pass


class MeetingDetail(MeetingRead):
    follow_up_items: list[FollowUpRead] = Field(description="Every follow-up of the meeting, by due date.")


class MeetingFilters(AtHeldLevel):
    held_from: IsoDate | None = Field(None, description="Held on or after (YYYY-MM-DD; a month-precision date is its month's first day).")
    held_to: IsoDate | None = Field(None, description="Held on or before (YYYY-MM-DD; a month-precision date is its month's first day).")
    funding_source: FundingSource | None = None
    legal_reference_id: IdFilter = Field(None, description="Meetings citing this legal reference.")
    q: str | None = search_text("Search title and venue.")


class FollowUpFilters(InRegion):
    status: FollowUpStatus | None = None
    overdue: bool | None = None
    as_of: IsoDate | None = Field(None, description="The day overdue is judged on (default today).")
    meeting_id: IdFilter = None
    q: str | None = search_text("Search action and owner.")
