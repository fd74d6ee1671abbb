"""Legal references, meetings (attachments, follow-ups), competitions (entrants, scores, ranking)."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}
#: Multipart uploads sent as JSON by the isolation test: refused before or at the scope check.
UPLOAD_DENY = {403, 404, 422}
PDF = b"%PDF-1.4\n% rakor\n%%EOF\n"


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    h = admin.headers
    ref = client.get("/api/v1/legal-references", params={"q": "pos pelayanan"}, headers=h).json()["items"][0]["id"]
    meeting = client.post(
        "/api/v1/meetings",
        json={
            "region_code": "36.73",
            "title": "Rapat Koordinasi Tim Pembina Posyandu Tingkat Kota Serang",
            "held_on": "2025-04-21",
            "venue": "Hotel Flamengo",
            "participant_count": 83,
            "legal_reference_ids": [ref],
            "funding_source": "dak_non_fisik",
        },
        headers=h,
    )
    assert meeting.status_code == 201, meeting.text
    mid = meeting.json()["id"]
    follow_up = client.post(
        f"/api/v1/meetings/{mid}/follow-ups", json={"action": "Persiapan lomba Posyandu", "due_on": "2025-05-31"}, headers=h
    )
    attachment = client.post(f"/api/v1/meetings/{mid}/attachments", files={"file": ("undangan.pdf", PDF, "application/pdf")}, headers=h)
    assert follow_up.status_code == attachment.status_code == 201, (follow_up.text, attachment.text)
    posyandu = client.post("/api/v1/posyandu", json={"region_code": "36.73.03.1014", "name": "Posyandu Lomba Serang"}, headers=h).json()[
        "id"
    ]
    competition = client.post(
        "/api/v1/competitions",
        json={
            "region_code": "36.73",
            "title": "Lomba Posyandu Kota Serang 2025",
            "year": 2025,
            "category": "posyandu",
            "criteria": [{"name": "Kelembagaan", "weight": 100}],
        },
        headers=h,
    )
    assert competition.status_code == 201, competition.text
    cid = competition.json()["id"]
    entrant = client.post(f"/api/v1/competitions/{cid}/entrants", json={"posyandu_id": posyandu}, headers=h)
    assert entrant.status_code == 201, entrant.text
    return {
        "legal_reference_id": ref,
        "serang_meeting_id": mid,
        "serang_follow_up_id": follow_up.json()["id"],
        "serang_attachment_id": attachment.json()["id"],
        "serang_competition_id": cid,
        "serang_entrant_id": entrant.json()["id"],
        "serang_competition_posyandu_id": posyandu,
    }


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    ref, m, f, a = (ctx.get(k, 0) for k in ("legal_reference_id", "serang_meeting_id", "serang_follow_up_id", "serang_attachment_id"))
    c, e, p = (ctx.get(k, 0) for k in ("serang_competition_id", "serang_entrant_id", "serang_competition_posyandu_id"))
    return {
        # the library is national and public to every account; only national admins write it
        "legal-references-list": [("GET", "/api/v1/legal-references", None, {200})],
        "legal-references-get": [("GET", f"/api/v1/legal-references/{ref}", None, {200})],
        "legal-references-create": [
            ("POST", "/api/v1/legal-references", {"kind": "uu", "number": "99", "year": 2099, "title": "Palsu"}, {403})
        ],
        "legal-references-update": [("PATCH", f"/api/v1/legal-references/{ref}", {"title": "Hacked"}, {403})],
        "legal-references-delete": [("DELETE", f"/api/v1/legal-references/{ref}", None, {403})],
        "meetings-list": [
            ("GET", "/api/v1/meetings", None, {200}),
            ("GET", "/api/v1/meetings", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/meetings", {"q": "serang"}, {200}),
        ],
        "meetings-create": [("POST", "/api/v1/meetings", {"region_code": "36.73", "title": "Palsu", "held_on": "2025-01-01"}, DENY)],
        "meetings-get": [("GET", f"/api/v1/meetings/{m}", None, DENY)],
        "meetings-update": [("PATCH", f"/api/v1/meetings/{m}", {"minutes": "Hacked"}, DENY)],
        "meetings-delete": [("DELETE", f"/api/v1/meetings/{m}", None, DENY)],
        "meeting-attachments-list": [("GET", f"/api/v1/meetings/{m}/attachments", None, DENY)],
        "meeting-attachments-upload": [("POST", f"/api/v1/meetings/{m}/attachments", None, UPLOAD_DENY)],
        "meeting-attachments-download": [("GET", f"/api/v1/meetings/{m}/attachments/{a}", None, DENY)],
        "meeting-attachments-delete": [("DELETE", f"/api/v1/meetings/{m}/attachments/{a}", None, DENY)],
        "meeting-follow-ups-create": [("POST", f"/api/v1/meetings/{m}/follow-ups", {"action": "Intruder"}, DENY)],
        "meeting-follow-ups-update": [("PATCH", f"/api/v1/meetings/{m}/follow-ups/{f}", {"status": "done"}, DENY)],
        "meeting-follow-ups-delete": [("DELETE", f"/api/v1/meetings/{m}/follow-ups/{f}", None, DENY)],
        "follow-ups-list": [
            ("GET", "/api/v1/follow-ups", None, {200}),
            ("GET", "/api/v1/follow-ups", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/follow-ups", {"meeting_id": m, "overdue": "true"}, {200}),
        ],
        "competitions-list": [("GET", "/api/v1/competitions", None, {200}), ("GET", "/api/v1/competitions", {"region": "36.73"}, {403})],
        "competitions-create": [
            ("POST", "/api/v1/competitions", {"region_code": "36.73", "title": "Palsu", "year": 2025, "category": "x"}, DENY)
        ],
        "competitions-get": [("GET", f"/api/v1/competitions/{c}", None, DENY)],
        "competitions-update": [("PATCH", f"/api/v1/competitions/{c}", {"title": "Hacked"}, DENY)],
        "competitions-delete": [("DELETE", f"/api/v1/competitions/{c}", None, DENY)],
        "competition-entrants-add": [("POST", f"/api/v1/competitions/{c}/entrants", {"posyandu_id": p}, DENY)],
        "competition-entrants-remove": [("DELETE", f"/api/v1/competitions/{c}/entrants/{e}", None, DENY)],
        "competition-scores-set": [
            ("PUT", f"/api/v1/competitions/{c}/scores", {"scores": [{"entrant_id": e, "criterion": "Kelembagaan", "score": 100}]}, DENY)
        ],
        "competitions-ranking": [("GET", f"/api/v1/competitions/{c}/ranking", None, DENY)],
        "competitions-finalize": [("POST", f"/api/v1/competitions/{c}/finalize", {"prizes": []}, DENY)],
    }
