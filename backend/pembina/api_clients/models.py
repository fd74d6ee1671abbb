from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.models import Credential
from pembina.auth.policy import Kind
from pembina.kit.db import AFTER_STAMPS, Base, RegionCode, Tracked


class ApiClient(Tracked, Credential, Base):
    """A third-party system's credential (OAuth2 client_credentials), bound to a region."""

    __tablename__ = "api_clients"
    policy_kind: ClassVar[Kind] = Kind.api_client  # what the access policy knows it as
    __audit__ = {"exclude": {"secret_hash"}}

    client_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    #: read | read_write
    scope: Mapped[str] = mapped_column(String(16), nullable=False)
    region_code: Mapped[str | None] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True, sort_order=AFTER_STAMPS)

    #: AUTOINCREMENT on SQLite: an id is never given again after its account is deleted
    #: (tokens and audit actors name accounts by id).
    __table_args__ = (Index("ix_api_clients_region_code", "region_code"), {"sqlite_autoincrement": True})
