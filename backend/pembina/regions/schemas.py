from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field



class RegionLevel(StrEnum):
    province = "province"
    regency = "regency"
    district = "district"
    village = "village"


LEVEL_NUMBER = {RegionLevel.province: 1, RegionLevel.regency: 2, RegionLevel.district: 3, RegionLevel.village: 4}
LEVEL_NAME = {v: k for k, v in LEVEL_NUMBER.items()}


class RegionRef(BaseModel):
    code: str = Field(examples=["33.75"])
    name: str = Field(examples=["Kota Pekalongan"])
    level: RegionLevel


class RegionRead(RegionRef):
    model_config = ConfigDict(from_attributes=True)

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
