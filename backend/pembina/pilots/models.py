from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Versioned, utcnow
from pembina.posyandu.models import Posyandu


class PilotSite(Versioned, Base):
    """A posyandu piloting the 6-SPM model (percontohan) for a period, with a scorecard per SPM
    field and notes of good practice."""

    __tablename__ = "pilot_sites"
    policy_kind: ClassVar[Kind] = Kind.pilot_site  # what the access policy knows it as

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), nullable=False)
    #: The posyandu's village (scope, audit, counters).
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: {spm_field: {"baseline_score": int|None, "current_score": int|None, "evidence": str|None}}
    scorecard: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    good_practices: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)

    posyandu: Mapped[Posyandu] = relationship(Posyandu, lazy="selectin", viewonly=True)

    __table_args__ = (
        UniqueConstraint("posyandu_id", "start_date"),
        Index("ix_pilot_sites_region_code", "region_code"),
    )
