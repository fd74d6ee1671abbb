"""Posyandu, registration batches, pilot sites."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}
#: Multipart uploads sent as JSON by the isolation test: refused before or at the scope check.
UPLOAD_DENY = {403, 404, 422}

PDF = b"%PDF-1.4\n% demo evidence\n%%EOF\n"
DOC_TYPES = ["berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"]


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    h = admin.headers
    a = client.post(
        "/api/v1/posyandu",
        json={
            "region_code": "36.73.03.1014",
            "name": "Posyandu Isolasi A",
            "pengurus_count": 5,
            "kader_count": 12,
            "services": {"kesehatan": ["imunisasi"]},
        },
        headers=h,
    )
    b = client.post("/api/v1/posyandu", json={"region_code": "36.73.06.1012", "name": "Posyandu Isolasi B"}, headers=h)
    assert a.status_code == b.status_code == 201, (a.text, b.text)
    a_id, b_id = a.json()["id"], b.json()["id"]
    doc_id = None
    for t in DOC_TYPES:
        d = client.post(
            f"/api/v1/posyandu/{a_id}/documents", data={"doc_type": t}, files={"file": (f"{t}.pdf", PDF, "application/pdf")}, headers=h
        )
        assert d.status_code == 201, d.text
        doc_id = d.json()["id"]
    # registration follows the SK: Pipitan's SK TP Posyandu, issued and reported
    team = client.post("/api/v1/teams", json={"region_code": "36.73.03.1014"}, headers=h)
    assert team.status_code == 201, team.text
    sk = client.post(
        "/api/v1/decrees",
        json={
            "region_code": "36.73.03.1014",
            "subject": "team_formation",
            "title": "SK TP Posyandu Kelurahan Pipitan",
            "team_id": team.json()["id"],
        },
        headers=h,
    )
    assert sk.status_code == 201, sk.text
    for step in ("issue", "report"):
        r = client.post(f"/api/v1/decrees/{sk.json()['id']}/transitions", json={"action": step}, headers=h)
        assert r.status_code == 201, r.text
    for action in ("propose", "verify"):
        r = client.post(f"/api/v1/posyandu/{a_id}/registration/transitions", json={"action": action}, headers=h)
        assert r.status_code == 200, r.text
    batch = client.post(
        "/api/v1/registration-batches", json={"region_code": "36.73", "title": "Batch Serang", "posyandu_ids": [a_id]}, headers=h
    )
    pilot = client.post("/api/v1/pilot-sites", json={"posyandu_id": b_id, "start_date": "2025-01-01", "end_date": "2025-12-31"}, headers=h)
    assert batch.status_code == pilot.status_code == 201, (batch.text, pilot.text)
    return {
        "serang_posyandu_id": a_id,
        "serang_posyandu_b_id": b_id,
        "serang_document_id": doc_id,
        "serang_batch_id": batch.json()["id"],
        "serang_pilot_id": pilot.json()["id"],
    }


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    p, pb, d = ctx.get("serang_posyandu_id", 0), ctx.get("serang_posyandu_b_id", 0), ctx.get("serang_document_id", 0)
    b, s = ctx.get("serang_batch_id", 0), ctx.get("serang_pilot_id", 0)
    return {
        "posyandu-service-catalog": [("GET", "/api/v1/posyandu/service-catalog", None, {200})],
        "posyandu-list": [
            ("GET", "/api/v1/posyandu", None, {200}),
            ("GET", "/api/v1/posyandu", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/posyandu", {"q": "isolasi"}, {200}),
        ],
        "posyandu-create": [("POST", "/api/v1/posyandu", {"region_code": "36.73.03.1014", "name": "Intruder"}, DENY)],
        "posyandu-get": [("GET", f"/api/v1/posyandu/{p}", None, DENY)],
        "posyandu-update": [("PATCH", f"/api/v1/posyandu/{p}", {"name": "Hacked"}, DENY)],
        "posyandu-delete": [("DELETE", f"/api/v1/posyandu/{pb}", None, DENY)],
        "posyandu-registration-progress": [
            ("GET", "/api/v1/posyandu/registration-progress", None, {200}),
            ("GET", "/api/v1/posyandu/registration-progress", {"region": "36.73"}, {403}),
            ("GET", "/api/v1/posyandu/registration-progress", {"region": "36.73.03.1014"}, {403}),
        ],
        "posyandu-readiness": [("GET", f"/api/v1/posyandu/{p}/registration/readiness", None, DENY)],
        "posyandu-transition": [("POST", f"/api/v1/posyandu/{p}/registration/transitions", {"action": "reject", "reason": "x"}, DENY)],
        "posyandu-registration-events": [("GET", f"/api/v1/posyandu/{p}/registration/events", None, DENY)],
        "posyandu-documents-list": [("GET", f"/api/v1/posyandu/{p}/documents", None, DENY)],
        "posyandu-documents-create": [("POST", f"/api/v1/posyandu/{pb}/documents", {"doc_type": "sk_pengurus"}, UPLOAD_DENY)],
        "posyandu-documents-download": [("GET", f"/api/v1/posyandu/{p}/documents/{d}", None, DENY)],
        "posyandu-documents-delete": [("DELETE", f"/api/v1/posyandu/{p}/documents/{d}", None, DENY)],
        "registration-batches-list": [
            ("GET", "/api/v1/registration-batches", None, {200}),
            ("GET", "/api/v1/registration-batches", {"region": "36.73"}, {403}),
        ],
        "registration-batches-create": [
            ("POST", "/api/v1/registration-batches", {"region_code": "36.73", "title": "Intruder", "posyandu_ids": [p]}, DENY)
        ],
        "registration-batches-get": [("GET", f"/api/v1/registration-batches/{b}", None, DENY)],
        "registration-batches-update": [("PATCH", f"/api/v1/registration-batches/{b}", {"title": "Hacked"}, DENY)],
        "registration-batches-delete": [("DELETE", f"/api/v1/registration-batches/{b}", None, DENY)],
        "registration-batches-submit": [("POST", f"/api/v1/registration-batches/{b}/submit", None, DENY)],
        "registration-batches-issue-numbers": [
            ("POST", f"/api/v1/registration-batches/{b}/issue", {"numbers": [{"posyandu_id": p, "registration_number": "X-1"}]}, DENY)
        ],
        "registration-batches-export": [("GET", f"/api/v1/registration-batches/{b}/export", {"format": "csv"}, DENY)],
        "registration-batches-import-numbers": [("POST", f"/api/v1/registration-batches/{b}/numbers", None, UPLOAD_DENY)],
        "pilot-sites-list": [("GET", "/api/v1/pilot-sites", None, {200}), ("GET", "/api/v1/pilot-sites", {"region": "36.73"}, {403})],
        "pilot-sites-compare": [
            ("GET", "/api/v1/pilot-sites/comparison", None, {200}),
            ("GET", "/api/v1/pilot-sites/comparison", {"region": "36.73"}, {403}),
        ],
        "pilot-sites-create": [("POST", "/api/v1/pilot-sites", {"posyandu_id": pb, "start_date": "2026-01-01"}, {403, 404, 422})],
        "pilot-sites-get": [("GET", f"/api/v1/pilot-sites/{s}", None, DENY)],
        "pilot-sites-update": [("PATCH", f"/api/v1/pilot-sites/{s}", {"notes": "Hacked"}, DENY)],
        "pilot-sites-delete": [("DELETE", f"/api/v1/pilot-sites/{s}", None, DENY)],
    }
