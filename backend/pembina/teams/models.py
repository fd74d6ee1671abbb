from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.db import Base, RegionCode, Versioned, utcnow


class Team(Versioned, Base):
    """A TP Posyandu (or a legacy Pokjanal/Pokja) of one region, formed by decree (SK)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    #: 1 province, 2 regency/city, 3 district, 4 village (derived from region_code).
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: tp_posyandu | pokjanal_posyandu | pokja_posyandu
    kind: Mapped[str] = mapped_column(String(32), nullable=False, default="tp_posyandu")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("region_code", "kind"),
        Index("ix_teams_level_region_code", "level", "region_code"),
    )
