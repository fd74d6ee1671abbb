from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pembina.kit.db import Base, RegionCode, utcnow

JSONType = JSON().with_variant(JSONB(), "postgresql")


class AuditEvent(Base):
    """One write to one record: who, when, what it was before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    #: "user:12", "client:3" or "system".
    actor: Mapped[str] = mapped_column(String(40), nullable=False)
    actor_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: create | update | delete
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The region the record belongs to (None: national), for scoping reads.
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    #: On an update that moved the record to another region: where it was before.
    prior_region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The writing transaction's id on PostgreSQL (txid_current()); 0 on SQLite, where
    #: writers are serialized. Orders the change feed so that no commit is ever skipped.
    txid: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")

    __table_args__ = (
        Index("ix_audit_events_entity", "entity_type", "entity_id"),
        Index("ix_audit_events_region_code_id", "region_code", "id"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_txid_id", "txid", "id"),
    )
