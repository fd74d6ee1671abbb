from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pembina.auth.policy import ActionableRead
from pembina.kit.params import Filters, Omittable
from pembina.webhooks.events import EventType

Url = Annotated[str, Field(min_length=8, max_length=2000, examples=["https://portal.example.go.id/hooks/pembina"])]
EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, max_length=len(EventType), description="The events to receive (each once; see GET /webhook-events)."),
]


def _unique(v: list[EventType] | None) -> list[EventType] | None:
    return None if v is None else list(dict.fromkeys(v))


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url = Field(
        description="Where events are POSTed. It must resolve to public addresses only (unless the deployment allows private ones)."
    )
    event_types: EventTypes
    description: Annotated[str, Field(max_length=200)] | None = None
    is_active: bool = True

    _dedupe = field_validator("event_types")(_unique)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url | Omittable = None
    event_types: EventTypes | Omittable = None
    description: Annotated[str, Field(max_length=200)] | None = None
    is_active: bool | Omittable = Field(
        default=None, description="false pauses deliveries; true resumes them (also after an automatic disable)."
    )

    _dedupe = field_validator("event_types")(_unique)


class _Webhook(BaseModel):
    id: int
    api_client_id: int
    region_code: str | None
    url: str
    description: str | None
    event_types: list[EventType]
    is_active: bool
    disabled_at: datetime | None = Field(description="When the worker disabled it after repeated failure (null: it did not).")
    disabled_reason: str | None


class WebhookRead(ActionableRead, _Webhook):
    pass


class WebhookWithSecret(WebhookRead):
    secret: str = Field(
        description="The signing secret (`whsec_` + base64), shown this once: verify each delivery's `webhook-signature` with it."
    )


class DeliveryStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class DeliveryRead(BaseModel):
    id: int
    subscription_id: int
    message_id: str = Field(description="The `webhook-id` header of every attempt (the same on retries and redeliveries).")
    event_type: EventType
    entity_type: str
    entity_id: str
    region_code: str | None
    occurred_at: datetime
    status: DeliveryStatus = Field(description="pending (to be sent or retried), succeeded (a 2xx answer) or failed (every retry failed).")
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_latency_ms: int | None
    last_response: str | None = Field(description="The start of the receiver's last answer (at most 1,000 characters).")
    last_error: str | None = Field(description="Why the last attempt failed without an answer (timeout, refused address, ...).")
    created_at: datetime


class AttemptRead(BaseModel):
    id: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None
    error: str | None


class DeliveryDetail(DeliveryRead):
    payload: dict[str, Any] = Field(description="The body sent (and signed) on every attempt.")
    attempt_log: list[AttemptRead]


class DeliveryFilters(Filters):
    status: DeliveryStatus | None = None
    event_type: EventType | None = None


class EventTypeRead(BaseModel):
    type: EventType
    description: str
