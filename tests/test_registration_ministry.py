"""The national tier of registration: the ministry (Ditjen Bina Pemdes) issues Nomor Registrasi
Posyandu in Pembina; registration follows the village's SK TP Posyandu; a number carries its
posyandu's own region code where the configured format says so."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pembina.audit.models import AuditEvent
from pembina.config import get_settings
from pembina.kit.roles import Role
from tests.conftest import report_sk
from tests.test_registration_api import BATCHES, BENDAN_KERGON, DOC_TYPES, KLEGO, URL, act, csv_file, make, ready, send, upload

PROGRESS = f"{URL}/registration-progress"


@pytest.fixture
def ministry(accounts):
    return accounts.user(Role.ministry, None, username="bina-pemdes")


def report_sk_via_api(client, who, code):
    """The village records its TP Posyandu and the SK that forms it, issues and reports it."""
    team = client.post("/api/v1/teams", json={"region_code": code}, headers=who.headers)
    assert team.status_code == 201, team.text
    sk = client.post(
        "/api/v1/decrees",
        json={"region_code": code, "subject": "team_formation", "title": "SK TP Posyandu Kelurahan", "team_id": team.json()["id"]},
        headers=who.headers,
    )
    assert sk.status_code == 201, sk.text
    for step in ("issue", "report"):
        r = client.post(f"/api/v1/decrees/{sk.json()['id']}/transitions", json={"action": step}, headers=who.headers)
        assert r.status_code == 201, r.text


def submitted(client, pekalongan, n=2):
    """Verified posyandu of Klego (its SK reported beforehand), batched and submitted."""
    ids = []
    for i in range(n):
        pid = ready(client, pekalongan, name=f"Posyandu Klego {i}")
        assert act(client, pekalongan, pid, "propose").status_code == 200
        assert act(client, pekalongan, pid, "verify").status_code == 200
        ids.append(pid)
    b = client.post(BATCHES, json={"region_code": "33.75", "title": "Usulan I", "posyandu_ids": ids}, headers=pekalongan.headers)
    assert b.status_code == 201, b.text
    assert client.post(f"{BATCHES}/{b.json()['id']}/submit", headers=pekalongan.headers).status_code == 200
    return b.json()["id"], ids


# -- the ministry issues numbers ---------------------------------------------------------------


def test_village_proposes_city_verifies_batch_submitted_ministry_issues(client, db, accounts, pekalongan, ministry):
    village = accounts.user(Role.village_operator, KLEGO)
    report_sk_via_api(client, village, KLEGO)
    pid = ready(client, village, name="Posyandu Seruni")
    assert act(client, village, pid, "propose").status_code == 200
    assert act(client, village, pid, "verify").status_code == 403  # verified from the regency/city up
    assert act(client, pekalongan, pid, "verify").status_code == 200
    bid = client.post(BATCHES, json={"region_code": "33.75", "title": "Usulan Klego", "posyandu_ids": [pid]}, headers=pekalongan.headers)
    bid = bid.json()["id"]
    draft = client.get(f"{BATCHES}/{bid}", headers=ministry.headers).json()
    assert draft["allowed_actions"] == []  # a draft is not yet the ministry's
    assert client.post(f"{BATCHES}/{bid}/submit", headers=pekalongan.headers).status_code == 200
    coordinator_view = client.get(f"{BATCHES}/{bid}", headers=pekalongan.headers).json()
    assert "issue_numbers" not in coordinator_view["allowed_actions"]  # the coordinator imports the file instead

    listed = client.get(BATCHES, params={"status": "submitted"}, headers=ministry.headers).json()
    assert [b["id"] for b in listed["items"]] == [bid]
    assert listed["items"][0]["allowed_actions"] == ["issue_numbers"]
    got = client.get(f"{BATCHES}/{bid}", headers=ministry.headers)
    assert client.get(f"{URL}/{pid}", headers=ministry.headers).json()["allowed_actions"] == ["return", "register"]

    cursor = client.get("/api/v1/changes", params={"limit": 1000}, headers=ministry.headers).json()["next_cursor"]
    body = {"numbers": [{"posyandu_id": pid, "registration_number": "NRP-3375021008-0001"}]}
    stale = client.post(f"{BATCHES}/{bid}/issue", json=body, headers={**ministry.headers, "If-Match": '"999"'})
    assert stale.status_code == 412
    r = client.post(f"{BATCHES}/{bid}/issue", json=body, headers={**ministry.headers, "If-Match": got.headers["ETag"]})
    assert r.status_code == 200, r.text
    batch = r.json()
    assert batch["status"] == "completed" and batch["registered_count"] == 1 and batch["allowed_actions"] == []
    assert batch["members"][0]["registration_number"] == "NRP-3375021008-0001"
    assert r.headers["ETag"] != got.headers["ETag"]

    p = client.get(f"{URL}/{pid}", headers=village.headers).json()
    assert p["registration_status"] == "registered" and p["registration_number"] == "NRP-3375021008-0001" and p["registered_at"]
    events = client.get(f"{URL}/{pid}/registration/events", headers=village.headers).json()
    assert [e["action"] for e in events] == ["propose", "verify", "submit", "register"]
    assert events[-1]["actor"] == f"user:{ministry.id}" and events[-1]["registration_number"] == "NRP-3375021008-0001"
    summary = client.get("/api/v1/regions/33.75/summary", headers=pekalongan.headers).json()["posyandu"]["registration"]
    assert summary["registered"] == 1 and summary["in_pipeline"] == 0

    feed = client.get("/api/v1/changes", params={"cursor": cursor}, headers=pekalongan.headers).json()["items"]
    posyandu_changes = [c for c in feed if c["entity_type"] == "posyandu" and c["entity_id"] == str(pid)]
    assert posyandu_changes and posyandu_changes[-1]["data"]["registration_number"] == "NRP-3375021008-0001"
    audited = db.scalars(select(AuditEvent).where(AuditEvent.actor == f"user:{ministry.id}", AuditEvent.action == "update")).all()
    assert {e.entity_type for e in audited} >= {"posyandu", "registration_batches"}

    again = client.post(f"{BATCHES}/{bid}/issue", json=body, headers=ministry.headers)
    assert again.status_code == 409  # completed: nothing awaits a number


def test_ministry_issues_one_by_one_and_returns_with_a_reason(client, db, pekalongan, ministry):
    report_sk(db, KLEGO)
    bid, (a, b, c) = submitted(client, pekalongan, 3)
    assert act(client, ministry, a, "register", registration_number="NRP-A").status_code == 200
    assert act(client, ministry, b, "return").status_code == 422  # say why
    r = act(client, ministry, b, "return", reason="SK pengurus tidak terbaca")
    assert (
        r.status_code == 200 and r.json()["registration_status"] == "returned" and r.json()["status_reason"] == "SK pengurus tidak terbaca"
    )
    assert client.get(f"{BATCHES}/{bid}", headers=ministry.headers).json()["status"] == "submitted"  # c still awaits its number
    bulk = client.post(
        f"{BATCHES}/{bid}/issue", json={"numbers": [{"posyandu_id": c, "registration_number": "NRP-C"}]}, headers=ministry.headers
    )
    assert bulk.status_code == 200 and bulk.json()["status"] == "completed"
    # the village fixes and proposes again: the ministry cannot return what is not submitted to it
    assert act(client, ministry, b, "return", reason="x").status_code == 409
    assert act(client, pekalongan, b, "propose").status_code == 200
    assert act(client, ministry, b, "return", reason="x").status_code == 409


def test_issue_is_all_or_nothing_and_lists_every_error(client, db, pekalongan, ministry):
    report_sk(db, KLEGO)
    bid, (a, b) = submitted(client, pekalongan, 2)
    outsider = make(client, pekalongan, name="Belum diusulkan")
    r = client.post(
        f"{BATCHES}/{bid}/issue",
        json={
            "numbers": [
                {"posyandu_id": a, "registration_number": "NRP-1"},
                {"posyandu_id": b, "registration_number": "NRP-1"},
                {"posyandu_id": outsider, "registration_number": "NRP-2"},
            ]
        },
        headers=ministry.headers,
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "numbers", 1], ["body", "numbers", 2]]
    assert "given twice" in errors[0]["msg"] and "not in this batch" in errors[1]["msg"]
    assert {client.get(f"{URL}/{p}", headers=ministry.headers).json()["registration_status"] for p in (a, b)} == {"submitted"}
    assert client.post(f"{BATCHES}/{bid}/issue", json={"numbers": []}, headers=ministry.headers).status_code == 422


def test_ministry_reads_nationally_and_writes_nothing_else(client, db, accounts, pekalongan, ministry):
    report_sk(db, KLEGO)
    bid, (a, _) = submitted(client, pekalongan, 2)
    me = client.get("/api/v1/auth/me", headers=ministry.headers).json()
    assert me["role"] == "ministry" and me["region"] is None and me["can_write"] is False and me["allowed_actions"] == []
    for url in ("/api/v1/regions/36.73/summary", "/api/v1/posyandu", "/api/v1/decrees", "/api/v1/teams", f"{URL}/{a}/documents"):
        assert client.get(url, headers=ministry.headers).status_code == 200, url
    assert client.get(f"{BATCHES}/{bid}/export", params={"format": "csv"}, headers=ministry.headers).status_code == 200
    refused = [
        client.post(URL, json={"region_code": KLEGO, "name": "Baru"}, headers=ministry.headers),
        client.patch(f"{URL}/{a}", json={"notes": "x"}, headers={**ministry.headers, "If-Match": "*"}),
        act(client, ministry, a, "reject", reason="x"),
        client.post(f"{BATCHES}/{bid}/numbers", files={"file": ("n.csv", csv_file([[a, "NRP-9"]]), "text/csv")}, headers=ministry.headers),
        client.post(BATCHES, json={"region_code": "33.75", "title": "x"}, headers=ministry.headers),
        client.post("/api/v1/teams", json={"region_code": "33.75.02.1009"}, headers=ministry.headers),
        client.post("/api/v1/users", json={"username": "x-uji", "full_name": "X", "role": "viewer"}, headers=ministry.headers),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused), [r.text for r in refused]
    assert upload(client, ministry, a, DOC_TYPES[0]).status_code == 403


def test_only_a_national_admin_creates_ministry_accounts(client, accounts, admin):
    body = {"username": "bina-pemdes-2", "full_name": "Ditjen Bina Pemdes", "role": "ministry"}
    province = accounts.user(Role.province_coordinator, "33")
    assert client.post("/api/v1/users", json=body, headers=province.headers).status_code == 403
    bound = client.post("/api/v1/users", json={**body, "region_code": "33"}, headers=admin.headers)
    assert bound.status_code == 422 and bound.json()["errors"][0]["loc"] == ["body", "region_code"]
    created = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert created.status_code == 201 and created.json()["role"] == "ministry" and created.json()["region_code"] is None
    viewer = client.post("/api/v1/users", json={**body, "username": "pengamat-nasional", "role": "viewer"}, headers=admin.headers)
    changed = client.patch(f"/api/v1/users/{viewer.json()['id']}", json={"role": "ministry"}, headers={**province.headers, "If-Match": "*"})
    assert changed.status_code in (403, 404)


# -- registration follows the SK ----------------------------------------------------------------


def test_propose_is_refused_until_the_village_sk_is_reported(client, accounts, pekalongan):
    village = accounts.user(Role.village_operator, KLEGO)
    pid = ready(client, village)
    readiness = client.get(f"{URL}/{pid}/registration/readiness", headers=village.headers).json()
    assert readiness["ready"] is False and readiness["sk_required"] is True and readiness["sk_reported"] is False
    assert [g["code"] for g in readiness["missing"]] == ["sk_not_reported"]

    refused = act(client, village, pid, "propose")
    assert refused.status_code == 422
    assert "SK TP Posyandu" in refused.json()["detail"] and KLEGO in refused.json()["detail"] and "not reported" in refused.json()["detail"]
    assert refused.json()["errors"][0]["loc"] == ["readiness", "sk_not_reported"]
    assert client.get(f"{URL}/{pid}", headers=village.headers).json()["registration_status"] == "unregistered"

    report_sk_via_api(client, village, KLEGO)
    assert client.get(f"{URL}/{pid}/registration/readiness", headers=village.headers).json()["sk_reported"] is True
    assert act(client, village, pid, "propose").status_code == 200


def test_an_issued_but_unreported_sk_or_a_legacy_pokja_does_not_open_registration(client, accounts):
    village = accounts.user(Role.village_operator, KLEGO)
    pokja = client.post("/api/v1/teams", json={"region_code": KLEGO, "kind": "pokja_posyandu"}, headers=village.headers).json()
    sk = client.post(
        "/api/v1/decrees",
        json={"region_code": KLEGO, "subject": "team_formation", "title": "SK Pokja Posyandu", "team_id": pokja["id"]},
        headers=village.headers,
    ).json()
    for step in ("issue", "report"):
        assert client.post(f"/api/v1/decrees/{sk['id']}/transitions", json={"action": step}, headers=village.headers).status_code == 201
    pid = ready(client, village)
    assert act(client, village, pid, "propose").status_code == 422  # a Pokja's SK is not an SK TP Posyandu


def test_the_sk_gate_can_be_turned_off(client, accounts, monkeypatch):
    monkeypatch.setattr(get_settings(), "registration_requires_sk", False)
    village = accounts.user(Role.village_operator, KLEGO)
    pid = ready(client, village)
    readiness = client.get(f"{URL}/{pid}/registration/readiness", headers=village.headers).json()
    assert readiness["ready"] is True and readiness["sk_required"] is False and readiness["sk_reported"] is False
    assert act(client, village, pid, "propose").status_code == 200
    progress = client.get(PROGRESS, params={"region": "33.75"}, headers=village.headers)
    assert progress.status_code == 403  # a village operator sees its own village only
    progress = client.get(PROGRESS, headers=village.headers).json()
    assert progress["sk_required"] is False and progress["region_code"] == KLEGO


def test_the_registry_counts_posyandu_blocked_by_sk(client, db, pekalongan, serang):
    report_sk(db, BENDAN_KERGON)
    make(client, pekalongan, name="Klego 1")
    make(client, pekalongan, name="Klego 2")
    make(client, pekalongan, region=BENDAN_KERGON, name="Bendan Kergon")
    proposed = ready(client, pekalongan, region=BENDAN_KERGON, name="Bendan Kergon siap")
    assert act(client, pekalongan, proposed, "propose").status_code == 200

    p = client.get(PROGRESS, params={"region": "33.75"}, headers=pekalongan.headers).json()
    assert p["region_code"] == "33.75" and p["sk_required"] is True
    assert p["awaiting_proposal"] == 3 and p["blocked_by_sk"] == 2
    assert p["registration"]["by_status"]["unregistered"] == 3 and p["registration"]["in_pipeline"] == 1
    assert client.get(PROGRESS, params={"region": "33.75.01"}, headers=pekalongan.headers).json()["blocked_by_sk"] == 0
    assert client.get(PROGRESS, params={"region": "36.73"}, headers=pekalongan.headers).status_code == 403
    assert client.get(PROGRESS, params={"region": "33.75.99"}, headers=pekalongan.headers).status_code == 404
    assert client.get(PROGRESS, params={"region": "x"}, headers=pekalongan.headers).status_code == 422
    assert client.get(PROGRESS, headers=serang.headers).json()["awaiting_proposal"] == 0

    report_sk(db, KLEGO)
    p = client.get(PROGRESS, params={"region": "33.75"}, headers=pekalongan.headers).json()
    assert p["awaiting_proposal"] == 3 and p["blocked_by_sk"] == 0


# -- the number carries the posyandu's region code ---------------------------------------------------------


@pytest.fixture
def region_format(monkeypatch):
    monkeypatch.setattr(get_settings(), "registration_number_pattern", r"NRP-{region_digits}-\d{4}")


def test_issued_numbers_carry_the_posyandus_region_code(client, db, pekalongan, ministry, region_format):
    report_sk(db, KLEGO)
    bid, (a, b) = submitted(client, pekalongan, 2)
    wrong = client.post(
        f"{BATCHES}/{bid}/issue",
        json={
            "numbers": [
                {"posyandu_id": a, "registration_number": "NRP-3375011006-0001"},
                {"posyandu_id": b, "registration_number": "NRP-3375021008-0002"},
            ]
        },
        headers=ministry.headers,
    )
    assert wrong.status_code == 422
    [error] = wrong.json()["errors"]
    assert error["loc"] == ["body", "numbers", 0]
    assert f"Posyandu {a} (Posyandu Klego 0)" in error["msg"] and "3375021008" in error["msg"]
    one = act(client, ministry, a, "register", registration_number="NRP-3375011006-0001")
    assert one.status_code == 422 and f"Posyandu {a}" in one.json()["detail"] and "3375021008" in one.json()["detail"]
    ok = client.post(
        f"{BATCHES}/{bid}/issue",
        json={
            "numbers": [
                {"posyandu_id": a, "registration_number": "NRP-3375021008-0001"},
                {"posyandu_id": b, "registration_number": "NRP-3375021008-0002"},
            ]
        },
        headers=ministry.headers,
    )
    assert ok.status_code == 200 and ok.json()["registered_count"] == 2


def test_imported_numbers_carry_the_posyandus_region_code(client, db, pekalongan, monkeypatch):
    monkeypatch.setattr(get_settings(), "registration_number_pattern", r"{region}\.\d{4}")
    report_sk(db, KLEGO)
    bid, (a, b) = submitted(client, pekalongan, 2)
    r = send(client, pekalongan, bid, csv_file([[a, "33.75.01.1006.0001"], [b, "33.75.02.1008.0002"]]))
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["loc"] == ["file", 2] and f"Posyandu {a}" in error["msg"] and "33.75.02.1008" in error["msg"]
    ok = send(client, pekalongan, bid, csv_file([[a, "33.75.02.1008.0001"], [b, "33.75.02.1008.0002"]]))
    assert ok.status_code == 200 and ok.json()["registered"] == 2


def test_without_a_format_numbers_are_stored_as_given(client, db, pekalongan, ministry):
    assert get_settings().registration_number_pattern == ""  # the seeds do not say what the numbers look like
    report_sk(db, KLEGO)
    bid, (a, _) = submitted(client, pekalongan, 2)
    r = client.post(
        f"{BATCHES}/{bid}/issue", json={"numbers": [{"posyandu_id": a, "registration_number": "0042/BPD/2026"}]}, headers=ministry.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["registered_count"] == 1
