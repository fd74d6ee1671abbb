from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pembina.regions.filters import InRegion
from pembina.auth.policy import AllowedActions
from pembina.kit.roles import ClientScope
from pembina.kit.scopes import Scope
from pembina.kit.params import Omittable, RegionCodeField


class ApiClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["Portal Data Provinsi Jawa Tengah"])
    region_code: RegionCodeField | None = Field(default=None, description="The region the client may see; defaults to your own.")
    scopes: list[Scope] | None = Field(
        default=None,
        max_length=len(Scope),
        description="The OAuth2 scopes granted. Default: every domain read scope. `accounts:read`, `audit:read` and "
        "`personal-data:read` are granted only when listed (the grant is recorded in the audit trail).",
    )
    scope: ClientScope | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated: `read` stands for every domain read scope, `read_write` for those and every write scope. "
        "Give `scopes` instead (not both).",
    )


class ApiClientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | Omittable = None
    scopes: Annotated[list[Scope], Field(max_length=len(Scope))] | Omittable = Field(
        default=None, description="Replace the granted scopes (a sensitive one is granted only when listed; recorded in the audit trail)."
    )
    scope: ClientScope | Omittable = Field(default=None, deprecated=True, description="Deprecated: see `scopes` (not both).")
    is_active: bool | Omittable = None


class ApiClientRead(BaseModel):
    id: int
    client_id: str
    name: str
    scopes: list[Scope] = Field(description="The OAuth2 scopes granted; a token carries these or the subset it asked for.")
    scope: ClientScope = Field(deprecated=True, description="Deprecated: `read_write` if any write scope is granted, else `read`.")
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
