from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query

from pembina.kit.routing import api_router
from pembina.audit import service
from pembina.audit.schemas import AuditEventRead
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.kit.params import CODE_PATTERN, IsoDateTime

router = api_router(prefix="/audit-events", tags=["audit"])


@router.get('', operation_id='audit-events-list')
def list_events(
    session: DbSession,
    principal: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    region: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    entity_type: Annotated[str | None, Query(max_length=40, examples=["users"])] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=40, examples=["user:1"])] = None,
    action: Literal["create", "update", "delete", "export"] | None = None,
    since: Annotated[IsoDateTime | None, Query(description="ISO 8601 with a timezone.")] = None,
    until: Annotated[IsoDateTime | None, Query(description="ISO 8601 with a timezone.")] = None,
) -> Page[AuditEventRead]:
    """Audit trail of writes in your region (newest first)"""
    return service.list_events(
        session, principal, params, region=region, entity_type=entity_type, entity_id=entity_id, actor=actor,
        action=action, since=since, until=until,
    )
