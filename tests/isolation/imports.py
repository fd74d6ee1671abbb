"""Spreadsheet imports. A Serang row in a Pekalongan caller's file is a row error (see
tests/test_imports_api.py::test_rows_outside_the_region_are_row_errors); here: the operations
themselves never leak or change Serang data."""

from __future__ import annotations

from typing import Any

#: Multipart uploads sent as JSON by the isolation test: refused before reading any row.
UPLOAD_DENY = {403, 422}


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    return {}


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    return {
        "imports-kinds": [("GET", "/api/v1/imports", None, {200})],
        "imports-template": [
            ("GET", "/api/v1/imports/templates/posyandu", {"format": "csv"}, {200}),
            ("GET", "/api/v1/imports/templates/teams", {"format": "xlsx"}, {200}),
        ],
        "imports-run": [("POST", "/api/v1/imports/posyandu", {"region_code": "36.73.03.1014", "name": "Intruder"}, UPLOAD_DENY)],
    }
