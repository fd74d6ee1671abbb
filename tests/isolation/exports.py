"""Exports: every list export, the reports and the PDF summary. Lists are exported as CSV so
that a leak of Serang data would show in the text."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    return {}  # the Serang records of the other modules (posyandu, batches, decrees, …) are exported


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    from pembina.exports.lists import registry

    b = ctx.get("serang_batch_id", 0)
    out: dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]] = {
        "exports-list": [("GET", "/api/v1/exports", None, {200})],
        "exports-report-compliance": [
            ("GET", "/api/v1/exports/reports/compliance", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/exports/reports/compliance", {"region": "36.73.03", "as_of": "2025-06-30"}, {403}),
        ],
        "exports-report-budget-rollup": [
            ("GET", "/api/v1/exports/reports/budget-rollup", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/exports/reports/budget-rollup", {"region": "36.73.03", "group_by": "spm_field", "year": 2025}, {403}),
            ("GET", "/api/v1/exports/reports/budget-rollup", {"group_by": "year"}, {200}),
        ],
        "exports-report-registration-batch": [("GET", f"/api/v1/exports/reports/registration-batches/{b}", None, DENY)],
        "exports-region-summary-pdf": [
            ("GET", "/api/v1/exports/regions/36.73/summary.pdf", None, {403}),
            ("GET", "/api/v1/exports/regions/36.73.03.1014/summary.pdf", None, {403}),
        ],
    }
    ids = {
        "team_id": ctx.get("serang_team_id", 0),
        "decree_id": ctx.get("serang_decree_id", 0),
        "posyandu_id": ctx.get("serang_posyandu_id", 0),
        "budget_id": ctx.get("serang_budget_id", 0),
        "meeting_id": ctx.get("serang_meeting_id", 0),
        "report_id": ctx.get("serang_report_draft_id", 0),
    }
    for spec in registry().values():
        path = "/api/v1" + spec.export_path
        if spec.path_params:  # a Serang record's list (its members, documents, history)
            out[f"exports-{spec.name}"] = [("GET", path.format(**ids), {"format": "csv"}, DENY)]
            continue
        cases_ = [("GET", path, {"format": "csv"}, {200})]
        if spec.region_filter:
            cases_.append(("GET", path, {"format": "csv", spec.region_filter: "36.73"}, {403}))
        out[f"exports-{spec.name}"] = cases_
    return out
