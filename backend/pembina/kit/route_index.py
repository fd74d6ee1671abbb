"""Which methods the contract offers at a URL path, and where a create puts its record (from the
app's OpenAPI document).

Used where the framework's own routing is not reachable: the idempotency middleware runs
before routing, the 405 handler must name every method of a path in `Allow`, and a create's
route knows neither its full path nor whether its record has a URL of its own.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.routing import compile_path


def _path_regex(path: str, ops: dict[str, Any]) -> re.Pattern[str]:
    ints = {
        p["name"]
        for op in ops.values()
        for p in op.get("parameters", [])
        if p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
    }
    # Integer path parameters only match digits (see pembina.kit.routing), as the router does.
    regex, _, _ = compile_path(re.sub(r"\{(\w+)\}", lambda m: "{%s:int}" % m.group(1) if m.group(1) in ints else m.group(0), path))
    return regex


def _index(app: Any) -> list[tuple[re.Pattern[str], set[str]]]:
    cached = getattr(app.state, "route_index", None)
    if cached is None:
        cached = []
        for path, ops in app.openapi()["paths"].items():
            methods = {m.upper() for m in ops}
            if "GET" in methods:
                methods.add("HEAD")
            cached.append((_path_regex(path, ops), methods))
        app.state.route_index = cached
    return cached


def operations(app: Any, operation_ids: set[str]) -> list[tuple[re.Pattern[str], str, str]]:
    """(path regex, METHOD, operation id) of the given operations of the contract."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            if op.get("operationId") in operation_ids:
                out.append((_path_regex(path, ops), method.upper(), op["operationId"]))
    return out


def allowed_methods(app: Any, path: str) -> set[str]:
    out: set[str] = set()
    for regex, methods in _index(app):
        if regex.match(path):
            out |= methods
    return out


def record_collections(app: Any) -> dict[str, str]:
    """Operation id -> path of each POST that creates a record the contract can GET at
    `<that path>/{id}` (the record's URL, sent as `Location` by `pembina.kit.routing`)."""
    cached: dict[str, str] | None = getattr(app.state, "record_collections", None)
    if cached is None:
        paths = app.openapi()["paths"]
        readable = [path for path, ops in paths.items() if "get" in ops]
        cached = {
            ops["post"]["operationId"]: path
            for path, ops in paths.items()
            if "post" in ops and any(re.fullmatch(re.escape(path) + r"/\{\w+\}", p) for p in readable)
        }
        app.state.record_collections = cached
    return cached
