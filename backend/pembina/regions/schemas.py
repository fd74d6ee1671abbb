from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field


class RegionLevel(StrEnum):
    province = "province"
    regency = "regency"
    district = "district"
    village = "village"


LEVEL_NUMBER = {RegionLevel.province: 1, RegionLevel.regency: 2, RegionLevel.district: 3, RegionLevel.village: 4}
LEVEL_NAME = {v: k for k, v in LEVEL_NUMBER.items()}


def _level_name(value: Any) -> Any:
    return LEVEL_NAME.get(value, value) if isinstance(value, int) else value


#: A level in a read model: shown by name, read from the number stored with a region or a record.
StoredLevel = Annotated[RegionLevel, BeforeValidator(_level_name)]


class HeldLevel(StrEnum):
    """The level of a record's holder: a region's level, or the nation (a national record)."""

    nation = "nation"
    province = "province"
    regency = "regency"
    district = "district"
    village = "village"


HELD_LEVEL_NUMBER = {level: number for number, level in enumerate(HeldLevel)}  # nation 0, province 1, ...


def _held_level_name(value: Any) -> Any:
    return list(HeldLevel)[value] if isinstance(value, int) and 0 <= value < len(HeldLevel) else value


#: A held level in a read model, read from the number stored with the record (0: the nation).
StoredHeldLevel = Annotated[HeldLevel, BeforeValidator(_held_level_name)]


class RegionHeldRead(BaseModel):
    """The first fields of the read model of a record held by a region (`regions.models.RegionHeld`)."""

    id: int
    region_code: str
    region_name: str | None
    level: StoredLevel


class NationOrRegionHeldRead(BaseModel):
    """The first fields of the read model of a record held by a region or by the nation
    (`regions.models.NationOrRegionHeld`): a national record has no region code and level `nation`."""

    id: int
    region_code: str | None = Field(description="null: a national record (held by the nation, level `nation`).")
    region_name: str | None
    level: StoredHeldLevel


class RegionRef(BaseModel):
    code: str = Field(examples=["33.75"])
    name: str = Field(examples=["Kota Pekalongan"])
    level: StoredLevel


class RegionRead(RegionRef):
    type: str = Field(description="Official type: provinsi, kabupaten, kota, kecamatan, distrik, kelurahan, desa, desa_adat.")
    parent_code: str | None
    postal_code: str | None = Field(description="Kode pos (villages only).")
    child_count: int = Field(description="Direct children.")


class RegionDetail(RegionRead):
    ancestors: list[RegionRef] = Field(description="From the province down to the parent, for breadcrumbs.")


class RegionCounts(BaseModel):
    children: int
    regencies: int
    districts: int
    villages: int
