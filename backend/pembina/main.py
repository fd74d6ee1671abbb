"""The ASGI application."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy import text
from starlette.staticfiles import StaticFiles

from pembina import __version__
from pembina.api import build_api_router
from pembina.audit import recorder
from pembina.auth.ratelimit import LoginThrottle
from pembina.config import Settings, get_settings
from pembina.auth.deps import DbSession
from pembina.errors import CATALOGUE, NotFound, ProblemDetail, ServiceUnavailable, install_error_handlers

log = logging.getLogger("pembina")

DESCRIPTION = """
Pembina is the coordination system of Indonesia's **Tim Pembina Posyandu** (TP Posyandu).

* Every account and API client is bound to one region and sees that region and everything under it.
* Authenticate at `POST /api/v1/auth/token` (OAuth2 password or client_credentials) and send
  `Authorization: Bearer <token>`.
* Region filters take a dotted Kemendagri code and mean "that region and everything under it".
* Errors are RFC 9457 problem details (`application/problem+json`); each `type` is documented at
  `/problems/{slug}`.
* Updates carry the record's ETag in `If-Match`; a stale write is refused with 412.
"""

TAGS = [
    {"name": "auth", "description": "Tokens, the dashboard session, who am I."},
    {"name": "regions", "description": "The Kemendagri hierarchy: 38 provinces, 514 regencies/cities, 7,285 districts, 83,762 villages."},
    {"name": "users", "description": "User accounts, managed inside one's own region."},
    {"name": "api-clients", "description": "Credentials for third-party systems (client_credentials)."},
    {"name": "teams", "description": "TP Posyandu teams (or legacy Pokjanal/Pokja) per region, with their members."},
    {"name": "decrees", "description": "SK decrees, their PDF and lifecycle; reporting deadlines; the compliance board."},
    {"name": "audit", "description": "Every write: who, when, before and after."},
    {"name": "meta", "description": "Health and problem types."},
]


def _short_operation_ids(app: FastAPI) -> None:
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema and not route.operation_id:
            raise RuntimeError(f"route {route.path} has no operation_id")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    recorder.install()
    app = FastAPIOffline(
        title="Pembina API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url="/redoc",
        swagger_ui_parameters={"persistAuthorization": False},
    )
    app.state.login_throttle = LoginThrottle(settings.login_rate_limit, settings.rate_limit_storage)
    install_error_handlers(app)
    app.include_router(build_api_router())

    @app.get("/healthz", operation_id="health", tags=["meta"], summary="Liveness and database check", responses={503: {"model": ProblemDetail}})
    def healthz(session: DbSession) -> dict[str, str]:
        try:
            session.execute(text("SELECT 1"))
        except Exception as e:  # noqa: BLE001 - any DB failure means "not ready"
            log.warning("health check: database unavailable: %s", e)
            raise ServiceUnavailable("The database is unavailable.", headers={"Retry-After": "5"}) from None
        return {"status": "ok"}

    @app.get("/problems/{slug}", operation_id="problems-get", tags=["meta"], summary="What a problem type means", response_model=ProblemDetail, responses={404: {"model": ProblemDetail}})
    def problem_type(slug: str) -> Any:
        if slug not in CATALOGUE:
            raise NotFound(f"No problem type '{slug}'.")
        status, title, description = CATALOGUE[slug]
        return ProblemDetail(type=f"/problems/{slug}", title=title, status=status, detail=description)

    _mount_frontend(app, settings.frontend_dist)
    _short_operation_ids(app)
    return app


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built dashboard (if built) at /: its files, and index.html for any other
    GET outside the API (client-side routes)."""
    index = dist / "index.html"
    root = dist.resolve()
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    def spa_fallback(request: Request) -> Response | None:
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(("/api/", "/openapi", "/problems/")):
            return None
        candidate = (dist / path.lstrip("/")).resolve()
        if path != "/" and candidate.is_file() and root in candidate.parents:
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(
            "<!doctype html><html lang='id'><title>Pembina</title><h1>Pembina</h1>"
            "<p>The dashboard is not built (run <code>make run</code>). API docs: "
            "<a href='/docs'>/docs</a> · <a href='/redoc'>/redoc</a></p></html>"
        )

    app.state.not_found_fallback = spa_fallback


app = create_app()
