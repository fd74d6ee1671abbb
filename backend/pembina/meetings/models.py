from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked
from pembina.kit import search
from pembina.kit.provenance import Sourced
from pembina.kit.files import StoredFile
from pembina.regions.models import NationOrRegionHeld


class Meeting(Sourced, Tracked, NationOrRegionHeld, Base):
    """A coordination meeting (rapat koordinasi, rakor) held by a region's team or office, or a
    national one (no region: the Rakornas), with the regions that attended."""

    __tablename__ = "meetings"
    policy_kind: ClassVar[Kind] = Kind.meeting  # what the access policy knows it as

    title: Mapped[str] = mapped_column(String(500), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: day | month (only the month is known: held_on is its first day, and is shown as month and year)
    held_on_precision: Mapped[str] = mapped_column(String(8), nullable=False, default="day", server_default="day")
    venue: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: The organising office (e.g. "DPMPPA Kota Pekalongan").
    organizer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), nullable=True)
    participant_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    institutions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    agenda: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    goals: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: [{"name_or_office": str, "topic": str | None}]
    speakers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    #: apbd | apbd_perubahan | dak_non_fisik | apbdes | dana_desa | other
    funding_source: Mapped[str | None] = mapped_column(String(32), nullable=True)
    funding_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    minutes: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: title and venue as searches compare them (`kit.search`)
    search_text: Mapped[str] = search.text_column("title", "venue")

    __table_args__ = (
        Index("ix_meetings_region_code_held_on", "region_code", "held_on"),
        Index("ix_meetings_held_on_id", "held_on", "id"),
        Index("ix_meetings_team_id", "team_id"),
    )


search.searchable(Meeting, "title", "venue")


class MeetingLegalBasis(Base):
    """A legal reference a meeting cites as its basis (dasar hukum), in the order cited."""

    __tablename__ = "meeting_legal_bases"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    legal_reference_id: Mapped[int] = mapped_column(ForeignKey("legal_references.id"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: The meeting's region (scope and audit; None: a national meeting).
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)

    __table_args__ = (Index("ix_meeting_legal_bases_legal_reference_id", "legal_reference_id"),)


class MeetingAttendance(Base):
    """A region that attended a meeting (a province or city at the Rakornas), with how many of its
    people came, if known. Attendance is part of the meeting (replaced with it, audited with it)."""

    __tablename__ = "meeting_attendances"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    #: The attending region; it lies under the meeting's region (any region for a national meeting).
    attendee_region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), primary_key=True)
    participant_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The meeting's region (scope and audit; None: a national meeting's).
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)

    __table_args__ = (Index("ix_meeting_attendances_attendee_region_code", "attendee_region_code"),)


class MeetingAttachment(StoredFile, Base):
    """A file attached to a meeting (invitation, minutes scan, attendance list, photo)."""

    __tablename__ = "meeting_attachments"
    policy_kind: ClassVar[Kind] = Kind.attachment  # what the access policy knows it as

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    #: The meeting's region (scope and audit; None: a national meeting).
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)

    __table_args__ = (Index("ix_meeting_attachments_meeting_id", "meeting_id"),)


class FollowUp(Sourced, Tracked, Base):
    """A follow-up action agreed at a meeting (tindak lanjut): who does what by when."""

    __tablename__ = "follow_ups"
    policy_kind: ClassVar[Kind] = Kind.follow_up  # what the access policy knows it as

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    #: The meeting's region (scope, audit, the region summary; None: a national meeting's).
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    #: The responsible office or position (e.g. "Lurah se-Kota Pekalongan").
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: open | in_progress | done | cancelled
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_follow_ups_meeting_id", "meeting_id"),
        Index("ix_follow_ups_status_region_code_due_on", "status", "region_code", "due_on"),
    )
