"""API routers whose integer path parameters only match digits.

`/posyandu/service-catalog` and `/posyandu/{posyandu_id}` live side by side: with a plain
`{posyandu_id}`, `PATCH /posyandu/service-catalog` would reach the id route and fail
validation (422) instead of being a 405. `api_router()` rewrites `{x}` to `{x:int}` for every
parameter the endpoint types as `int` (the contract is unchanged: OpenAPI shows `{x}`).
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pembina.kit.idempotency_context import note_response


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
    hop is enough. The original stays reachable as `__wrapped__` (signature, type hints)."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class TypedPathRoute(APIRoute):
    def __init__(self, path: str, endpoint: Any, **kwargs: Any):
        ints = _int_params(endpoint)
        path = re.sub(r"\{(\w+)\}", lambda m: "{%s:int}" % m.group(1) if m.group(1) in ints else m.group(0), path)
        super().__init__(path, in_worker_thread(endpoint), **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The handler, noting its rendered response for the idempotency record before the
        request's session commits (`DbSession` closes when the handler returns, before the
        response is sent): the record is written in the same transaction as the effect."""
        handler = super().get_route_handler()

        async def noting(request: Request) -> Response:
            response = await handler(request)
            note_response(response)
            return response

        return noting


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=TypedPathRoute, **kwargs)
