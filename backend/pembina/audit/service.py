from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.audit.models import AuditEvent
from pembina.audit.schemas import AuditEventRead
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.repository import scoped_select
from pembina.kit.scope import Principal

SORTS = {"id": AuditEvent.id, "occurred_at": AuditEvent.occurred_at}


def list_events(
    session: Session, principal: Principal, params: PageParams, *, region: str | None, entity_type: str | None,
    entity_id: str | None, actor: str | None, action: str | None, since: datetime | None, until: datetime | None,
) -> Page[AuditEventRead]:
    stmt = scoped_select(select(AuditEvent), AuditEvent.region_code, principal, region)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    stmt = apply_sort(stmt, params.sort, SORTS, default=[AuditEvent.id.desc()], tiebreak=AuditEvent.id)
    return paginate(session, stmt, params, AuditEventRead.model_validate)
