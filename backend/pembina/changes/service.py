"""The change feed: every create, update and delete in the caller's scope, in commit-safe order.

Built on the audit trail. On PostgreSQL each event carries its transaction id; the feed only
hands out events of transactions older than every transaction still running
(``txid_snapshot_xmin``), ordered by (txid, id), so a slow transaction that commits later can
never be skipped by a cursor that moved past it. SQLite serializes writers, so id order is
commit order there.

Each entry carries its record as the API returns it (`pembina.kit.feed`: the read model its
domain registered, built for the reader as the record is now, without `allowed_actions`), with
the read model's name; a table that registered none keeps the audit trail's columns.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session

from pembina.audit.models import AuditEvent
from pembina.changes.schemas import Change, ChangePage
from pembina.kit import feed as feed_records
from pembina.kit.errors import ValidationProblem
from pembina.kit import personal
from pembina.kit.scope import Principal, code_covers, subtree_clause
from pembina.kit.scopes import Scope


#: The accounts' records: in the feed only for a reader granted accounts:read (an API client's scope).
ACCOUNT_TYPES = ("users", "api_clients")

#: Audit actions that change data (others, such as exports, stay out of the feed).
FEED_ACTIONS = ("create", "update", "delete")


#: A cursor's numbers are 64-bit database integers (a transaction id, an event id).
_BIGINT = 2**63 - 1


def _parse(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return (-1, 0)
    try:
        txid, _, event_id = cursor.rpartition("-")
        parsed = int(txid), int(event_id)
    except ValueError:
        parsed = None
    if parsed is None or not all(-_BIGINT <= n <= _BIGINT for n in parsed):
        raise ValidationProblem(
            "Malformed cursor: pass back a `cursor` or `next_cursor` value exactly.",
            "Kursor tidak valid: kirim kembali nilai `cursor` atau `next_cursor` apa adanya.",
            loc=["query", "cursor"],
        )
    return parsed


def _fmt(txid: int, event_id: int) -> str:
    return f"{txid}-{event_id}"


def _inside(principal: Principal, region: str | None, e: AuditEvent) -> bool:
    """The event's record is in the reader's view (else it moved out of it: a delete)."""
    return principal.covers(e.region_code) and (region is None or (e.region_code is not None and code_covers(region, e.region_code)))


def _records(session: Session, principal: Principal, events: list[AuditEvent]) -> dict[tuple[str, str], dict[str, Any]]:
    """The records these events changed, as the API returns them to the reader now, one query per
    entity type (`kit.feed`); those the reader cannot read now (deleted, moved away) are missing."""
    ids: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if feed_records.registered(e.entity_type):
            ids[e.entity_type].add(e.entity_id)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for name, wanted in ids.items():
        for entity_id, data in feed_records.records(session, principal, name, wanted).items():
            out[(name, entity_id)] = data
    return out


def feed(session: Session, principal: Principal, cursor: str | None, limit: int, region: str | None, entity_type: str | None) -> ChangePage:
    after = _parse(cursor)
    key = tuple_(AuditEvent.txid, AuditEvent.id)
    stmt = select(AuditEvent).where(key > after, AuditEvent.action.in_(FEED_ACTIONS))
    if principal.region_code is not None:
        # Events in the caller's subtree, and moves out of it (seen as deletes below).
        root = principal.region_code
        stmt = stmt.where(or_(subtree_clause(AuditEvent.region_code, root), subtree_clause(AuditEvent.prior_region_code, root)))
    if session.get_bind().dialect.name == "postgresql":
        # Finished transactions older than any running one, plus the reader's own writes
        # (a feed read never writes in production; tests read their own transaction).
        horizon, own = session.execute(select(func.txid_snapshot_xmin(func.txid_current_snapshot()), func.txid_current_if_assigned())).one()
        stmt = stmt.where(or_(AuditEvent.txid < horizon, AuditEvent.txid == own) if own is not None else AuditEvent.txid < horizon)
    if region:
        principal.ensure_region(region)
        stmt = stmt.where(or_(subtree_clause(AuditEvent.region_code, region), subtree_clause(AuditEvent.prior_region_code, region)))
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if not principal.has_scope(Scope.accounts_read):
        stmt = stmt.where(AuditEvent.entity_type.not_in(ACCOUNT_TYPES))  # accounts need their own grant
    rows = session.scalars(stmt.order_by(AuditEvent.txid, AuditEvent.id).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    shown = [(e, _inside(principal, region, e) and e.action != "delete") for e in rows]
    records = _records(session, principal, [e for e, with_data in shown if with_data])
    items = []
    for e, with_data in shown:
        inside = _inside(principal, region, e)
        entry = feed_records.registered(e.entity_type)
        stored = personal.minimise_snapshot(e.entity_type, e.after, principal.sees_personal_data)
        data = (records.get((e.entity_type, e.entity_id)) if entry else stored) if with_data else None
        items.append(
            Change(
                cursor=_fmt(e.txid, e.id),
                occurred_at=e.occurred_at,
                action=e.action if inside else "delete",  # moved out of view: gone for this reader
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                region_code=e.region_code if inside else e.prior_region_code,
                record_schema=entry.schema_name if entry else None,
                data=data,
            )
        )
    next_cursor = items[-1].cursor if items else cursor
    return ChangePage(items=items, next_cursor=next_cursor, has_more=has_more)
