"""Personal data held about one person, and how long (UU 27/2022): export, erase, prune.

`export_person` gathers everything held about an account or a team member (JSON); `erase_person`
pseudonymises a person who has left: their name becomes "Akun (dihapus)" or "Anggota tim
(dihapus)" and their username, e-mail, phone and last login are removed, in the record, in every
audit snapshot and actor name (so in the change feed built on them), in decree transitions and
registration events they acted in, and in stored idempotent replays; and where free text names
them (a meeting's notes, a posyandu's notes, a cited source's title: `_scrub_mentions`). The records and their
history stay: a team keeps its member, a decree its transitions, counts do not change. `prune`
keeps audit events, idempotency records and login times only as long as the settings say; the
worker runs it once a day (`tick`). The fields are those of the one inventory, `pembina.kit.personal`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, String, Text, Table, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pembina.kit import search
from pembina.api_clients.models import ApiClient
from pembina.audit.models import AuditEvent
from pembina.config import get_settings
from pembina.decrees.models import DecreeTransition
from pembina.idempotency.models import IdempotencyRecord
from pembina.idempotency.middleware import TTL as IDEMPOTENCY_TTL
from pembina.kit import personal
from pembina.kit.db import Base, rowcount, utcnow
from pembina.notifications import runs
from pembina.posyandu.models import RegistrationEvent
from pembina.teams.models import TeamMember
from pembina.users.models import User

ACCOUNT_PSEUDONYM = "Akun (dihapus)"
MEMBER_PSEUDONYM = "Anggota tim (dihapus)"


class PersonNotFound(LookupError):
    pass


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(record: Any, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {c.key: _jsonable(getattr(record, c.key)) for c in record.__table__.columns if c.key not in exclude}


def _events(session: Session, *where: Any) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEvent).where(*where).order_by(AuditEvent.id)).all()
    return [
        {
            "occurred_at": e.occurred_at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "entity_type": e.entity_type,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
        }
        for e in rows
    ]


def _account(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise PersonNotFound(f"no account with id {user_id}")
    return user


def _member(session: Session, member_id: int) -> TeamMember:
    member = session.get(TeamMember, member_id)
    if member is None:
        raise PersonNotFound(f"no team member with id {member_id}")
    return member


def export_person(session: Session, *, account: int | None = None, member: int | None = None) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data (the data subject's copy)."""
    if account is not None:
        user = _account(session, account)
        subject = f"user:{user.id}"
        return {
            "kind": "account",
            "account": _row(user, frozenset({"password_hash", "token_generation"})),
            "personal_fields": sorted(personal.FIELDS["users"]),
            "changes_to_the_account": _events(session, AuditEvent.entity_type == "users", AuditEvent.entity_id == str(user.id)),
            "actions_taken": _events(session, AuditEvent.actor == subject),
            "decree_transitions": [
                _row(t)
                for t in session.scalars(select(DecreeTransition).where(DecreeTransition.actor == subject).order_by(DecreeTransition.id))
            ],
            "registration_events": [
                _row(e)
                for e in session.scalars(select(RegistrationEvent).where(RegistrationEvent.actor == subject).order_by(RegistrationEvent.id))
            ],
            "api_clients_created": [
                {"id": c.id, "client_id": c.client_id, "name": c.name}
                for c in session.scalars(select(ApiClient).where(ApiClient.created_by_user_id == user.id).order_by(ApiClient.id))
            ],
        }
    if member is not None:
        m = _member(session, member)
        return {
            "kind": "team_member",
            "team_member": _row(m),
            "personal_fields": sorted(personal.FIELDS["team_members"]),
            "changes_to_the_member": _events(session, AuditEvent.entity_type == "team_members", AuditEvent.entity_id == str(m.id)),
        }
    raise ValueError("name an account or a team member")


def _scrub(value: Any, old: set[str], pseudonym: str) -> Any:
    """A JSON value with every string equal to one of `old` replaced (names by the pseudonym)."""
    if isinstance(value, dict):
        return {k: _scrub(v, old, pseudonym) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, old, pseudonym) for v in value]
    if isinstance(value, str) and value in old:
        return pseudonym
    return value


def _erase_snapshot(table: str, data: dict[str, Any] | None, old: set[str], pseudonym: str) -> dict[str, Any] | None:
    if data is None:
        return None
    fields = personal.personal_fields(table)
    out = {}
    for k, v in data.items():
        if k in fields:
            out[k] = pseudonym if (k in personal.NAMES and v is not None) else None
        else:
            out[k] = _scrub(v, old, pseudonym)
    return out


def _rewrite_audit(session: Session, table: str, entity_id: str, old: set[str], pseudonym: str, subject: str | None) -> int:
    """Rewrite the audit events about the record and, for an account, those it acted in (and any
    snapshot that holds one of the person's old values)."""
    conditions: list[ColumnElement[bool]] = [(AuditEvent.entity_type == table) & (AuditEvent.entity_id == entity_id)]
    if subject is not None:
        conditions.append(AuditEvent.actor == subject)
    names = [v for v in old if v]
    if names:
        conditions.append(AuditEvent.actor_name.in_(names))
    n = 0
    for e in session.scalars(select(AuditEvent).where(or_(*conditions))):
        about = e.entity_type == table and e.entity_id == entity_id
        e.before = _erase_snapshot(table, e.before, old, pseudonym) if about else _scrub(e.before, old, pseudonym)
        e.after = _erase_snapshot(table, e.after, old, pseudonym) if about else _scrub(e.after, old, pseudonym)
        if e.actor == subject or (e.actor_name in old):
            e.actor_name = pseudonym
        n += 1
    return n


def _drop_replays(session: Session, old: set[str], subject: str | None) -> int:
    """Stored idempotent responses by the person, or holding any of their old values."""
    conditions = [IdempotencyRecord.subject == subject] if subject else []
    ids = set(session.scalars(select(IdempotencyRecord.id).where(or_(*conditions))).all()) if conditions else set()
    needles = [v.encode("utf-8") for v in old if v]
    for rid, body in session.execute(select(IdempotencyRecord.id, IdempotencyRecord.response_body)):
        if body and any(n in body for n in needles):
            ids.add(rid)
    if ids:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(sorted(ids))))
    return len(ids)


#: Reference data, not people's text: a region named like the person keeps its name.
_REFERENCE_TABLES = frozenset({"regions", "region_stats", "alembic_version"})


def _mention_patterns(names: set[str], contacts: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    """What free text is searched for: a full name of two words or more, as whole words and in any
    case (one word alone, "Siti", would rewrite other people's names), and an e-mail or a phone as written."""
    out = []
    for name in names:
        if len(name.split()) >= 2:
            out.append((name.lower(), re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", re.IGNORECASE)))
    for contact in contacts:
        out.append((contact.lower(), re.compile(re.escape(contact), re.IGNORECASE)))
    return out


def _rewrite_text(value: Any, patterns: list[tuple[str, re.Pattern[str]]], pseudonym: str) -> Any:
    if isinstance(value, dict):
        return {k: _rewrite_text(v, patterns, pseudonym) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite_text(v, patterns, pseudonym) for v in value]
    if isinstance(value, str):
        for _, pattern in patterns:
            value = pattern.sub(pseudonym, value)
    return value


def _scrub_mentions(session: Session, names: set[str], contacts: set[str], pseudonym: str) -> int:
    """Rewrite every text and JSON column of every table where free text names the person (a
    meeting's notes, a posyandu's notes, a source's title, and the audit snapshots of them). A
    plain UPDATE: no new audit event keeps the old text; a record's version moves, so a client's
    ETag sees the change."""
    patterns = _mention_patterns(names, contacts)
    if not patterns:
        return 0
    rewritten = 0
    for table in Base.metadata.sorted_tables:
        if table.name in _REFERENCE_TABLES:
            continue
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON)) and not c.primary_key]
        keys = list(table.primary_key.columns)
        if not columns or not keys:
            continue
        rewritten += _scrub_table(session, table, columns, keys, patterns, pseudonym)
    return rewritten


def _scrub_table(
    session: Session, table: Table, columns: list[Any], keys: list[Any], patterns: list[tuple[str, re.Pattern[str]]], pseudonym: str
) -> int:
    def text_of(c: Any) -> Any:
        return func.lower(cast(c, Text)) if isinstance(c.type, JSON) else func.lower(c)

    where = or_(*(text_of(c).contains(needle, autoescape=True) for c in columns for needle, _ in patterns))
    n = 0
    for row in session.execute(select(*keys, *columns).where(where)).all():
        values = row._mapping
        changed = {}
        for c in columns:
            new = _rewrite_text(values[c.name], patterns, pseudonym)
            if new != values[c.name]:
                changed[c.name] = new
        changed = search.scrubbed(table, values, changed)  # the search text follows the columns it is made of
        if not changed:
            continue
        if "version" in table.columns and "version" not in changed:
            changed["version"] = table.c.version + 1
        session.execute(update(table).where(*(k == values[k.name] for k in keys)).values(**changed))
        n += 1
    return n


def erase_person(session: Session, *, account: int | None = None, member: int | None = None) -> dict[str, int]:
    """Pseudonymise one person across records, audit trail (and so the feed) and stored replays."""
    session.info["actor"], session.info["actor_name"] = "system", "pembina personal-data erase"
    if account is not None:
        user = _account(session, account)
        old = {v for v in (user.username, user.full_name, user.email, user.phone) if v}
        full_name = user.full_name
        contacts = {v for v in (user.email, user.phone) if v}
        subject = f"user:{user.id}"
        user.full_name = ACCOUNT_PSEUDONYM
        user.username = f"dihapus-{user.id}"
        user.email = None
        user.phone = None
        user.last_login_at = None
        user.is_active = False
        user.token_generation = (user.token_generation or 1) + 1  # every session ends
        session.flush()
        counts = {
            "audit_events": _rewrite_audit(session, "users", str(user.id), old, ACCOUNT_PSEUDONYM, subject),
            "decree_transitions": rowcount(
                session.execute(update(DecreeTransition).where(DecreeTransition.actor == subject).values(actor_name=ACCOUNT_PSEUDONYM))
            ),
            "registration_events": rowcount(
                session.execute(update(RegistrationEvent).where(RegistrationEvent.actor == subject).values(actor_name=ACCOUNT_PSEUDONYM))
            ),
            "idempotency_records": _drop_replays(session, old, subject),
        }
        session.flush()
        counts["mentions"] = _scrub_mentions(session, {full_name}, contacts, ACCOUNT_PSEUDONYM)
        return counts
    if member is not None:
        m = _member(session, member)
        old = {v for v in (m.name, m.phone) if v}
        old_name, old_phone = m.name, m.phone
        m.name = MEMBER_PSEUDONYM
        m.phone = None
        session.flush()
        counts = {
            "audit_events": _rewrite_audit(session, "team_members", str(m.id), old, MEMBER_PSEUDONYM, None),
            "idempotency_records": _drop_replays(session, old, None),
        }
        session.flush()
        counts["mentions"] = _scrub_mentions(session, {old_name}, {old_phone} if old_phone else set(), MEMBER_PSEUDONYM)
        return counts
    raise ValueError("name an account or a team member")


def prune(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Remove what is kept longer than needed: audit events past `PEMBINA_AUDIT_RETENTION_DAYS`,
    idempotency records past their 24 h, and last-login times past `PEMBINA_LOGIN_RETENTION_DAYS`
    (a plain UPDATE: no edit of the account, no audit event)."""
    s = get_settings()
    now = now or utcnow()
    audit = rowcount(session.execute(delete(AuditEvent).where(AuditEvent.occurred_at < now - timedelta(days=s.audit_retention_days))))
    replays = rowcount(session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - IDEMPOTENCY_TTL)))
    logins = rowcount(
        session.execute(
            update(User)
            .where(User.last_login_at.is_not(None), User.last_login_at < now - timedelta(days=s.login_retention_days))
            .values(last_login_at=None),
            execution_options={"synchronize_session": False},
        )
    )
    return {"audit_events": audit, "idempotency_records": replays, "login_times": logins}


#: How often the worker prunes (`tick`).
PRUNE_EVERY = timedelta(days=1)


def tick(session_factory: Callable[[], Session], now: datetime | None = None) -> int:
    """The worker's retention pruning (`pembina.notifications.worker.EXTRA_TICKS`): `prune` once
    a day, whichever worker comes first (its turn is claimed in `worker_runs`, in the same
    transaction as the pruning); the rows removed or cleared (0: not due, or nothing to do)."""
    now = now or utcnow()
    with session_factory() as session:
        session.info["actor"] = "system:retention"
        if not runs.claim(session, "prune", now, PRUNE_EVERY):
            session.rollback()
            return 0
        removed = prune(session, now)
        session.commit()
    return sum(removed.values())
