from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pembina.kit.routing import api_router
from pembina.audit import service
from pembina.audit.schemas import AuditEventRead, AuditFilters
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.pagination import Page, PageParams, sortable

router = api_router(prefix="/audit-events", tags=["audit"])

Paging = Annotated[PageParams, Depends(sortable(service.SORTS))]


@router.get("", operation_id="audit-events-list")
def list_events(db: DbSession, me: CurrentPrincipal, params: Paging, filters: Annotated[AuditFilters, Query()]) -> Page[AuditEventRead]:
    """Audit trail of writes in your region (newest first)"""
    return service.list_events(db, me, params, filters)
