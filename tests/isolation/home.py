"""The home's trends and the national board: a region's only to its callers, the nation's to national accounts."""

from __future__ import annotations

from typing import Any


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    return {}


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    return {
        "regions-trends": [("GET", "/api/v1/regions/36.73/trends", None, {403}), ("GET", "/api/v1/regions/36/trends", None, {403})],
        "regions-national-trends": [("GET", "/api/v1/regions/trends", None, {403})],
        "regions-national-compliance": [("GET", "/api/v1/regions/compliance", None, {403})],
        "posyandu-registration-progress-by-region": [
            ("GET", "/api/v1/posyandu/registration-progress/by-region", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/posyandu/registration-progress/by-region", {"region": "36"}, {403}),
        ],
    }
