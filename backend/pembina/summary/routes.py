from __future__ import annotations

from typing import Annotated

from fastapi import Query

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.routing import api_router
from pembina.summary import tasks as work
from pembina.summary.schemas import Tasks

router = api_router(prefix="/auth", tags=["auth"])


@router.get("/me/tasks", operation_id="auth-me-tasks")
def my_tasks(
    db: DbSession,
    me: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many items per group (the counts are all).")] = 5,
) -> Tasks:
    """What waits for me ("Perlu tindakan")

    Four groups, each a count and its first items linking to their records: decrees (SK) and posyandu waiting for
    your verification (those whose `allowed_actions` would list `verify`), overdue meeting follow-ups in your region,
    and villages of your region past their SK reporting deadline with no reported SK (today in Asia/Jakarta).
    """
    return work.tasks(db, me, limit)
