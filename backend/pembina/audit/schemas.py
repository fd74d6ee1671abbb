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
    actor_name: str | None = Field(description="The actor's name when the event was written (null for the system).")
    actor_label: str = Field(
        description="Who wrote it, for people: the account's (or API client's) name and username as they are now, "
        "else the name recorded at the time, else the actor id.",
        examples=["Siti Aminah (kota_pekalongan)"],
    )
    action: str
    entity_type: str
    entity_id: str
    entity_label: str | None = Field(
        description="A readable name of the record, from its columns at the time of the event (e.g. 'SK 12/2025', "
        "'Posyandu Melati'); null when the record has no name.",
        examples=["SK 12/2025"],
    )
    region_code: str | None
    region_name: str | None = Field(description="The name of the record's region (null: national).", examples=["Kota Pekalongan"])
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
