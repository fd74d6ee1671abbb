from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Change(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    cursor: str = Field(description="Resume after this change by passing it as `cursor`.")
    occurred_at: datetime
    action: Literal["create", "update", "delete"]
    entity_type: str = Field(examples=["users"])
    entity_id: str
    region_code: str | None
    record_schema: str | None = Field(
        alias="schema",
        examples=["PosyanduRead"],
        description="The schema of `data`: the read model the API returns for this kind of record (e.g. `PosyanduRead` "
        "for `entity_type` posyandu), named as in this contract's components. Null for the few kinds of record the API "
        "shows only inside another (e.g. a work program's link to a budget allocation, a meeting's legal basis): their `data` is the stored row's columns.",
    )
    data: dict[str, Any] | None = Field(
        description="The record as the API returns it to you (a GET of it, without `allowed_actions`, which describe the "
        "reader), as it is when you read the feed; null for a delete, and for a change to a record that has since been "
        "deleted or moved out of your region (a later entry says so)."
    )


class ChangePage(BaseModel):
    items: list[Change]
    next_cursor: str | None = Field(description="Pass as `cursor` to continue; equals the request's cursor when nothing new.")
    has_more: bool = Field(description="More changes are available right now: call again at once.")
