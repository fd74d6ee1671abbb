"""Teams, members, decrees (with their file and transitions), reporting deadlines, compliance."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    h = admin.headers
    team = client.post("/api/v1/teams", json={"region_code": "36.73", "name": "TP Posyandu Kota Serang"}, headers=h)
    assert team.status_code == 201, team.text
    tid = team.json()["id"]
    member = client.post(
        f"/api/v1/teams/{tid}/members",
        json={"position": "sekretaris", "name": "Sekretariat", "institution": "DPMPPA Kota Serang"},
        headers=h,
    )
    decree = client.post(
        "/api/v1/decrees",
        json={"region_code": "36.73", "title": "Keputusan Wali Kota Serang No. 274 Tahun 2024", "number": "274 Tahun 2024", "team_id": tid},
        headers=h,
    )
    assert member.status_code == decree.status_code == 201, (member.text, decree.text)
    did = decree.json()["id"]
    draft = client.post(
        "/api/v1/decrees", json={"region_code": "36.73.03.1014", "title": "SK TP Posyandu Kelurahan Pipitan"}, headers=h
    ).json()["id"]
    up = client.put(f"/api/v1/decrees/{did}/file", files={"file": ("sk.pdf", PDF, "application/pdf")}, headers=h)
    issued = client.post(f"/api/v1/decrees/{did}/transitions", json={"action": "issue", "effective_date": "2024-12-30"}, headers=h)
    reported = client.post(f"/api/v1/decrees/{did}/transitions", json={"action": "report", "effective_date": "2025-01-10"}, headers=h)
    deadline = client.post("/api/v1/reporting-deadlines", json={"region_code": "36.73", "year": 2025, "due_date": "2025-06-30"}, headers=h)
    assert up.status_code == 200 and issued.status_code == reported.status_code == deadline.status_code == 201
    return {
        "serang_team_id": tid,
        "serang_member_id": member.json()["id"],
        "serang_decree_id": did,
        "serang_draft_id": draft,
        "serang_deadline_id": deadline.json()["id"],
    }


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    t, m, d, dr, dl = (
        ctx.get(k, 0) for k in ("serang_team_id", "serang_member_id", "serang_decree_id", "serang_draft_id", "serang_deadline_id")
    )
    return {
        "teams-list": [
            ("GET", "/api/v1/teams", None, {200}),
            ("GET", "/api/v1/teams", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/teams", {"q": "serang"}, {200}),
        ],
        "teams-get": [("GET", f"/api/v1/teams/{t}", None, DENY)],
        "teams-create": [("POST", "/api/v1/teams", {"region_code": "36.73.03.1014"}, DENY)],
        "teams-update": [("PATCH", f"/api/v1/teams/{t}", {"name": "Hacked"}, DENY)],
        "teams-delete": [("DELETE", f"/api/v1/teams/{t}", None, DENY)],
        "team-members-list": [("GET", f"/api/v1/teams/{t}/members", None, DENY)],
        "team-members-get": [("GET", f"/api/v1/teams/{t}/members/{m}", None, DENY)],
        "team-members-create": [("POST", f"/api/v1/teams/{t}/members", {"position": "anggota", "name": "Intruder"}, DENY)],
        "team-members-update": [("PATCH", f"/api/v1/teams/{t}/members/{m}", {"name": "Hacked"}, DENY)],
        "team-members-delete": [("DELETE", f"/api/v1/teams/{t}/members/{m}", None, DENY)],
        "decrees-list": [
            ("GET", "/api/v1/decrees", None, {200}),
            ("GET", "/api/v1/decrees", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/decrees", {"q": "274"}, {200}),
        ],
        "decrees-get": [("GET", f"/api/v1/decrees/{d}", None, DENY), ("GET", f"/api/v1/decrees/{dr}", None, DENY)],
        "decrees-create": [("POST", "/api/v1/decrees", {"region_code": "36.73", "title": "Palsu"}, DENY)],
        "decrees-update": [("PATCH", f"/api/v1/decrees/{dr}", {"title": "Hacked"}, DENY)],
        "decrees-delete": [("DELETE", f"/api/v1/decrees/{dr}", None, DENY)],
        "decrees-transition": [
            ("POST", f"/api/v1/decrees/{d}/transitions", {"action": "verify"}, DENY),
            ("POST", f"/api/v1/decrees/{dr}/transitions", {"action": "issue"}, DENY),
            ("POST", f"/api/v1/decrees/{d}/transitions", {"action": "revoke", "reason": "x"}, DENY),
        ],
        "decrees-transitions-list": [("GET", f"/api/v1/decrees/{d}/transitions", None, DENY)],
        "decrees-file-upload": [("PUT", f"/api/v1/decrees/{d}/file", None, DENY)],
        "decrees-file-download": [("GET", f"/api/v1/decrees/{d}/file", None, DENY)],
        "reporting-deadlines-list": [
            ("GET", "/api/v1/reporting-deadlines", None, {200}),
            ("GET", "/api/v1/reporting-deadlines", {"region": "36.73"}, {403}),
        ],
        "reporting-deadlines-get": [("GET", f"/api/v1/reporting-deadlines/{dl}", None, DENY)],
        "reporting-deadlines-create": [
            ("POST", "/api/v1/reporting-deadlines", {"region_code": "36.73", "year": 2026, "due_date": "2026-01-31"}, DENY)
        ],
        "reporting-deadlines-update": [("PATCH", f"/api/v1/reporting-deadlines/{dl}", {"due_date": "2025-01-01"}, DENY)],
        "reporting-deadlines-delete": [("DELETE", f"/api/v1/reporting-deadlines/{dl}", None, DENY)],
        "regions-compliance": [
            ("GET", "/api/v1/regions/36.73/compliance", None, {403}),
            ("GET", "/api/v1/regions/36/compliance", {"level": "regency"}, {403}),
            ("GET", "/api/v1/regions/33.75/compliance", None, {200}),
        ],
        "regions-compliance-missing": [
            ("GET", "/api/v1/regions/36.73/compliance/missing", None, {403}),
            ("GET", "/api/v1/regions/36/compliance/missing", {"level": "regency"}, {403}),
            ("GET", "/api/v1/regions/33.75/compliance/missing", {"limit": 500}, {200}),
        ],
        "regions-chase": [
            ("GET", "/api/v1/regions/36.73/chase", None, {403}),
            ("GET", "/api/v1/regions/36.73.03.1014/chase", None, {403}),
            ("GET", "/api/v1/regions/33.75/chase", None, {200}),
        ],
        "regions-contacts": [
            ("GET", "/api/v1/regions/36.73/contacts", None, {403}),
            ("GET", "/api/v1/regions/36.73.03.1014/contacts", None, {403}),
        ],
        "auth-me-tasks": [("GET", "/api/v1/auth/me/tasks", {"limit": 50}, {200})],
    }
