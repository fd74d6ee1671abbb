from __future__ import annotations

from typing import Annotated

from fastapi import Query

from pembina.kit.i18n import describe_pattern
from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.changes import service
from pembina.changes.schemas import ChangePage
from pembina.kit.params import CODE_PATTERN

CURSOR_PATTERN = describe_pattern(r"^-?\d+-\d+$", "a cursor returned by this feed", "kursor yang diberikan feed ini")

router = api_router(prefix="/changes", tags=["changes"])


@router.get("", operation_id="changes-list")
def changes(
    db: DbSession,
    me: CurrentPrincipal,
    cursor: Annotated[str | None, Query(max_length=64, pattern=CURSOR_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    region: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
) -> ChangePage:
    """Change feed: every create, update and delete in your scope, in order

    Start without `cursor` to read from the beginning; keep `next_cursor` and pass it back to get only what changed
    since. `has_more` means call again at once. Each entry's `data` is the record as the API returns it to you now
    (the read model that `schema` names, e.g. `PosyanduRead`, without `allowed_actions`); deletes carry `data: null`,
    and so does a change to a record that has since been deleted or moved out of your region. A record that moves out
    of your region appears as a delete.
    """
    return service.feed(db, me, cursor, limit, region, entity_type)
