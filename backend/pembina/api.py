"""The /api/v1 router: public auth routes, and everything else behind the auth dependency."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request

from pembina.activity_reports.routes import router as activity_reports
from pembina.api_clients.routes import router as api_clients
from pembina.audit.routes import router as audit
from pembina.auth import scopes
from pembina.auth.deps import CurrentPrincipal, get_principal
from pembina.auth.routes import protected as auth_protected
from pembina.auth.routes import public as auth_public
from pembina.budgets.routes import router as budgets
from pembina.changes.routes import router as changes
from pembina.competitions.routes import router as competitions
from pembina.decrees.routes import board as compliance_board
from pembina.decrees.routes import deadlines as reporting_deadlines
from pembina.decrees.routes import national_board as national_compliance_board
from pembina.decrees.routes import router as decrees
from pembina.exports import lists as export_registry
from pembina.exports.routes import list_router as export_lists
from pembina.exports.routes import router as exports
from pembina.imports.routes import router as imports
from pembina.legal.routes import router as legal_references
from pembina.meetings.routes import follow_ups
from pembina.meetings.routes import router as meetings
from pembina.notifications.routes import public as notifications_public
from pembina.notifications import service as notification_service
from pembina.notifications.routes import router as notifications
from pembina.pilots.routes import router as pilot_sites
from pembina.posyandu.routes import batches as registration_batches
from pembina.posyandu.routes import router as posyandu
from pembina.regions.routes import router as regions
from pembina.summary.routes import router as my_tasks
from pembina.teams.routes import router as teams
from pembina.users.routes import router as users
from pembina.webhooks import service as webhook_service
from pembina.webhooks.routes import router as webhooks
from pembina.work_programs.routes import router as work_programs

PROTECTED_ROUTERS = [
    auth_protected,
    national_compliance_board,  # /regions/compliance, before /regions/{code}
    regions,
    users,
    api_clients,
    audit,
    changes,
    teams,
    decrees,
    reporting_deadlines,
    compliance_board,
    posyandu,
    registration_batches,
    pilot_sites,
    budgets,
    work_programs,
    legal_references,
    meetings,
    follow_ups,
    competitions,
    exports,
    imports,
    my_tasks,
    webhooks,
    activity_reports,
]

# Every list above is exportable whole (XLSX/CSV): the export registry is these routers' lists.
export_registry.register(PROTECTED_ROUTERS)
# A webhook subscription enabled again resolves its owner's "disabled" notification at once.
webhook_service.ENABLED_AGAIN.append(notification_service.resolve_webhook_disabled)


async def require_scopes(request: Request, me: CurrentPrincipal) -> None:
    """An API client's token carries the scopes the operation needs (`pembina.auth.scopes`).
    A check of the token's scopes against a table, no I/O: on the event loop (a sync dependency
    would cost every request a hop to a worker thread and back)."""
    scopes.enforce(request, me)


#: Everything under /api/v1.
PREFIX = "/api/v1"


def include_api(app: FastAPI) -> None:
    """The API's routers, each included into `app` itself under `PREFIX`: the public auth routes
    as they are, every other behind one set of dependencies (the caller, the token's scopes).

    The same routes, paths, dependencies and order as when they were included into one /api/v1
    router (and the same OpenAPI document), one level deep instead of three: FastAPI (0.165) matches an included
    router by trying its routes one by one, and matches again at each level it hands the
    request down (3 levels: about 3 scans of the routes before the one that answers). Flat,
    a request to the last router was matched in about half the time."""
    app.include_router(auth_public, prefix=PREFIX)
    app.include_router(notifications_public, prefix=PREFIX)
    # One dependency for the whole protected API: no route can forget authentication,
    # and every service receives the caller's Principal to scope its queries. After the lists,
    # their XLSX/CSV exports (built from their routes: same filters and scope), then the
    # caller's own notifications (no list to export).
    protected = [Depends(get_principal), Depends(require_scopes)]
    for router in [*PROTECTED_ROUTERS, export_lists(), notifications]:
        app.include_router(router, prefix=PREFIX, dependencies=protected)
