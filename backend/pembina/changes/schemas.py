from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class Change(BaseModel):
    cursor: str = Field(description="Resume after this change by passing it as `cursor`.")
    occurred_at: datetime
    action: Literal["create", "update", "delete"]
    entity_type: str = Field(examples=["users"])
    entity_id: str
    region_code: str | None
    data: dict[str, Any] | None = Field(description="The record after the change (null for a delete).")


class ChangePage(BaseModel):
    items: list[Change]
    next_cursor: str | None = Field(description="Pass as `cursor` to continue; equals the request's cursor when nothing new.")
    has_more: bool = Field(description="More changes are available right now: call again at once.")
