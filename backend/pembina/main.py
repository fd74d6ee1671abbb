"""The ASGI application."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from pembina import __version__
from pembina.api import include_api
from pembina.audit import recorder
from pembina.auth import scopes
from pembina.auth.deps import DbSession
from pembina.auth.ratelimit import LoginThrottle
from pembina.config import Settings, get_settings
from pembina.delivery import SCRIPT_SUFFIXES, PrecompressedStaticFiles, revalidated_file
from pembina.body_limit import BodyLimitMiddleware
from pembina.kit import i18n
from pembina.kit.i18n import LanguageMiddleware, tr
from pembina.kit.db import make_engine, pool_options
from pembina.idempotency.middleware import UNKEYED_PATHS, IdempotencyMiddleware
from pembina.kit.routing import in_worker_thread, require_preconditions
from pembina.server_timing import ServerTiming
from pembina.websec import SecurityHeaders
from pembina.kit.errors import CATALOGUE, NotFound, ProblemDetail, ServiceUnavailable, install_error_handlers, responses
from pembina.kit.errors import description as problem_description
from pembina.kit.errors import title as problem_title

log = logging.getLogger("pembina")

DESCRIPTION = """
Pembina is the coordination system of Indonesia's **Tim Pembina Posyandu** (TP Posyandu).

* Every account and API client is bound to one region and sees that region and everything under it.
* Authenticate at `POST /api/v1/auth/token` (OAuth2 password or client_credentials) and send
  `Authorization: Bearer <token>`.
* Region filters take a dotted Kemendagri code and mean "that region and everything under it".
* Errors are RFC 9457 problem details (`application/problem+json`); each `type` is documented at
  `/problems/{slug}`. Their `title`, `detail` and each `errors[].msg` are in the language asked for
  with `Accept-Language`: Indonesian (`id`, the default) or English (`en`); `Content-Language`
  says which. Validation messages name their limits in words, never as a pattern.
* Updates carry the record's ETag in `If-Match`; a stale write is refused with 412.
* POST and PATCH accept an `Idempotency-Key` header: a retry with the same key and request
  replays the first response (`Idempotent-Replayed: true`) instead of acting twice.
"""

TAGS = [
    {"name": "auth", "description": "Tokens, the dashboard session, who am I."},
    {"name": "regions", "description": "The Kemendagri hierarchy: 38 provinces, 514 regencies/cities, 7,285 districts, 83,762 villages."},
    {"name": "users", "description": "User accounts, managed inside one's own region."},
    {"name": "api-clients", "description": "Credentials for third-party systems (client_credentials)."},
    {"name": "teams", "description": "TP Posyandu teams (or legacy Pokjanal/Pokja) per region, with their members."},
    {"name": "decrees", "description": "SK decrees, their PDF and lifecycle; reporting deadlines; the compliance board."},
    {"name": "audit", "description": "Every write: who, when, before and after."},
    {"name": "changes", "description": "Incremental sync for integrators: a change feed with a resumable cursor."},
    {
        "name": "posyandu",
        "description": "Posyandu units, their services in the 6 SPM fields, evidence documents and registration transitions.",
    },
    {
        "name": "registration-batches",
        "description": "Batches of verified posyandu submitted to Ditjen Bina Pemdes: export, and import of the Nomor Registrasi Posyandu.",
    },
    {
        "name": "pilot-sites",
        "description": "Posyandu piloting the 6-SPM model: period, scorecard per SPM field, good practice, comparison.",
    },
    {
        "name": "budgets",
        "description": "Team budgets per fiscal year and source, allocations per activity and SPM field, dated realizations, plan-vs-realization roll-ups.",
    },
    {
        "name": "work-programs",
        "description": "Work programs (program kerja): a team's planned activities per year and SPM field, linked to budget allocations.",
    },
    {
        "name": "legal-references",
        "description": "The library of regulations that meetings cite as their legal basis (UU, Perpres, Permendagri, ...).",
    },
    {
        "name": "meetings",
        "description": "Coordination meetings (rakor): agenda, legal basis, speakers, funding, minutes, attachments and follow-up actions.",
    },
    {
        "name": "competitions",
        "description": "Posyandu competitions and awards (lomba posyandu): criteria with weights, entrants, scores, ranking, winners and prizes.",
    },
    {
        "name": "exports",
        "description": "Every list as XLSX or CSV (same filters and scope), formatted XLSX reports (Rekapitulasi), a printable PDF region summary.",
    },
    {
        "name": "imports",
        "description": "Spreadsheet imports (CSV/XLSX) of posyandu, team members and decrees: templates, dry run, all-or-nothing commit.",
    },
    {"name": "meta", "description": "Health and problem types."},
]


def _short_operation_ids(app: FastAPI) -> None:
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema and not route.operation_id:
            raise RuntimeError(f"route {route.path} has no operation_id")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    import pembina.models  # noqa: F401 - every table known before the first query

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
    app.state.login_throttle = LoginThrottle(
        settings.login_rate_limit, settings.rate_limit_storage, address_rate=settings.login_rate_limit_address
    )
    app.state.sessionmaker = sessionmaker(bind=make_engine(settings.database_url, **pool_options(settings)), expire_on_commit=False)
    #: Sessions for work outside a request's own transaction (tests point it at theirs).
    app.state.session_factory = None
    app.add_middleware(IdempotencyMiddleware, session_factory=lambda: (app.state.session_factory or app.state.sessionmaker)())
    app.add_middleware(BodyLimitMiddleware)  # outside the idempotency middleware: nothing reads past its cap
    install_error_handlers(app)
    # Every request in its caller's language (Accept-Language): what runs inside it, middleware included.
    app.add_middleware(LanguageMiddleware, static_prefixes=("/assets/",))  # a script is the same in every language
    # Outermost: every response, errors included, carries the security headers.
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    # Around everything: the application's own time on each request (Server-Timing: app;dur=ms).
    app.add_middleware(ServerTiming)

    @app.get("/healthz", operation_id="health", tags=["meta"], summary="Liveness and database check", responses=responses(503))
    @in_worker_thread
    def healthz(session: DbSession) -> dict[str, str]:
        try:
            session.execute(text("SELECT 1"))
        except Exception as e:  # noqa: BLE001 - any DB failure means "not ready"
            log.warning("health check: database unavailable: %s", e)
            raise ServiceUnavailable("The database is unavailable.", "Basis data tidak tersedia.", headers={"Retry-After": "5"}) from None
        return {"status": "ok"}

    @app.get(
        "/problems/{slug}",
        operation_id="problems-get",
        tags=["meta"],
        summary="What a problem type means",
        response_model=ProblemDetail,
        responses=responses(404),
    )
    async def problem_type(slug: str) -> Any:  # no I/O: answered on the event loop
        if slug not in CATALOGUE:
            raise NotFound(tr("No problem type '{slug}'.", "Tidak ada jenis masalah '{slug}'.", slug=slug))
        language = i18n.current()
        return ProblemDetail(
            type=f"/problems/{slug}",
            title=problem_title(slug, language),
            status=CATALOGUE[slug][0],
            detail=problem_description(slug, language),
        )

    # After the two routes above: a liveness probe is matched first, not after the API's
    # ~200 operations (FastAPI matches included routers one route at a time).
    include_api(app)
    _mount_frontend(app, settings.frontend_dist)
    _short_operation_ids(app)
    _document_cross_cutting(app)
    return app


def _document_cross_cutting(app: FastAPI) -> None:
    """Add to the contract what middleware and the framework add to every operation: body
    parsing errors, the Idempotency-Key header, database outages; and mark If-Match required
    where the route answers 428 without it."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = base()
        ref = {"$ref": "#/components/schemas/ProblemDetail"}

        def problem(description: str) -> dict[str, Any]:
            return {"description": description, "content": {"application/problem+json": {"schema": ref}}}

        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem_schema.pop("$defs", {}))
        schemas["ProblemDetail"] = problem_schema
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                responses = op.setdefault("responses", {})
                for status, response in list(responses.items()):
                    if status.isdigit() and int(status) >= 400:  # every error is a problem document
                        responses[status] = {
                            **problem(response.get("description") or "Error"),
                            **{k: v for k, v in response.items() if k not in ("content", "description")},
                        }
                if path.startswith("/api/"):
                    responses.setdefault("503", problem("Service unavailable (the database is unreachable); retry after Retry-After."))
                if "requestBody" in op:
                    responses.setdefault(
                        "413",
                        problem(
                            "The request body is larger than allowed (`PEMBINA_BODY_MAX_BYTES`, 1 MiB by default; "
                            "upload operations have their own cap); refused while it streams in."
                        ),
                    )
                    responses.setdefault("400", problem("The body could not be parsed."))
                    responses.setdefault("422", problem("Validation error"))
                if path.startswith("/api/") and method in ("post", "patch") and path not in UNKEYED_PATHS:
                    op.setdefault("parameters", []).append(
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "Make retries safe: the same key and request replay the first response "
                            "(with `Idempotent-Replayed: true`); a different request with the same key is a 422. A response "
                            "that revealed a one-time secret (API client secret, generated password) is never stored: its "
                            "replay is a 409 `/problems/replay-unavailable` (rotate the secret or reset the password). A "
                            "replay by an account deactivated since is a 401.",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        }
                    )
                    responses.setdefault("400", problem("Malformed request (e.g. an invalid Idempotency-Key)."))
                    responses.setdefault(
                        "401", problem("Authentication required (also: an Idempotency-Key replay by an account deactivated since).")
                    )
                    responses.setdefault(
                        "409",
                        problem(
                            "A request with the same Idempotency-Key is still in progress (retry after Retry-After), "
                            "or it took effect but its response revealed a secret and is not replayed (`/problems/replay-unavailable`)."
                        ),
                    )
                    responses.setdefault("422", problem("Validation error"))
                op["responses"] = dict(sorted(responses.items()))
        doc["components"]["schemas"] = dict(sorted(schemas.items()))
        require_preconditions(doc)
        scopes.document(doc)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built dashboard (if built) at /: its hashed assets precompressed and cached for a
    year, and index.html (revalidated on every visit) for any other GET outside the API
    (client-side routes). See pembina.delivery."""
    index = dist / "index.html"
    root = dist.resolve()
    if (dist / "assets").is_dir():
        app.mount("/assets", PrecompressedStaticFiles(directory=dist / "assets"), name="assets")

    def spa_fallback(request: Request) -> Response | None:
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(("/api/", "/openapi", "/problems/", "/assets/")):
            return None  # a missing asset is a 404, never index.html under a script's name
        candidate = (dist / path.lstrip("/")).resolve()
        if path != "/" and candidate.is_file() and root in candidate.parents:
            return revalidated_file(candidate, request.headers)
        if path.endswith(SCRIPT_SUFFIXES):
            return None  # nor at the root (/sw.js of a build without it): a 404
        if index.is_file():
            return revalidated_file(index, request.headers)
        return HTMLResponse(
            "<!doctype html><html lang='id'><title>Pembina</title><h1>Pembina</h1>"
            "<p>The dashboard is not built (run <code>make run</code>). API docs: "
            "<a href='/docs'>/docs</a> · <a href='/redoc'>/redoc</a></p></html>"
        )

    app.state.not_found_fallback = spa_fallback


app = create_app()
