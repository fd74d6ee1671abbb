"""Which methods the contract offers at a URL path (from the app's OpenAPI document).

Used where the framework's own routing is not reachable: the idempotency middleware runs
before routing, and the 405 handler must name every method of a path in `Allow`.
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
