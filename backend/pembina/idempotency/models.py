from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.audit.models import JSONType
from pembina.kit.db import Base, utcnow


class IdempotencyRecord(Base):
    """A POST/PATCH sent with an Idempotency-Key, and the response it got (for replays)."""

    __tablename__ = "idempotency_records"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The caller ("user:12", "client:3"): keys are per caller.
    subject: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(255), nullable=False)
    #: sha256 of method, path, query and body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    #: pending (a claim: the request runs) | done | secret (done, response withheld) | lost (done, response unknown)
    state: Mapped[str] = mapped_column(String(8), nullable=False, default="pending")
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("subject", "key"),)
