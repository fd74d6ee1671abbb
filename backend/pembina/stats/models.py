from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pembina.kit.db import Base, RegionCode


class RegionStat(Base):
    """A counter per region and metric, kept current in the same transaction as each write.

    `region_code` '' is the nation. A change at a village adjusts the village's row and
    every ancestor's (district, regency, province, nation), so any roll-up is one lookup.
    """

    __tablename__ = "region_stats"
    __audit__ = False

    region_code: Mapped[str] = mapped_column(RegionCode, primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=False, default=0)
