"""Who a reminder goes to, and through which channels (their preferences)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, String, and_, case, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pembina.kit.db import UTCDateTime
from pembina.kit.roles import Role
from pembina.notifications.models import Notification, NotificationPreference
from pembina.users.models import User

#: Roles that never get the reminders of the region above theirs (they act on nothing there).
_NOT_ABOVE = (Role.viewer.value, Role.ministry.value)
_CONFLICT_KEY = ["rule", "subject", "occurrence", "user_id"]
#: Rows per INSERT of reminders built in Python (well under SQLite's bound-variable limit).
_CHUNK = 500


def region_accounts(region_code: Any) -> Any:
    """The SQL condition on `User` for the accounts of the region `region_code`."""
    return and_(User.is_active.is_(True), User.region_code == region_code)


def accounts_above(parent_code: Any) -> Any:
    """The SQL condition on `User` for the writing accounts of the region one level above (its
    `parent_code`; None: a province's, the national accounts): a join of its own, so that each
    uses the accounts' region index."""
    here = User.region_code.is_(None) if parent_code is None else User.region_code == parent_code
    return and_(User.is_active.is_(True), here, User.role.not_in(_NOT_ABOVE))


def insert_select(session: Session, rule: str, select_stmt: Any, now: datetime) -> int:
    """INSERT ... SELECT the rows of `select_stmt` (columns: user_id, subject, occurrence,
    region_code, record_kind, record_id, title, due_on, and the user's preference for `rule`
    joined as `NotificationPreference`), skipping duplicates; the number inserted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    cols = ["user_id", "subject", "occurrence", "region_code", "record_kind", "record_id", "title", "due_on"]
    pref = NotificationPreference
    wanted = select_stmt.outerjoin(pref, and_(pref.user_id == User.id, pref.rule == rule)).where(
        or_(pref.user_id.is_(None), pref.in_app.is_(True), pref.email.is_(True), pref.whatsapp.is_(True))
    )
    wanted = wanted.add_columns(
        literal(rule, String).label("rule"),
        func.coalesce(pref.in_app, literal(True, Boolean)).label("in_app"),
        case(
            (and_(func.coalesce(pref.email, literal(True, Boolean)), User.email.is_not(None), User.email != ""), "pending"), else_="none"
        ).label("email_status"),
        literal(0).label("email_attempts"),
        literal(now, UTCDateTime()).label("created_at"),
    )
    stmt = insert(Notification.__table__).from_select([*cols, "rule", "in_app", "email_status", "email_attempts", "created_at"], wanted)
    # the rows made, counted from RETURNING (psycopg gives no rowcount for INSERT ... SELECT ... ON CONFLICT)
    return len(session.execute(stmt.on_conflict_do_nothing(index_elements=_CONFLICT_KEY).returning(Notification.id)).all())


@dataclass
class Item:
    """One firing of a rule about one subject, for these accounts."""

    subject: str
    occurrence: str
    users: list[int]
    region_code: str | None = None
    record_kind: str | None = None
    record_id: int | None = None
    title: str | None = None
    due_on: date | None = None
    params: dict[str, Any] | None = field(default=None)


def users_of(session: Session, codes: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    """Active accounts per region code: (id, role)."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    wanted = sorted(set(codes))
    for i in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(User.id, User.region_code, User.role).where(User.is_active.is_(True), User.region_code.in_(wanted[i : i + _CHUNK]))
        )
        for uid, code, role in rows:
            if code is not None:
                out[code].append((uid, role))
    return out


def here_and_above(users: dict[str, list[tuple[int, str]]], code: str, parent: str | None) -> list[int]:
    """The accounts of `code` and the writing accounts of `parent` (from `users_of`)."""
    return [u for u, _ in users.get(code, [])] + ([u for u, role in users.get(parent, []) if role not in _NOT_ABOVE] if parent else [])


def emit(session: Session, rule: str, items: list[Item], now: datetime) -> int:
    """Insert the reminders of `items` for their accounts (as their preferences say), skipping
    those that exist; the number inserted."""
    user_ids = sorted({u for it in items for u in it.users})
    if not user_ids:
        return 0
    prefs: dict[int, NotificationPreference] = {}
    emails: dict[int, bool] = {}
    for i in range(0, len(user_ids), _CHUNK):
        chunk = user_ids[i : i + _CHUNK]
        prefs.update(
            (p.user_id, p)
            for p in session.scalars(
                select(NotificationPreference).where(NotificationPreference.rule == rule, NotificationPreference.user_id.in_(chunk))
            )
        )
        emails.update((uid, bool(email)) for uid, email in session.execute(select(User.id, User.email).where(User.id.in_(chunk))))
    rows: list[dict[str, Any]] = []
    for it in items:
        for uid in dict.fromkeys(it.users):
            p = prefs.get(uid)
            if p is not None and not (p.in_app or p.email or p.whatsapp):
                continue
            rows.append(
                dict(
                    user_id=uid,
                    rule=rule,
                    subject=it.subject,
                    occurrence=it.occurrence,
                    region_code=it.region_code,
                    record_kind=it.record_kind,
                    record_id=it.record_id,
                    title=(it.title or "")[:500] or None,
                    due_on=it.due_on,
                    params=it.params,
                    in_app=p.in_app if p is not None else True,
                    created_at=now,
                    email_status="pending" if (p is None or p.email) and emails.get(uid) else "none",
                    email_attempts=0,
                )
            )
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    made = 0
    for i in range(0, len(rows), _CHUNK):
        stmt = insert(Notification.__table__).values(rows[i : i + _CHUNK]).on_conflict_do_nothing(index_elements=_CONFLICT_KEY)
        # counted from RETURNING: psycopg gives -1 as the rowcount of a multi-row INSERT ... ON CONFLICT
        made += len(session.execute(stmt.returning(Notification.id)).all())
    return made
