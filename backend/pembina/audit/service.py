from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.audit.models import AuditEvent
from pembina.audit.schemas import AuditEventRead, AuditFilters
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
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
    return paginate(session, stmt, params, lambda e: to_read(e, principal))


def to_read(e: AuditEvent, principal: Principal) -> AuditEventRead:
    """An event as the reader may see it: the snapshots' personal fields and the actor's name only
    for the region's admins and coordinators and clients granted personal data (`kit.personal`)."""
    visible = principal.sees_personal_history
    out = AuditEventRead.model_validate(e)
    if visible:
        return out
    return out.model_copy(
        update={
            "actor_name": personal.masked(personal.ACTOR_NAME, e.actor_name),
            "before": personal.minimise_snapshot(e.entity_type, e.before, False),
            "after": personal.minimise_snapshot(e.entity_type, e.after, False),
        }
    )
