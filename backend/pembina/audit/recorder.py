"""Automatic audit trail: every ORM write is recorded in the same transaction.

Installed once on the Session class, so no service or route can forget it. The actor
is the principal the auth dependency put in ``session.info['principal']`` (else
"system", e.g. the CLI). A model can leave columns out with
``__audit__ = {"exclude": {...}}`` and opt out entirely with ``__audit__ = False``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, event, func, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from pembina.audit.models import AuditEvent
from pembina.kit.db import utcnow
from pembina.kit.feed import entity_type, record_region


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": len(bytes(value))}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return str(value)


def _audit_config(obj: Any) -> dict[str, Any] | None:
    if isinstance(obj, AuditEvent):
        return None
    cfg = getattr(type(obj), "__audit__", {})
    if cfg is False:
        return None
    return cfg or {}


def _columns(obj: Any, cfg: dict[str, Any]) -> list[str]:
    """The record's table columns (not SQL expressions a query may load, such as a list page's
    village name, nor a search text derived from other columns), minus those the model excludes."""
    excluded = cfg.get("exclude", set())
    return [
        a.key
        for a in inspect(obj).mapper.column_attrs
        if isinstance(a.expression, Column) and a.key not in excluded and not a.expression.info.get("search")
    ]


def _snapshot(obj: Any, keys: list[str], new: bool = False) -> dict[str, Any]:
    state = inspect(obj)
    out = {k: _jsonable(state.attrs[k].loaded_value) for k in keys}
    if new:
        # Columns a new record never set hold NULL (no model has server defaults), not the
        # loader's NO_VALUE marker (which _jsonable would write as its enum value, 4).
        for k in keys:
            if state.attrs[k].loaded_value is NO_VALUE:
                out[k] = None
    return out


def _before(obj: Any, keys: list[str]) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for k in keys:
        hist = state.attrs[k].history
        if hist.deleted:
            out[k] = _jsonable(hist.deleted[0])
        elif hist.unchanged:
            out[k] = _jsonable(hist.unchanged[0])
        else:
            out[k] = _jsonable(state.attrs[k].loaded_value)
    return out


def _entity_id(obj: Any) -> str:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(i) for i in ident)


_region = record_region


def _prior_region(obj: Any) -> str | None:
    """The record's region before this flush (for records that move between regions)."""
    if not hasattr(obj, "region_code") or callable(getattr(obj, "audit_region", None)):
        return None
    hist = inspect(obj).attrs["region_code"].history
    return hist.deleted[0] if hist.deleted else None


def _actor(session: Session) -> tuple[str, str | None]:
    principal = session.info.get("principal")
    if principal is None:
        return session.info.get("actor", "system"), session.info.get("actor_name")
    return principal.subject, principal.name


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows: list[dict[str, Any]] = []
    actor, actor_name = _actor(session)
    now = utcnow()
    request_id = session.info.get("request_id")

    def add(obj: Any, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None, prior_region: str | None = None) -> None:
        region = _region(obj)
        rows.append(
            {
                "occurred_at": now,
                "actor": actor,
                "actor_name": actor_name,
                "action": action,
                "entity_type": entity_type(type(obj)),
                "entity_id": _entity_id(obj),
                "region_code": region,
                "prior_region_code": prior_region if prior_region != region else None,
                "before": before,
                "after": after,
                "request_id": request_id,
            }
        )

    for obj in session.new:
        cfg = _audit_config(obj)
        if cfg is not None:
            add(obj, "create", None, _snapshot(obj, _columns(obj, cfg), new=True))
    for obj in session.dirty:
        cfg = _audit_config(obj)
        if cfg is None or not session.is_modified(obj, include_collections=False):
            continue
        keys = _columns(obj, cfg)
        before, after = _before(obj, keys), _snapshot(obj, keys)
        changed = {k for k in keys if before.get(k) != after.get(k)} - {"updated_at", "version"}
        state = inspect(obj)
        for secret in cfg.get("exclude", ()):  # secrets: record that they changed, never their value
            if state.attrs[secret].history.has_changes():
                before[secret], after[secret] = "[hidden]", "[changed]"
                changed.add(secret)
        if changed:
            add(obj, "update", before, after, prior_region=_prior_region(obj))
    for obj in session.deleted:
        cfg = _audit_config(obj)
        if cfg is not None:
            add(obj, "delete", _snapshot(obj, _columns(obj, cfg)), None)

    if rows:
        conn = session.connection()
        stmt = AuditEvent.__table__.insert()
        if conn.dialect.name == "postgresql":
            stmt = stmt.values(txid=func.txid_current())
        conn.execute(stmt, rows)


def record(session: Session, action: str, entity_type: str, entity_id: str, region_code: str | None, details: dict[str, Any]) -> None:
    """An audit event that is no ORM write (e.g. an export: who exported what), by the session's actor.

    Only create/update/delete events feed the change feed; other actions stay in the audit trail.
    """
    actor, actor_name = _actor(session)
    stmt = AuditEvent.__table__.insert()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        stmt = stmt.values(txid=func.txid_current())
    conn.execute(
        stmt,
        [
            {
                "occurred_at": utcnow(),
                "actor": actor,
                "actor_name": actor_name,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id[:64],
                "region_code": region_code,
                "prior_region_code": None,
                "before": None,
                "after": _jsonable(details),
                "request_id": session.info.get("request_id"),
            }
        ],
    )


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
