from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.models import Credential
from pembina.auth.policy import Kind
from pembina.kit.db import AFTER_STAMPS, Base, RegionCode, Tracked


class User(Tracked, Credential, Base):
    __tablename__ = "users"
    policy_kind: ClassVar[Kind] = Kind.user  # what the access policy knows it as
    __audit__ = {"exclude": {"password_hash"}}

    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    #: E.164 (+62...), see kit.phones.
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    #: None: national.
    region_code: Mapped[str | None] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True, sort_order=AFTER_STAMPS)

    #: AUTOINCREMENT on SQLite: an id is never given again after its account is deleted
    #: (tokens and audit actors name accounts by id).
    __table_args__ = (Index("ix_users_region_code", "region_code"), {"sqlite_autoincrement": True})
