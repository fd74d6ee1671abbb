from __future__ import annotations

from datetime import datetime
from typing import Any

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
