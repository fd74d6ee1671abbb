"""Decrees: lifecycle by role, invalid transitions, the PDF checks, If-Match, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from pembina.kit import clock
from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
KLEGO = "33.75.02.1008"


def _decree(client, who, region=KLEGO, **extra):
    body = {"region_code": region, "title": f"SK TP Posyandu {region}", **extra}
    r = client.post(f"{API}/decrees", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _act(client, who, decree_id, action, **extra):
    return client.post(f"{API}/decrees/{decree_id}/transitions", json={"action": action, **extra}, headers=who.headers)


@pytest.fixture
def klego_op(accounts):
    return accounts.user(Role.village_operator, KLEGO)


@pytest.fixture
def district_op(accounts):
    return accounts.user(Role.district_operator, "33.75.02")


def test_full_lifecycle_by_role_with_history(client, klego_op, district_op, pekalongan, admin):
    team = client.post(f"{API}/teams", json={"region_code": KLEGO}, headers=klego_op.headers).json()
    d = _decree(client, klego_op, team_id=team["id"], number="400/12/2025", decree_date="2025-03-10", signer="Lurah Klego")
    assert d["status"] == "draft" and d["team_id"] == team["id"] and d["file"] is None
    # the village's own operator issues and reports
    r = _act(client, klego_op, d["id"], "issue")
    assert r.status_code == 201, r.text
    assert r.json()["from_status"] == "draft" and r.json()["to_status"] == "issued" and r.json()["effective_date"] == "2025-03-10"
    assert r.headers["ETag"] == '"2"'
    assert _act(client, klego_op, d["id"], "report", effective_date="2025-03-12").status_code == 201
    # the village operator and the district operator cannot verify
    for who in (klego_op, district_op):
        r = _act(client, who, d["id"], "verify")
        assert r.status_code == 403 and r.json()["type"] == "/problems/forbidden"
    # the city coordinator returns with a reason (mandatory)
    no_reason = _act(client, pekalongan, d["id"], "return")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    assert _act(client, pekalongan, d["id"], "return", reason="Lampiran susunan anggota belum ada").status_code == 201
    assert client.get(f"{API}/decrees/{d['id']}", headers=klego_op.headers).json()["status"] == "issued"
    assert _act(client, klego_op, d["id"], "report").status_code == 201
    assert _act(client, pekalongan, d["id"], "verify").status_code == 201
    assert client.get(f"{API}/decrees/{d['id']}", headers=klego_op.headers).json()["status"] == "verified"
    # revoking a verified decree needs a verifier and a reason
    assert _act(client, klego_op, d["id"], "revoke", reason="diganti").status_code == 403
    assert _act(client, admin, d["id"], "revoke").status_code == 422
    assert _act(client, admin, d["id"], "revoke", reason="Diganti SK baru").status_code == 201

    history = client.get(f"{API}/decrees/{d['id']}/transitions", headers=klego_op.headers).json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("issue", "draft", "issued"),
        ("report", "issued", "reported"),
        ("return", "reported", "issued"),
        ("report", "issued", "reported"),
        ("verify", "reported", "verified"),
        ("revoke", "verified", "revoked"),
    ]
    assert history[0]["actor"] == f"user:{klego_op.id}" and history[2]["reason"] == "Lampiran susunan anggota belum ada"
    assert history[4]["actor"] == f"user:{pekalongan.id}" and history[4]["occurred_at"]
    events = client.get(f"{API}/audit-events", params={"entity_type": "decree_transitions", "limit": 50}, headers=pekalongan.headers).json()
    assert events["total"] == 6


def test_district_operator_and_coordinators_above_issue_and_report(client, district_op, pekalongan):
    d1 = _decree(client, district_op)
    assert _act(client, district_op, d1["id"], "issue").status_code == 201
    assert _act(client, district_op, d1["id"], "report").status_code == 201
    d2 = _decree(client, pekalongan, region="33.75.01.1002")
    assert _act(client, pekalongan, d2["id"], "issue").status_code == 201
    # a district operator elsewhere never sees it
    assert _act(client, district_op, d2["id"], "report").status_code == 404


def test_own_level_never_verifies(client, accounts, pekalongan, admin):
    """A city decree is verified by the province (or nation), not by the city coordinator."""
    d = _decree(client, pekalongan, region="33.75")
    _act(client, pekalongan, d["id"], "issue")
    _act(client, pekalongan, d["id"], "report")
    assert _act(client, pekalongan, d["id"], "verify").status_code == 403
    jateng = accounts.user(Role.province_coordinator, "33")
    assert _act(client, jateng, d["id"], "verify").status_code == 201


def test_api_clients_and_viewers(client, accounts):
    rw = accounts.client("33.75", ClientScope.read_write)
    ro = accounts.client("33.75", ClientScope.read)
    viewer = accounts.user(Role.viewer, "33.75")
    d = _decree(client, rw)
    assert _act(client, ro, d["id"], "issue").status_code == 403
    assert _act(client, viewer, d["id"], "issue").status_code == 403
    assert _act(client, rw, d["id"], "issue").status_code == 201
    assert _act(client, rw, d["id"], "report").status_code == 201
    assert _act(client, rw, d["id"], "verify").status_code == 403


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "report"),
        ([], "verify"),
        ([], "return"),
        ([], "revoke"),
        (["issue"], "issue"),
        (["issue"], "verify"),
        (["issue"], "return"),
        (["issue", "report"], "issue"),
        (["issue", "report"], "report"),
        (["issue", "report", "verify"], "verify"),
        (["issue", "report", "verify"], "report"),
        (["issue", "revoke"], "issue"),
        (["issue", "revoke"], "revoke"),
        (["issue", "revoke"], "report"),
    ],
)
def test_invalid_transitions_are_409(client, admin, steps, action):
    d = _decree(client, admin)
    for s in steps:
        assert _act(client, admin, d["id"], s, reason="alasan").status_code == 201
    before = client.get(f"{API}/decrees/{d['id']}", headers=admin.headers).json()
    r = _act(client, admin, d["id"], action, reason="alasan")
    assert r.status_code == 409, r.text
    assert r.json()["type"] == "/problems/invalid-transition" and r.json()["current_status"] == before["status"]
    assert client.get(f"{API}/decrees/{d['id']}", headers=admin.headers).json() == before


def test_transition_input_checks(client, admin):
    d = _decree(client, admin)
    url = f"{API}/decrees/{d['id']}/transitions"
    future = (clock.today() + timedelta(days=3)).isoformat()
    assert client.post(url, json={"action": "publish"}, headers=admin.headers).status_code == 422
    assert client.post(url, json={"action": "issue", "effective_date": future}, headers=admin.headers).status_code == 422
    assert client.post(url, json={"action": "issue", "effective_date": "2025-05-01"}, headers=admin.headers).status_code == 201
    r = client.post(url, json={"action": "report", "effective_date": "2025-04-01"}, headers=admin.headers)
    assert r.status_code == 422 and "previous step" in r.json()["detail"]
    assert client.post(url, json={"action": "report"}, headers={**admin.headers, "If-Match": '"1"'}).status_code == 412
    assert client.post(url, json={"action": "report"}, headers={**admin.headers, "If-Match": '"2"'}).status_code == 201
    assert client.post(f"{API}/decrees/999999/transitions", json={"action": "issue"}, headers=admin.headers).status_code == 404


def test_edit_rules_if_match_and_delete(client, pekalongan):
    team = client.post(f"{API}/teams", json={"region_code": KLEGO}, headers=pekalongan.headers).json()
    other = client.post(f"{API}/teams", json={"region_code": "33.75.02.1009"}, headers=pekalongan.headers).json()
    d = _decree(client, pekalongan)
    url = f"{API}/decrees/{d['id']}"
    assert client.patch(url, json={"number": "1"}, headers=pekalongan.headers).status_code == 428
    r = client.patch(url, json={"team_id": other["id"]}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "team_id"]
    r = client.patch(url, json={"team_id": team["id"], "number": "12/2025"}, headers={**pekalongan.headers, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    assert client.patch(url, json={"number": "13/2025"}, headers={**pekalongan.headers, "If-Match": '"1"'}).status_code == 412
    assert client.patch(url, json={"region_code": "36.73"}, headers={**pekalongan.headers, "If-Match": '"2"'}).status_code in (403, 422)
    _act(client, pekalongan, d["id"], "issue")
    etag = client.get(url, headers=pekalongan.headers).headers["ETag"]
    frozen = client.patch(url, json={"number": "99"}, headers={**pekalongan.headers, "If-Match": etag})
    assert frozen.status_code == 409
    ok = client.patch(url, json={"notes": "Asli di arsip kelurahan"}, headers={**pekalongan.headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.json()["notes"] == "Asli di arsip kelurahan"
    events = client.get(
        f"{API}/audit-events", params={"entity_type": "decrees", "entity_id": str(d["id"]), "action": "update"}, headers=pekalongan.headers
    ).json()["items"]
    last = max(events, key=lambda e: e["id"])
    assert last["actor"] == f"user:{pekalongan.id}" and last["region_code"] == KLEGO and last["occurred_at"]
    assert last["before"]["notes"] is None and last["after"]["notes"] == "Asli di arsip kelurahan"
    assert any(e["before"]["status"] == "draft" and e["after"]["status"] == "issued" for e in events)
    assert client.delete(url, headers=pekalongan.headers).status_code == 409
    draft = _decree(client, pekalongan, subject="pkk_roster")
    assert client.delete(f"{API}/decrees/{draft['id']}", headers=pekalongan.headers).status_code == 204
    assert client.get(f"{API}/decrees/{draft['id']}", headers=pekalongan.headers).status_code == 404


def test_list_filters(client, pekalongan, serang):
    a = _decree(client, pekalongan, number="A-1")
    _decree(client, pekalongan, region="33.75.01.1002", subject="posyandu_formation")
    _act(client, pekalongan, a["id"], "issue")
    _decree(client, serang, region="36.73", title="Keputusan Wali Kota Serang No. 274 Tahun 2024")
    h = pekalongan.headers
    assert client.get(f"{API}/decrees", headers=h).json()["total"] == 2
    assert client.get(f"{API}/decrees", params={"region": "33.75.02"}, headers=h).json()["total"] == 1
    assert client.get(f"{API}/decrees", params={"status": "issued"}, headers=h).json()["items"][0]["id"] == a["id"]
    assert client.get(f"{API}/decrees", params={"subject": "posyandu_formation"}, headers=h).json()["total"] == 1
    assert client.get(f"{API}/decrees", params={"q": "a-1"}, headers=h).json()["total"] == 1
    assert client.get(f"{API}/decrees", params={"level": "village", "sort": "-created_at"}, headers=h).json()["total"] == 2
    assert client.get(f"{API}/decrees", params={"region": "36.73"}, headers=h).status_code == 403
    assert client.get(f"{API}/decrees", params={"status": "lost"}, headers=h).status_code == 422
    assert client.get(f"{API}/decrees", headers=serang.headers).json()["total"] == 1


# -- the PDF ---------------------------------------------------------------------


def test_pdf_upload_and_download(client, connection, klego_op, serang):
    d = _decree(client, klego_op)
    url = f"{API}/decrees/{d['id']}/file"
    assert client.get(url, headers=klego_op.headers).status_code == 404
    r = client.put(url, files={"file": ("sk klego.pdf", PDF, "application/pdf")}, headers=klego_op.headers)
    assert r.status_code == 200, r.text
    info = r.json()["file"]
    assert info["name"] == "sk klego.pdf" and info["size"] == len(PDF) and len(info["sha256"]) == 64
    got = client.get(url, headers=klego_op.headers)
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"]
    # replaced, and never visible outside the region
    r = client.put(url, files={"file": ("v2.pdf", PDF + b"\n", "application/pdf")}, headers=klego_op.headers)
    assert r.status_code == 200 and r.json()["file"]["size"] == len(PDF) + 1
    assert client.get(url, headers=serang.headers).status_code == 404
    # the list does not carry the bytes, nor does its query touch them
    statements: list[str] = []
    spy = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(connection, "before_cursor_execute", spy)
    try:
        listed = client.get(f"{API}/decrees", headers=klego_op.headers).json()["items"][0]
        client.get(f"{API}/decrees/{d['id']}", headers=klego_op.headers)
    finally:
        event.remove(connection, "before_cursor_execute", spy)
    assert listed["file"]["name"] == "v2.pdf" and "%PDF" not in str(listed)
    assert any("FROM decrees" in s for s in statements) and not any("decree_files" in s for s in statements)


def test_fake_pdf_and_missing_file_are_refused(client, klego_op):
    d = _decree(client, klego_op)
    url = f"{API}/decrees/{d['id']}/file"
    for content in (
        b"MZ\x90\x00 this is an exe renamed to .pdf",
        b"",
        b"%PDF-1.7 but truncated, no trailer",
        b"<html>%PDF-1.4</html>%%EOF",
    ):
        r = client.put(url, files={"file": ("sk.pdf", content, "application/pdf")}, headers=klego_op.headers)
        assert r.status_code == 415, (content, r.text)
        assert r.json()["type"] == "/problems/unsupported-media-type"
    r = client.put(url, headers=klego_op.headers)
    assert r.status_code == 422
    r = client.put(url, json={"file": "x"}, headers=klego_op.headers)
    assert r.status_code == 422
    assert client.get(f"{API}/decrees/{d['id']}", headers=klego_op.headers).json()["file"] is None


def test_oversize_file_is_413(client, klego_op, monkeypatch):
    monkeypatch.setattr(get_settings(), "decree_file_max_bytes", 2048)
    d = _decree(client, klego_op)
    url = f"{API}/decrees/{d['id']}/file"
    big = PDF[:-6] + b"0" * 4096 + b"%%EOF\n"
    r = client.put(url, files={"file": ("big.pdf", big, "application/pdf")}, headers=klego_op.headers)
    assert r.status_code == 413 and r.json()["type"] == "/problems/payload-too-large" and r.json()["max_bytes"] == 2048
    assert client.put(url, files={"file": ("ok.pdf", PDF, "application/pdf")}, headers=klego_op.headers).status_code == 200


def test_default_limit_is_10_mib():
    from pembina.config import Settings

    assert Settings(jwt_secret="x").decree_file_max_bytes == 10 * 1024 * 1024


def test_no_replacing_the_scan_of_a_verified_decree(client, klego_op, pekalongan):
    d = _decree(client, klego_op)
    for who, action in ((klego_op, "issue"), (klego_op, "report"), (pekalongan, "verify")):
        assert _act(client, who, d["id"], action).status_code == 201
    r = client.put(f"{API}/decrees/{d['id']}/file", files={"file": ("sk.pdf", PDF, "application/pdf")}, headers=klego_op.headers)
    assert r.status_code == 409


def test_huge_body_is_refused_before_it_is_stored(client, klego_op, monkeypatch):
    monkeypatch.setattr(get_settings(), "decree_file_max_bytes", 2048)
    d = _decree(client, klego_op)
    url = f"{API}/decrees/{d['id']}/file"
    huge = PDF[:-6] + b"0" * (200 * 1024) + b"%%EOF\n"
    r = client.put(url, files={"file": ("huge.pdf", huge, "application/pdf")}, headers=klego_op.headers)
    assert r.status_code == 413 and r.json()["max_bytes"] == 2048
    # authentication still comes before the route's own check (a body past the cap plus its
    # framing is refused before authentication, by the body limit: tests/security/test_body_limits.py)
    big = PDF[:-6] + b"0" * (10 * 1024) + b"%%EOF\n"
    assert client.put(url, files={"file": ("big.pdf", big, "application/pdf")}).status_code == 401
    bad = client.put(url, content=b"--x\r\nnot really multipart", headers={**klego_op.headers, "Content-Type": "multipart/form-data"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert client.get(f"{API}/decrees/{d['id']}", headers=klego_op.headers).json()["file"] is None
