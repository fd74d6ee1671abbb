from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.audit.labels import actor_labels, record_label, region_names
from pembina.audit.models import AuditEvent
from pembina.audit.schemas import AuditEventRead, AuditFilters
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate_batch
from pembina.kit.repository import scoped_select, where_equal
from pembina.kit import personal
from pembina.kit.scope import Principal

SORTS = {"id": AuditEvent.id, "occurred_at": AuditEvent.occurred_at}


def list_events(session: Session, principal: Principal, params: PageParams, filters: AuditFilters) -> Page[AuditEventRead]:
    f = filters
    stmt = scoped_select(select(AuditEvent), AuditEvent.region_code, principal, f.region)
    stmt = where_equal(
        stmt,
        (AuditEvent.entity_type, f.entity_type or None),
        (AuditEvent.entity_id, f.entity_id or None),
        (AuditEvent.actor, f.actor or None),
        (AuditEvent.action, f.action),
    )
    if f.since:
        stmt = stmt.where(AuditEvent.occurred_at >= f.since)
    if f.until:
        stmt = stmt.where(AuditEvent.occurred_at < f.until)
    stmt = apply_sort(stmt, params.sort, SORTS, default=[AuditEvent.id.desc()], tiebreak=AuditEvent.id)
    return paginate_batch(session, stmt, params, lambda events: to_reads(session, events, principal))


def to_reads(session: Session, events: list[AuditEvent], principal: Principal) -> list[AuditEventRead]:
    """The page's events with who and what in words (three queries a page, not one per event). The
    snapshots' personal fields, the names of people who acted and the names of accounts and team
    members as records show only to the region's admins and coordinators and to clients granted
    personal data (`kit.personal`); others read `***` for a name and null for a contact."""
    visible = principal.sees_personal_history
    actors, regions = actor_labels(session, events), region_names(session, events)
    out = []
    for e in events:
        before = personal.minimise_snapshot(e.entity_type, e.before, visible)
        after = personal.minimise_snapshot(e.entity_type, e.after, visible)
        person = e.actor.startswith("user:")
        actor_label = actors.get(e.actor) or e.actor_name or e.actor
        out.append(
            AuditEventRead(
                id=e.id,
                occurred_at=e.occurred_at,
                actor=e.actor,
                actor_name=e.actor_name if visible else personal.masked(personal.ACTOR_NAME, e.actor_name),
                actor_label=actor_label if visible or not person else personal.MASK,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                entity_label=record_label(e.entity_type, before, after),
                region_code=e.region_code,
                region_name=regions.get(e.region_code) if e.region_code else None,
                before=before,
                after=after,
                request_id=e.request_id,
            )
        )
    return out
