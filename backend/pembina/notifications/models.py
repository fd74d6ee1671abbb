"""The notifications outbox and each account's preferences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.kit.db import Base, RegionCode, utcnow


class Notification(Base):
    """One reminder for one account: (rule, subject, occurrence, account) is unique, so a rule
    firing again for the same event (another worker, a restart) inserts nothing.

    It is the in-app notification and the outbox of its e-mail at once: `email_status` is
    `none` (not by e-mail), `pending` (to send), `sent`, `failed` (gave up) or `cancelled` (the
    problem was resolved before it went out). A failed send is retried with exponential backoff
    (`email_next_attempt_at`), at most `mailer.MAX_ATTEMPTS` times in all."""

    __tablename__ = "notifications"
    #: the outbox's own bookkeeping (sent, read): no audit events
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    #: a code of `rules.RULES`
    rule: Mapped[str] = mapped_column(String(40), nullable=False)
    #: what it is about, e.g. "sk:33.75.02.1008:2026", "follow_up:12", "posyandu:5"
    subject: Mapped[str] = mapped_column(String(80), nullable=False)
    #: which firing of the rule for that subject, e.g. "d14:2026-06-30", "late:2026-06-30:1", "2026-W50"
    occurrence: Mapped[str] = mapped_column(String(40), nullable=False)
    #: the region of the record (a village for an SK deadline); None: national
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    #: decree | posyandu | follow_up | region | digest
    record_kind: Mapped[str | None] = mapped_column(String(24), nullable=True)
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the record's own words: a region's or posyandu's name, a follow-up's action, a decree's title
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: what a digest counts, a reason, a registration number, the meeting of a follow-up...
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: shown in the dashboard (the account's preferences when it was made)
    in_app: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    email_status: Mapped[str] = mapped_column(String(12), nullable=False, default="none")
    email_attempts: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    email_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: after a failed send: not before this instant (None: as soon as the worker comes)
    email_next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        UniqueConstraint("rule", "subject", "occurrence", "user_id"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_email_status_id", "email_status", "id"),
        Index("ix_notifications_subject", "subject"),
        {"sqlite_autoincrement": True},
    )


class NotificationPreference(Base):
    """An account's choice for one rule (no row: the defaults, every channel on). For the rule
    `weekly_digest`, `weekday` is the day it comes (0 Monday ... 6 Sunday)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(40), primary_key=True)
    in_app: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    email: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    whatsapp: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    weekday: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class WorkerRun(Base):
    """When the worker last completed one of its tasks (e.g. "registration_events", "prune"):
    kept in the database so that a restarted or long-stopped worker knows how far back to look,
    and a daily task runs once a day however many workers there are."""

    __tablename__ = "worker_runs"
    __audit__ = False

    task: Mapped[str] = mapped_column(String(40), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(nullable=False)
