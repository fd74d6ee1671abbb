"""Budgets (allocations, realizations, roll-up) and work programs."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}
#: Bodies naming another region's team: refused as an unknown team (422) or by scope (403/404).
BODY_DENY = {403, 404, 422}


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    h = admin.headers
    team = client.post("/api/v1/teams", json={"region_code": "36.73.03"}, headers=h)
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    budget = client.post(
        "/api/v1/budgets", json={"team_id": team_id, "fiscal_year": 2025, "source": "dak_non_fisik", "total_amount": 1_000}, headers=h
    )
    assert budget.status_code == 201, budget.text
    b = budget.json()["id"]
    alloc = client.post(f"/api/v1/budgets/{b}/allocations", json={"activity": "Rakor", "amount": 500}, headers=h)
    assert alloc.status_code == 201, alloc.text
    a = alloc.json()["id"]
    real = client.post(f"/api/v1/budgets/{b}/allocations/{a}/realizations", json={"realized_on": "2025-04-21", "amount": 100}, headers=h)
    program = client.post(
        "/api/v1/work-programs", json={"team_id": team_id, "year": 2025, "title": "Rakor", "allocation_ids": [a]}, headers=h
    )
    assert real.status_code == program.status_code == 201, (real.text, program.text)
    return {
        "serang_budget_team_id": team_id,
        "serang_budget_id": b,
        "serang_allocation_id": a,
        "serang_realization_id": real.json()["id"],
        "serang_work_program_id": program.json()["id"],
    }


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    t, b, a = ctx.get("serang_budget_team_id", 0), ctx.get("serang_budget_id", 0), ctx.get("serang_allocation_id", 0)
    r, w = ctx.get("serang_realization_id", 0), ctx.get("serang_work_program_id", 0)
    alloc = f"/api/v1/budgets/{b}/allocations/{a}"
    return {
        "budgets-list": [
            ("GET", "/api/v1/budgets", None, {200}),
            ("GET", "/api/v1/budgets", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/budgets", {"team_id": t}, {200}),
        ],
        "budgets-rollup": [
            ("GET", "/api/v1/budgets/rollup", None, {200}),
            ("GET", "/api/v1/budgets/rollup", {"region": "36.73.03"}, {403}),
        ],
        "budgets-create": [("POST", "/api/v1/budgets", {"team_id": t, "fiscal_year": 2026, "source": "apbd"}, BODY_DENY)],
        "budgets-get": [("GET", f"/api/v1/budgets/{b}", None, DENY)],
        "budgets-update": [("PATCH", f"/api/v1/budgets/{b}", {"notes": "Hacked"}, DENY)],
        "budgets-delete": [("DELETE", f"/api/v1/budgets/{b}", None, DENY)],
        "budget-allocations-list": [("GET", f"/api/v1/budgets/{b}/allocations", None, DENY)],
        "budget-allocations-create": [("POST", f"/api/v1/budgets/{b}/allocations", {"activity": "Intruder", "amount": 1}, DENY)],
        "budget-allocations-get": [("GET", alloc, None, DENY)],
        "budget-allocations-update": [("PATCH", alloc, {"amount": 1, "allow_overrun": True}, DENY)],
        "budget-allocations-delete": [("DELETE", alloc, None, DENY)],
        "budget-realizations-list": [("GET", f"{alloc}/realizations", None, DENY)],
        "budget-realizations-create": [("POST", f"{alloc}/realizations", {"realized_on": "2025-05-01", "amount": 1}, DENY)],
        "budget-realizations-delete": [("DELETE", f"{alloc}/realizations/{r}", None, DENY)],
        "work-programs-list": [
            ("GET", "/api/v1/work-programs", None, {200}),
            ("GET", "/api/v1/work-programs", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/work-programs", {"allocation_id": a}, {200}),
        ],
        "work-programs-create": [("POST", "/api/v1/work-programs", {"team_id": t, "year": 2025, "title": "Intruder"}, BODY_DENY)],
        "work-programs-get": [("GET", f"/api/v1/work-programs/{w}", None, DENY)],
        "work-programs-update": [("PATCH", f"/api/v1/work-programs/{w}", {"status": "cancelled"}, DENY)],
        "work-programs-delete": [("DELETE", f"/api/v1/work-programs/{w}", None, DENY)],
    }
