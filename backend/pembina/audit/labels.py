"""Readable names for the audit trail: who wrote (the account's or API client's name) and what
was written (a record's label from its columns at the time), computed when the trail is read,
a page at a time: one query for the page's accounts, one for its API clients, one for its
regions, whatever the page holds.

A record's label comes from its snapshot (`after`, else `before` for a deletion), so a deleted
record still has its name. The audit trail stores tables by name; the rules below name the
columns that make a label for the tables that have no plain `name` or `title`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient
from pembina.audit.models import AuditEvent
from pembina.kit.i18n import tr
from pembina.regions.models import Region
from pembina.users.models import User

Snapshot = dict[str, Any]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _decree(s: Snapshot) -> str | None:
    number = _text(s.get("number"))
    return f"SK {number}" if number else _text(s.get("title"))


def _budget(s: Snapshot) -> str | None:
    source, year = _text(s.get("source")), _text(s.get("fiscal_year"))
    return " ".join(p for p in (tr("Budget", "Anggaran"), (source or "").upper().replace("_", " ") or None, year) if p)


def _user(s: Snapshot) -> str | None:
    name, username = _text(s.get("full_name")), _text(s.get("username"))
    return f"{name} ({username})" if name and username else name or username


def _deadline(s: Snapshot) -> str | None:
    due = _text(s.get("due_date"))
    return tr(f"Deadline {due}", f"Tenggat {due}") if due else None


def _transition(s: Snapshot) -> str | None:
    to = _text(s.get("to_status"))
    return f"→ {to}" if to else None


def _activity_report(s: Snapshot) -> str | None:
    period = _text(s.get("period"))
    return tr(f"Activity report {period}", f"Laporan kegiatan {period}") if period else None


#: Tables whose label is not their first plain name column.
RULES: dict[str, Callable[[Snapshot], str | None]] = {
    "decrees": _decree,
    "budgets": _budget,
    "users": _user,
    "reporting_deadlines": _deadline,
    "decree_transitions": _transition,
    "posyandu_registration_events": _transition,
    "activity_reports": _activity_report,
}

#: Columns that name a record, in the order tried.
NAME_COLUMNS = ("name", "title", "full_name", "activity", "filename", "file_name", "username", "number", "description", "action")


def record_label(entity_type: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str | None:
    """A record's name from its snapshot after the write (before it, for a delete)."""
    snapshot = after if after is not None else before
    if not snapshot:
        return None
    rule = RULES.get(entity_type)
    if rule is not None:
        label = rule(snapshot)
        if label:
            return label[:300]
    for column in NAME_COLUMNS:
        label = _text(snapshot.get(column))
        if label:
            return label[:300]
    return None


def _ids(actors: set[str], prefix: str) -> set[int]:
    out: set[int] = set()
    for actor in actors:
        head, _, tail = actor.partition(":")
        if head == prefix and tail.isdigit() and len(tail) < 18:
            out.add(int(tail))
    return out


def actor_labels(session: Session, events: Sequence[AuditEvent]) -> dict[str, str]:
    """The page's actors ("user:12", "client:3") as people read them: one query per kind."""
    actors = {e.actor for e in events}
    out: dict[str, str] = {}
    user_ids, client_ids = _ids(actors, "user"), _ids(actors, "client")
    if user_ids:
        for uid, full_name, username in session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(user_ids))):
            out[f"user:{uid}"] = f"{full_name} ({username})" if full_name else username
    if client_ids:
        for cid, name in session.execute(select(ApiClient.id, ApiClient.name).where(ApiClient.id.in_(client_ids))):
            out[f"client:{cid}"] = tr(f"API client {name}", f"Klien API {name}")
    out.setdefault("system", tr("System", "Sistem"))
    return out


def region_names(session: Session, events: Sequence[AuditEvent]) -> dict[str, str]:
    codes = {e.region_code for e in events if e.region_code}
    if not codes:
        return {}
    return {code: name for code, name in session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))}
