from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from pembina.kit.params import IsoDateTime
from pembina.regions.filters import InRegion

from pydantic import BaseModel, ConfigDict


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: str
    region_code: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


class AuditFilters(InRegion):
    entity_type: str | None = Field(None, max_length=40, examples=["users"])
    entity_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=40, examples=["user:1"])
    action: Literal["create", "update", "delete", "export"] | None = None
    since: IsoDateTime | None = Field(None, description="ISO 8601 with a timezone.")
    until: IsoDateTime | None = Field(None, description="ISO 8601 with a timezone.")
