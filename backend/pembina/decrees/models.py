from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.policy import Kind
from pembina.kit import blobs
from pembina.kit.db import Base, RegionCode, Tracked, utcnow
from pembina.kit import search
from pembina.kit.provenance import Sourced
from pembina.regions.models import RegionHeld


class Decree(Sourced, Tracked, RegionHeld, Base):
    """A Surat Keputusan (SK): forms a team, a posyandu, a PKK roster, ...

    `status` changes only through transitions (`DecreeTransition` rows):
    draft -> issued -> reported -> verified, and revoked.
    """

    __tablename__ = "decrees"
    policy_kind: ClassVar[Kind] = Kind.decree  # what the access policy knows it as

    #: team_formation | posyandu_formation | pkk_roster | other
    subject: Mapped[str] = mapped_column(String(32), nullable=False)
    number: Mapped[str | None] = mapped_column(String(200), nullable=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    decree_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The office that signs (e.g. "Wali Kota Serang", "Lurah Klego").
    signer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The attached scan (its bytes in the file store, `pembina.kit.blobs`, named by file_sha256).
    file_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_sha256: Mapped[str | None] = blobs.blob_column(nullable=True)
    file_uploaded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: title and number as searches compare them (`kit.search`)
    search_text: Mapped[str] = search.text_column("title", "number")

    __table_args__ = (
        Index("ix_decrees_region_code", "region_code"),
        Index("ix_decrees_region_code_id", "region_code", "id"),  # the list's default order (keyset pages)
        Index("ix_decrees_subject_level_region_code", "subject", "level", "region_code"),
        Index("ix_decrees_team_id", "team_id"),
    )


search.searchable(Decree, "title", "number")


class DecreeTransition(Base):
    """One step of a decree's lifecycle: who, when, from, to, why, effective when."""

    __tablename__ = "decree_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decrees.id", ondelete="CASCADE"), nullable=False)
    #: Copies of the decree's region, level and subject: `as_of` compliance reads only this table.
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    subject: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    effective_date: Mapped[date] = mapped_column(Date, nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    actor_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_decree_transitions_decree_id", "decree_id"),
        Index("ix_decree_transitions_subject_level_region_code", "subject", "level", "region_code"),
    )


class ReportingDeadline(Tracked, Base):
    """By `due_date`, every team under `region_code` must have reported its team-formation SK
    (for `year`). The nearest deadline at or above a region applies to it."""

    __tablename__ = "reporting_deadlines"
    policy_kind: ClassVar[Kind] = Kind.deadline  # what the access policy knows it as

    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (UniqueConstraint("region_code", "year"),)
