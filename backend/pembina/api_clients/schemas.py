from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pembina.regions.filters import InRegion
from pembina.auth.policy import AllowedActions
from pembina.kit.roles import ClientScope
from pembina.kit.params import Omittable, RegionCodeField


class ApiClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["Portal Data Provinsi Jawa Tengah"])
    region_code: RegionCodeField | None = Field(default=None, description="The region the client may see; defaults to your own.")
    scope: ClientScope = ClientScope.read


class ApiClientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | Omittable = None
    scope: ClientScope | Omittable = None
    is_active: bool | Omittable = None


class ApiClientRead(BaseModel):
    id: int
    client_id: str
    name: str
    scope: ClientScope
    region_code: str | None
    is_active: bool
    created_by_user_id: int | None
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None
    version: int
    allowed_actions: AllowedActions


class ApiClientWithSecret(ApiClientRead):
    client_secret: str = Field(description="Shown this once; store it now. Only a hash is kept.")


class ApiClientFilters(InRegion):
    active: bool | None = None
