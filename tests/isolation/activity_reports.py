"""Monthly activity reports: records, transitions, the board, trend, service totals and missing posyandu."""

from __future__ import annotations

from typing import Any

DENY = {403, 404}
#: The smallest PNG there is (one pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f"
    "0000000049454e44ae426082"
)


def arrange(client: Any, admin: Any) -> dict[str, Any]:
    from pembina.activity_reports import fields

    h = admin.headers
    p = client.post("/api/v1/posyandu", json={"region_code": "36.73.03.1014", "name": "Posyandu Laporan Serang"}, headers=h)
    assert p.status_code == 201, p.text
    pid = p.json()["id"]
    period = fields.last_period()
    body = {"posyandu_id": pid, "period": period, "days_open": 2, "counts": {"kesehatan": {"imunisasi": 3}}}
    r = client.post("/api/v1/activity-reports", json=body, headers=h)
    draft = client.post("/api/v1/activity-reports", json={"posyandu_id": pid, "period": fields.shift(period, -1)}, headers=h)
    assert r.status_code == draft.status_code == 201, (r.text, draft.text)
    rid = r.json()["id"]
    submitted = client.post(f"/api/v1/activity-reports/{rid}/transitions", json={"action": "submit"}, headers=h)
    assert submitted.status_code == 200, submitted.text
    did = draft.json()["id"]
    photo = client.post(f"/api/v1/activity-reports/{did}/photos", files={"file": ("kegiatan.png", PNG, "image/png")}, headers=h)
    assert photo.status_code == 201, photo.text
    return {
        "serang_report_posyandu_id": pid,
        "serang_report_id": rid,
        "serang_report_draft_id": did,
        "serang_report_photo_id": photo.json()["id"],
    }


def cases(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, dict[str, Any] | None, set[int]]]]:
    p, r, d, f = (
        ctx.get(k, 0) for k in ("serang_report_posyandu_id", "serang_report_id", "serang_report_draft_id", "serang_report_photo_id")
    )
    base = "/api/v1/activity-reports"
    return {
        "activity-reports-list": [
            ("GET", base, None, {200}),
            ("GET", base, {"region": "36.73"}, {403}),
            ("GET", base, {"posyandu_id": p}, {200}),
        ],
        "activity-reports-fields": [("GET", f"{base}/fields", None, {200})],
        "activity-reports-board": [("GET", f"{base}/board", None, {200}), ("GET", f"{base}/board", {"region": "36.73"}, {403})],
        "activity-reports-trend": [("GET", f"{base}/trend", None, {200}), ("GET", f"{base}/trend", {"region": "36.73.03.1014"}, {403})],
        "activity-reports-services": [("GET", f"{base}/services", None, {200}), ("GET", f"{base}/services", {"region": "36"}, {403})],
        "activity-reports-missing": [("GET", f"{base}/missing", None, {200}), ("GET", f"{base}/missing", {"region": "36.73"}, {403})],
        "activity-reports-create": [("POST", base, {"posyandu_id": p, "period": "2026-01"}, DENY)],
        "activity-reports-get": [("GET", f"{base}/{r}", None, DENY), ("GET", f"{base}/{d}", None, DENY)],
        "activity-reports-update": [("PATCH", f"{base}/{d}", {"days_open": 9}, DENY)],
        "activity-reports-delete": [("DELETE", f"{base}/{d}", None, DENY)],
        "activity-report-photos-list": [("GET", f"{base}/{d}/photos", None, DENY), ("GET", f"{base}/{r}/photos", None, DENY)],
        "activity-report-photos-upload": [("POST", f"{base}/{d}/photos", None, DENY)],
        "activity-report-photos-download": [("GET", f"{base}/{d}/photos/{f}", None, DENY)],
        "activity-report-photos-delete": [("DELETE", f"{base}/{d}/photos/{f}", None, DENY)],
        "activity-reports-transition": [
            ("POST", f"{base}/{r}/transitions", {"action": "accept"}, DENY),
            ("POST", f"{base}/{r}/transitions", {"action": "return", "reason": "x"}, DENY),
            ("POST", f"{base}/{d}/transitions", {"action": "submit"}, DENY),
        ],
    }
