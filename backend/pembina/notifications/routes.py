from __future__ import annotations

import html
from typing import Annotated

from fastapi import Query
from fastapi.responses import HTMLResponse

from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.i18n import tr
from pembina.kit.pagination import PageParams
from pembina.kit.routing import api_router
from pembina.notifications import service
from pembina.notifications.schemas import MarkRead, NotificationPage, Preferences, PreferencesUpdate, ReadResult

router = api_router(prefix="/notifications", tags=["notifications"])
#: Without login: the unsubscribe link of an e-mail (its token is the authority).
public = api_router(prefix="/notifications", tags=["notifications"])


@router.get("", operation_id="notifications-list", responses=responses(403))
def list_notifications(
    db: DbSession,
    me: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (1-200).")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
    unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
) -> NotificationPage:
    """My notifications

    Newest first, with the unread count (the bell's). Each links to its record (`link`, a dashboard path) and carries a
    WhatsApp click-to-chat link with its text prefilled. Only accounts of people have notifications (an API client gets 403).
    """
    return service.list_mine(db, me, PageParams(limit, offset, None), unread)


@router.post("/read", operation_id="notifications-read", responses=responses(403))
def mark_read(db: DbSession, me: CurrentPrincipal, body: MarkRead) -> ReadResult:
    """Mark notifications read

    The ones named by `ids` (only yours count), or all of yours with `all: true`; returns how many changed and the unread count left.
    """
    return service.mark_read(db, me, body)


@router.get("/preferences", operation_id="notifications-preferences", responses=responses(403))
def get_preferences(db: DbSession, me: CurrentPrincipal) -> Preferences:
    """My notification preferences

    Every rule (its audience and timing as this deployment configured them) with my channels for it (in-app, e-mail,
    WhatsApp), and the weekly digest's day.
    """
    return service.preferences(db, me)


@router.put("/preferences", operation_id="notifications-preferences-update", responses=responses(403))
def put_preferences(db: DbSession, me: CurrentPrincipal, body: PreferencesUpdate) -> Preferences:
    """Change my notification preferences

    The rules named are set (the others keep theirs); a rule with every channel off is not made for me at all.
    """
    return service.set_preferences(db, me, body)


@public.get("/unsubscribe", operation_id="notifications-unsubscribe", response_class=HTMLResponse)
def unsubscribe(db: DbSession, token: Annotated[str, Query(max_length=200, description="The token of the e-mail's link.")]) -> HTMLResponse:
    """Stop one rule's e-mails (the link in each e-mail)

    Works without logging in: the signed token names the account and the rule. The other rules and the in-app
    notifications are unchanged; the preferences page turns it back on.
    """
    label = service.unsubscribe(db, token)
    text = tr(f'You will no longer receive e-mails for "{label}".', f'Anda tidak akan menerima e-mail "{label}" lagi.')
    return HTMLResponse(f"<!doctype html><html><body><p>{html.escape(text)}</p></body></html>")


@public.post("/unsubscribe", operation_id="notifications-unsubscribe-one-click", response_class=HTMLResponse)
def unsubscribe_one_click(
    db: DbSession, token: Annotated[str, Query(max_length=200, description="The token of the e-mail's link.")]
) -> HTMLResponse:
    """Stop one rule's e-mails (one-click, RFC 8058)

    What mail programs send for the List-Unsubscribe-Post header: the same as the GET.
    """
    return unsubscribe(db, token)
