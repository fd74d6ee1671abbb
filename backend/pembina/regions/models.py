from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from pembina.kit import search
from pembina.kit.db import PLACE_COLUMNS, Base, RegionCode


class Region(Base):
    """A Kemendagri region; `code` is a dotted materialized path ('33.75.02.1008')."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(RegionCode, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    #: 1 province, 2 regency/city, 3 district, 4 village.
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: Official type: provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat.
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=True)
    postal_code: Mapped[str | None] = mapped_column(String(5), nullable=True)
    #: Direct children and all villages below, computed at load time (region data is static).
    child_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    village_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    district_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    regency_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: The name as searches compare it (`kit.search.normalise`: case- and accent-insensitive).
    name_search: Mapped[str] = mapped_column(String(120), nullable=False, default=search.column_default("name"))

    __table_args__ = (
        Index("ix_regions_parent_code", "parent_code"),
        Index("ix_regions_level_name", "level", "name"),
        # the regions of one level in a subtree, in code order (the compliance boards' missing lists):
        # one index range; without it SQLite scans every region of the level (83,762 villages)
        Index("ix_regions_level_code", "level", "code"),
        Index("ix_regions_name_search", "name_search"),
    )


search.searchable(Region, "name", column="name_search")


class RegionHeld:
    """A record held by one region (a team, a decree, a meeting, a competition): the region's code
    and level, stored (the level for filters by level), and the region, loaded with the record."""

    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False, sort_order=PLACE_COLUMNS)
    #: 1 province, 2 regency/city, 3 district, 4 village (derived from region_code).
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False, sort_order=PLACE_COLUMNS)

    @declared_attr
    def region(cls) -> Mapped[Region]:
        return relationship(Region, lazy="joined", viewonly=True)

    @property
    def region_name(self) -> str | None:
        return self.region.name if self.region is not None else None


class NationOrRegionHeld(RegionHeld):
    """A record held by one region or by the nation (a team, a meeting, a competition): a national
    record has no region (`region_code` NULL, level 0). Every subtree condition excludes NULL, so a
    national record is in no region's lists or counters; national accounts read and write it
    (`kit.scope.Principal.covers(None)`), and `auth.policy` says who else may read it."""

    region_code: Mapped[str | None] = mapped_column(  # type: ignore[assignment]
        RegionCode, ForeignKey("regions.code"), nullable=True, sort_order=PLACE_COLUMNS
    )
