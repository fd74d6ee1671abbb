"""Webhook subscriptions, their outbox of deliveries (with each attempt), and the worker's cursor."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked, utcnow


class WebhookSubscription(Tracked, Base):
    """An API client's subscription: events of these types, POSTed to this URL, signed with its secret."""

    __tablename__ = "webhook_subscriptions"
    policy_kind: ClassVar[Kind] = Kind.webhook  # what the access policy knows it as
    #: The secret signs every delivery, so it is kept as it is (never in the audit trail or the API after creation).
    __audit__ = {"exclude": {"secret"}}

    api_client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"), nullable=False)
    #: The client's region (scope): copied from the client, which cannot move.
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    description: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The event types it receives (`pembina.webhooks.events.EventType` values).
    event_types: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: "whsec_" + base64 of 24 random bytes (Standard Webhooks).
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    #: Set when the worker disabled it after repeated failure (cleared when it is enabled again).
    disabled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)

    __table_args__ = (Index("ix_webhook_subscriptions_api_client_id", "api_client_id"),)


class DeliveryStatus:
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class WebhookDelivery(Base):
    """One event for one subscription (at most one: unique per subscription and event), with its
    signed body fixed when it was created; sent and retried by the worker."""

    __tablename__ = "webhook_deliveries"
    __audit__ = False

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False)
    #: What the event is, unique per subscription: "audit:<event id>:<type>" (from the change feed) or
    #: "overdue:<follow-up id>:<due date>".
    event_key: Mapped[str] = mapped_column(String(80), nullable=False)
    event_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(nullable=False)
    #: The JSON body exactly as it is sent (and signed) on every attempt.
    body: Mapped[str] = mapped_column(Text, nullable=False)
    #: pending | succeeded | failed (for good)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: When the worker sends it next (None: finished). While an attempt runs: the end of its lease.
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: The first attempt of the current series (the retry window counts from it; a redelivery starts a new series).
    first_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_response: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        UniqueConstraint("subscription_id", "event_key"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_id_id", "subscription_id", "id"),
    )


class WebhookAttempt(Base):
    """One try of a delivery: when, the receiver's status code, how long, what it answered."""

    __tablename__ = "webhook_attempts"
    __audit__ = False

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    response_excerpt: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)

    __table_args__ = (Index("ix_webhook_attempts_delivery_id", "delivery_id"),)


class WebhookCursor(Base):
    """How far the worker has turned the change feed into deliveries: the (txid, id) of the last
    audit event it read. One row; kept across restarts, so nothing is delivered twice."""

    __tablename__ = "webhook_cursor"
    __audit__ = False

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger, nullable=False)
    event_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
