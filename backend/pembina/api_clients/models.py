from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pembina.auth.models import Credential
from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked


class ApiClient(Tracked, Credential, Base):
    """A third-party system's credential (OAuth2 client_credentials), bound to a region."""

    __tablename__ = "api_clients"
    policy_kind: ClassVar[Kind] = Kind.api_client  # what the access policy knows it as
    __audit__ = {"exclude": {"secret_hash"}}

    client_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    secret_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    #: The OAuth2 scopes granted, space-separated in the vocabulary's order (`pembina.kit.scopes`).
    scopes: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    region_code: Mapped[str | None] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    #: When it last got a token: kept beside the client (`ApiClientUsage`), not in it.
    usage: Mapped[ApiClientUsage | None] = relationship(lazy="selectin", viewonly=True)

    #: AUTOINCREMENT on SQLite: an id is never given again after its account is deleted
    #: (tokens and audit actors name accounts by id).
    __table_args__ = (Index("ix_api_clients_region_code", "region_code"), {"sqlite_autoincrement": True})

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def last_used_at(self) -> datetime | None:
        """When the client last got a token (None: never)."""
        return self.usage.last_used_at if self.usage is not None else None


class ApiClientUsage(Base):
    """When an API client last got a token. A row of its own, not a column of the client: getting
    a token is no edit, so the client's version (its ETag), audit trail and change feed stay as
    they are; only an edit changes them. Gone with its client (ON DELETE CASCADE)."""

    __tablename__ = "api_client_usage"
    __audit__ = False

    api_client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"), primary_key=True)
    last_used_at: Mapped[datetime] = mapped_column(nullable=False)
