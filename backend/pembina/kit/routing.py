"""The API's route class: what every route does the same way, so that a route only says what is its own.

* Integer path parameters only match digits. `/posyandu/service-catalog` and
  `/posyandu/{posyandu_id}` live side by side: with a plain `{posyandu_id}`,
  `PATCH /posyandu/service-catalog` would reach the id route and fail validation (422) instead
  of being a 405. `{x}` becomes `{x:int}` for every parameter the endpoint types as `int` (the
  contract is unchanged: OpenAPI shows `{x}`).
* A record's version goes back as its ETag: when an endpoint returns a model with a `version`,
  the response carries `ETag: "<version>"` (unless the route set one itself); a 201 that
  created it also names its URL in `Location`, when the contract has one (a GET at
  `<the route's path>/{id}`).
* A 204 endpoint returns None: the route answers an empty 204.
* The problems a route can answer are derived from its signature (`problem_statuses`): a route's
  `responses=` lists only its own extras (a 409, ...).
* The rendered response is noted for the idempotency record (`note_response`).
* The endpoint's docstring is its documentation: the first paragraph is the operation's summary,
  the rest its description (lines of a paragraph are joined; paragraphs stay apart), and the
  response model is the endpoint's return type. A route says `summary=`/`description=` only
  when they are not plain text.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from enum import Enum
from typing import Any

from fastapi import APIRouter, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security.base import SecurityBase
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pembina.kit.db import end_read
from pembina.kit.errors import responses
from pembina.kit.idempotency_context import note_response
from pembina.kit.params import CODE_PATTERN
from pembina.kit.route_index import record_collections
from pembina.kit.versioning import etag, expected_version, expected_version_if_sent

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: What the endpoint of the request being handled returned (set by `_keeping_result`).
_RESULT: ContextVar[list[Any] | None] = ContextVar("pembina_endpoint_result", default=None)


def _int_params(endpoint: Any) -> set[str]:
    try:
        hints = typing.get_type_hints(endpoint, include_extras=True)
    except Exception:  # noqa: BLE001 - unresolvable hints: leave the path as it is
        return set()
    out = set()
    for name, hint in hints.items():
        base = typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint
        if base is int:
            out.add(name)
    return out


def in_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A sync endpoint as a coroutine that runs it in the thread pool.

    FastAPI runs a sync endpoint in a worker thread and then validates its return value in a
    second hop to a worker thread; for a coroutine it validates on the event loop. Our
    endpoints return already-built response models (their validation is a type check), so one
    hop is enough. A read request's transaction ends in the same hop, once the endpoint has
    returned (`kit.db.end_read`). The original stays reachable as `__wrapped__` (signature,
    type hints)."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    def call(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        end_read()
        return result

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(call, *args, **kwargs)

    return run


def _keeping_result(endpoint: Callable[..., Any], status_code: int | None) -> Callable[..., Any]:
    """The endpoint, leaving its result where the route's handler finds it (the response's
    headers are derived from it); a 204 endpoint's None becomes the empty 204."""

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        result = await endpoint(*args, **kwargs)
        if result is None and status_code == 204:
            result = Response(status_code=204)
        kept = _RESULT.get()
        if kept is not None:
            kept.append(result)
        return result

    return run


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _names_region(field: Any) -> bool:
    """A parameter that names a region, or a query model with such a field."""
    annotation = field.field_info.annotation
    infos = annotation.model_fields.values() if isinstance(annotation, type) and issubclass(annotation, BaseModel) else [field.field_info]
    return any(getattr(m, "pattern", None) == CODE_PATTERN for info in infos for m in info.metadata)


def _names_record(field: Any) -> bool:
    """A path parameter that names a record (not one of a fixed set of values, e.g. a kind)."""
    annotation = field.field_info.annotation
    return not (isinstance(annotation, type) and issubclass(annotation, Enum))


def _upload(route: APIRoute, deps: list[Dependant]) -> bool:
    body = (route.openapi_extra or {}).get("requestBody", {})
    return "multipart/form-data" in body.get("content", {}) or any(
        isinstance(f.field_info, params.File) for d in deps for f in d.body_params
    )


def requires_if_match(route: APIRoute) -> bool:
    """The route takes an `Expected` version: without If-Match it answers 428."""
    return any(d.call is expected_version for d in _dependants(route.dependant))


def require_preconditions(doc: dict[str, Any]) -> None:
    """Mark If-Match required in the contract `doc` exactly where an operation documents a 428,
    which `problem_statuses` gives the routes that take an `Expected` version. FastAPI documents
    the header as optional everywhere: it is optional to FastAPI, so that its absence is the 428
    of `ExpectedVersion.check` rather than a 422."""
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            if "428" not in operation.get("responses", {}):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name") == "If-Match":
                    parameter["required"] = True


def problem_statuses(route: APIRoute) -> set[int]:
    """The problems a route's signature says it can answer:

    * 401 when it authenticates the caller (a security scheme among its dependencies: the
      `CurrentPrincipal` of `pembina.auth.deps`); then 403 for a write (the role, the region,
      a cookie from a foreign page) or for a read that names a region (outside the caller's);
    * 404 when a path parameter names a record, 422 when it has parameters or a body;
    * 412 when it takes an `ExpectedIfSent` version, 412 and 428 for an `Expected` one;
    * 413 and 415 for an upload (a file in a multipart body).

    A route authenticated only by the router it is mounted in (no `CurrentPrincipal` of its
    own) lists its 401 itself, like any other extra.
    """
    deps = list(_dependants(route.dependant))
    fields = [f for d in deps for f in (*d.path_params, *d.query_params, *d.header_params, *d.cookie_params)]
    calls = {d.call for d in deps}
    out: set[int] = set()
    if any(isinstance(c, SecurityBase) for c in calls):
        out.add(401)
        if (route.methods or set()) - SAFE_METHODS or any(_names_region(f) for f in fields):
            out.add(403)
    if any(_names_record(f) for d in deps for f in d.path_params):
        out.add(404)
    if fields or any(d.body_params for d in deps) or "requestBody" in (route.openapi_extra or {}):
        out.add(422)
    if requires_if_match(route):
        out |= {412, 428}
    if expected_version_if_sent in calls:
        out.add(412)
    if _upload(route, deps):
        out |= {413, 415}
    return out


def _documentation(endpoint: Any) -> tuple[str | None, str]:
    """The summary and description that an endpoint's docstring gives."""
    paragraphs = [" ".join(p.split()) for p in inspect.cleandoc(endpoint.__doc__ or "").split("\n\n")]
    return (paragraphs[0] or None), "\n\n".join(paragraphs[1:])


class TypedPathRoute(APIRoute):
    def __init__(self, path: str, endpoint: Any, **kwargs: Any):
        summary, description = _documentation(endpoint)
        if kwargs.get("summary") is None:
            kwargs["summary"] = summary
        elif kwargs["summary"] != summary:  # a summary of its own: the whole docstring describes
            description = "\n\n".join(p for p in (summary, description) if p)
        kwargs["description"] = kwargs.get("description") or description
        ints = _int_params(endpoint)
        path = re.sub(r"\{(\w+)\}", lambda m: "{%s:int}" % m.group(1) if m.group(1) in ints else m.group(0), path)
        handler = _keeping_result(in_worker_thread(endpoint), kwargs.get("status_code"))
        handler.__doc__ = kwargs["description"]  # what FastAPI falls back to where a router is included
        super().__init__(path, handler, **kwargs)
        self.responses = {**responses(*sorted(problem_statuses(self))), **self.responses}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The handler, adding the record's headers to its response and noting it for the
        idempotency record before the request's session commits (`DbSession` closes when the
        handler returns, before the response is sent): the record is written in the same
        transaction as the effect, and a replay carries the same headers."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            kept: list[Any] = []
            token = _RESULT.set(kept)
            try:
                response = await handler(request)
            finally:
                _RESULT.reset(token)
            if kept:
                self._record_headers(request, response, kept[0])
            note_response(response)
            return response

        return handle

    def _record_headers(self, request: Request, response: Response, result: Any) -> None:
        """ETag for a record the endpoint returned; Location too when it created one that has a URL."""
        if not isinstance(result, BaseModel) or not isinstance(version := getattr(result, "version", None), int):
            return
        if "etag" not in response.headers:  # a route may send another record's (e.g. a transition's parent)
            response.headers["ETag"] = etag(version)
        record_id = getattr(result, "id", None)
        if (
            response.status_code == 201
            and record_id is not None
            and (collection := record_collections(request.app).get(self.operation_id or ""))
        ):
            response.headers["Location"] = f"{collection.format(**request.path_params)}/{record_id}"


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=TypedPathRoute, **kwargs)
