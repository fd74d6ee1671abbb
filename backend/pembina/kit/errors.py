"""RFC 9457 problem details: one error hierarchy, one set of handlers.

Every 4xx and 5xx the API sends is ``application/problem+json`` with a stable ``type``
(``/problems/<slug>``, documented at that path), a ``title``, the ``status`` and a human
``detail``. Validation problems add ``errors``: one entry per offending field.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pembina.kit import i18n
from pembina.kit.i18n import tr
from pembina.kit.route_index import allowed_methods

log = logging.getLogger("pembina")

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: The problem types, served at /problems/{slug}: slug -> {status, en: {title, description}, id: {...}}
#: (`kit/locale/problems.json`, a catalogue kept as data beside the code, in both languages).
PROBLEM_TYPES: dict[str, dict[str, Any]] = json.loads((Path(__file__).parent / "locale" / "problems.json").read_text("utf-8"))
#: slug -> (status, title, description) in English.
CATALOGUE: dict[str, tuple[int, str, str]] = {
    slug: (t["status"], t["en"]["title"], t["en"]["description"]) for slug, t in PROBLEM_TYPES.items()
}


def title(slug: str, language: i18n.Language) -> str:
    """A problem type's title in `language`."""
    return str(PROBLEM_TYPES[slug][language]["title"])


def description(slug: str, language: i18n.Language) -> str:
    """What a problem type means, in `language` (served at /problems/{slug})."""
    return str(PROBLEM_TYPES[slug][language]["description"])


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the error is: e.g. ['body', 'region_code'].")
    msg: str
    type: str


class ProblemDetail(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=["/problems/not-found"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = Field(default=None, description="Field-level errors (422 only).")

    model_config = {"extra": "allow"}


class Problem(Exception):
    slug = "bad-request"

    def __init__(self, detail: str | None = None, detail_id: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any):
        """`detail` in English and, when given, `detail_id` in Indonesian: the detail is the one of
        the request's language (`pembina.kit.i18n`)."""
        if detail is not None and detail_id is not None:
            detail = tr(detail, detail_id)
        status, title, _ = CATALOGUE[self.slug]
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
        super().__init__(detail or title)

    def body(self, instance: str | None = None, language: i18n.Language | None = None) -> dict[str, Any]:
        """The problem's JSON, its title in `language` (default: the request's)."""
        out: dict[str, Any] = {
            "type": f"/problems/{self.slug}",
            "title": title(self.slug, language or i18n.current()),
            "status": self.status,
        }
        if self.detail:
            out["detail"] = self.detail
        if instance:
            out["instance"] = instance
        out.update(self.extra)
        return out


class BadRequest(Problem):
    slug = "bad-request"


class Unauthenticated(Problem):
    slug = "unauthenticated"


class InvalidCredentials(Problem):
    slug = "invalid-credentials"


class Forbidden(Problem):
    slug = "forbidden"


class InsufficientScope(Problem):
    """An API client's token lacks the OAuth2 scope the operation needs (`scope` names it)."""

    slug = "insufficient-scope"


class InvalidScope(Problem):
    """A token request asked for a scope that does not exist or that the client was not granted."""

    slug = "invalid-scope"


class OutOfScope(Problem):
    slug = "out-of-scope"


class NotFound(Problem):
    slug = "not-found"


class Conflict(Problem):
    slug = "conflict"


class InvalidTransition(Problem):
    slug = "invalid-transition"


class ReplayUnavailable(Problem):
    slug = "replay-unavailable"


class PreconditionFailed(Problem):
    slug = "precondition-failed"


class PreconditionRequired(Problem):
    slug = "precondition-required"


class PayloadTooLarge(Problem):
    slug = "payload-too-large"


class UnsupportedMediaType(Problem):
    slug = "unsupported-media-type"


class RateLimited(Problem):
    slug = "rate-limited"


class ServiceUnavailable(Problem):
    slug = "service-unavailable"


class InternalError(Problem):
    slug = "internal-error"


class MethodNotAllowed(Problem):
    slug = "method-not-allowed"


class ValidationProblem(Problem):
    """A business-rule validation failure, reported like a schema one."""

    slug = "validation-error"

    def __init__(
        self, detail: str, detail_id: str | None = None, *, loc: list[str | int] | None = None, errors: list[dict[str, Any]] | None = None
    ):
        detail = tr(detail, detail_id) if detail_id is not None else detail
        errs = errors if errors is not None else [{"loc": loc or ["body"], "msg": detail, "type": "value_error"}]
        super().__init__(detail, errors=errs)


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    """The problem as `application/problem+json`, in the request's language (`Accept-Language`)."""
    instance = request.url.path if request is not None else None
    language = i18n.negotiate(request.headers.get("accept-language")) if request is not None else i18n.current()
    headers = {**problem.headers, "Content-Language": language}
    return JSONResponse(problem.body(instance, language), status_code=problem.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _slug_for_status(status: int) -> str:
    for slug, (s, _, _) in CATALOGUE.items():
        if s == status:
            return slug
    return "bad-request" if status < 500 else "internal-error"


def _problem_class_for(status: int) -> type[Problem]:
    slug = _slug_for_status(status)
    for cls in Problem.__subclasses__():
        if cls.slug == slug:
            return cls
    return BadRequest


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's errors as the problem's `errors`: each message worded in the caller's language."""
    out = []
    for e in errors:
        out.append(
            {
                "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
                "msg": i18n.validation_message(e),
                "type": str(e.get("type", "value_error")),
            }
        )
    return out


def _allowed_methods(request: Request) -> list[str]:
    return sorted(allowed_methods(request.app, request.url.path))


#: What the database's own refusals become, (English, Indonesian).
STALE = ("Another change to this record was saved first.", "Perubahan lain pada data ini tersimpan lebih dulu.")
CONFLICTING = (
    "The change conflicts with existing data (a duplicate or a missing reference).",
    "Perubahan bertentangan dengan data yang ada (duplikat atau rujukan yang tidak ada).",
)
UNSTORABLE = (
    "A value is out of range or contains characters that cannot be stored.",
    "Ada nilai di luar rentang atau berisi karakter yang tidak dapat disimpan.",
)
BUSY = ("The server is busy; try again shortly.", "Server sedang sibuk; coba lagi sebentar lagi.")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        token = i18n.use(i18n.negotiate(request.headers.get("accept-language")))
        try:
            errors = _jsonable_errors(exc.errors())
            n = len(errors)
            fields = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
            detail = tr("{n} invalid field(s): {fields}", "{n} isian tidak valid: {fields}", n=n, fields=fields)
            return problem_response(ValidationProblem(detail, errors=errors), request)
        finally:
            i18n.reset(token)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        fallback = getattr(request.app.state, "not_found_fallback", None)
        if exc.status_code == 404 and fallback is not None:
            served = fallback(request)
            if served is not None:
                return served
        cls = _problem_class_for(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in ("Not Found", "Method Not Allowed") else None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route's methods; list every route of the path.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        p = cls(detail, headers=headers)
        p.status = exc.status_code
        return problem_response(p, request)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return problem_response(PreconditionFailed(tr(*STALE)), request)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error on %s: %s", request.url.path, exc.orig)
        return problem_response(Conflict(tr(*CONFLICTING)), request)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # Input the database cannot hold (a number out of range, a NUL character...).
        log.info("data error on %s: %s", request.url.path, exc.orig)
        return problem_response(ValidationProblem(tr(*UNSTORABLE)), request)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable on %s: %s", request.url.path, exc.orig)
        return problem_response(ServiceUnavailable(headers={"Retry-After": "5"}), request)

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every pooled connection stayed busy for db_pool_timeout seconds: overloaded, not broken.
        log.warning("connection pool exhausted on %s: %s", request.url.path, exc)
        return problem_response(ServiceUnavailable(tr(*BUSY), headers={"Retry-After": "2"}), request)

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return problem_response(ServiceUnavailable(headers={"Retry-After": "5"}), request)
        log.exception("database error on %s", request.url.path, exc_info=exc)
        return problem_response(InternalError(), request)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(InternalError(), request)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the given problem statuses: what the route class derives from a
    route's signature (`pembina.kit.routing.problem_statuses`), and a route's own extras."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        slug = _slug_for_status(status)
        out[status] = {
            "description": CATALOGUE[slug][1],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
        }
    return out
