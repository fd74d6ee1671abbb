from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked, utcnow
from pembina.kit.provenance import Sourced
from pembina.regions.models import NationOrRegionHeld


class Competition(Sourced, Tracked, NationOrRegionHeld, Base):
    """A posyandu competition (lomba posyandu) or award, held by a region (or the nation) for a year."""

    __tablename__ = "competitions"
    policy_kind: ClassVar[Kind] = Kind.competition  # what the access policy knows it as

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[str] = mapped_column(String(100), nullable=False)
    #: draft | open | scoring | final
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    #: [{"name": str, "weight": int}], weights summing to 100.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    #: [{"rank": int, "prize": str}], set when finalized.
    prizes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    finalized_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (Index("ix_competitions_region_code_year", "region_code", "year"),)


class CompetitionEntrant(Base):
    """A posyandu (or a region's team) entered in a competition, with its scores per criterion."""

    __tablename__ = "competition_entrants"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False)
    #: The competition's region (scope and audit; None: a national competition).
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    #: A posyandu or a team that is entered cannot be deleted (the result would silently change).
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"), nullable=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"), nullable=True)
    #: The entrant's name when entered (posyandu or team name).
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: The entrant's own region (the posyandu's village, the team's region).
    entrant_region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    #: {criterion name: score 0..100}
    scores: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    #: Final rank, set when the competition is finalized.
    final_rank: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (
        UniqueConstraint("competition_id", "posyandu_id"),
        UniqueConstraint("competition_id", "team_id"),
        Index("ix_competition_entrants_competition_id", "competition_id"),
    )
