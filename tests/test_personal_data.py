"""Issue 23: least privilege for integrators, and personal data minimised, kept no longer than
needed, exportable and erasable (UU 27/2022)."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import inspect, select, text

from pembina.kit.roles import Role
from pembina.kit.scopes import DOMAIN_READ, DOMAIN_WRITE, Scope

SECRET = "s3cret-client-secret"
PERSONAL = {Scope.accounts_read, Scope.audit_read, Scope.personal_data_read}


def _member(client, admin, region="33.75.02.1008", name="Siti Rahmawati Uji", phone="0812-3456-7890"):
    team = client.post("/api/v1/teams", json={"region_code": region}, headers=admin.headers)
    assert team.status_code == 201, team.text
    member = client.post(
        f"/api/v1/teams/{team.json()['id']}/members", json={"position": "ketua", "name": name, "phone": phone}, headers=admin.headers
    )
    assert member.status_code == 201, member.text
    return team.json()["id"], member.json()


def test_a_domain_read_client_reads_the_domain_not_accounts_or_the_audit_trail(client, accounts):
    integrator = accounts.client("33.75")  # the old `read`: the domain read scopes
    assert client.get("/api/v1/posyandu", headers=integrator.headers).status_code == 200
    for path, scope in (
        ("/api/v1/users", "accounts:read"),
        ("/api/v1/api-clients", "accounts:read"),
        ("/api/v1/audit-events", "audit:read"),
    ):
        r = client.get(path, headers=integrator.headers)
        assert r.status_code == 403, path
        body = r.json()
        assert body["type"] == "/problems/insufficient-scope" and body["scope"] == scope and scope in body["detail"]
        assert f'scope="{scope}"' in r.headers["WWW-Authenticate"]
    # the exports of those lists too
    assert client.get("/api/v1/exports/users", headers=integrator.headers).status_code == 403
    # and the contacts of a late region are personal data
    assert client.get("/api/v1/regions/33.75/contacts", headers=integrator.headers).json()["scope"] == "personal-data:read"


def test_a_write_needs_the_family_write_scope(client, accounts):
    reader = accounts.client("33.75", scopes=[Scope.posyandu_read, Scope.posyandu_write, Scope.regions_read])
    r = client.post("/api/v1/teams", json={"region_code": "33.75.02.1008"}, headers=reader.headers)
    assert r.status_code == 403 and r.json()["scope"] == "teams:write"
    r = client.get("/api/v1/teams", headers=reader.headers)
    assert r.status_code == 403 and r.json()["scope"] == "teams:read"


def test_personal_fields_masked_without_the_grant_and_shown_with_it(client, admin, accounts):
    team_id, member = _member(client, admin)
    plain = accounts.client("33.75")
    granted = accounts.client("33.75", scopes=DOMAIN_READ | PERSONAL)
    hidden = client.get(f"/api/v1/teams/{team_id}/members", headers=plain.headers).json()[0]
    assert hidden["name"] == "***" and hidden["phone"] is None and hidden["position"] == "ketua"
    one = client.get(f"/api/v1/teams/{team_id}/members/{member['id']}", headers=plain.headers).json()
    assert one["name"] == "***"
    shown = client.get(f"/api/v1/teams/{team_id}/members", headers=granted.headers).json()[0]
    assert shown["name"] == "Siti Rahmawati Uji" and shown["phone"] == "+6281234567890"
    # exports are built from the same reads
    csv = client.get(f"/api/v1/exports/teams/{team_id}/members", params={"format": "csv"}, headers=plain.headers)
    assert csv.status_code == 200 and "Siti Rahmawati Uji" not in csv.text and "6281234567890" not in csv.text
    # a person's role decides for people: the city coordinator sees the names
    coordinator = accounts.user(Role.regency_coordinator, "33.75")
    assert client.get(f"/api/v1/teams/{team_id}/members", headers=coordinator.headers).json()[0]["name"] == "Siti Rahmawati Uji"


def test_the_feed_shows_no_accounts_and_no_personal_fields_without_the_grants(client, admin, accounts):
    client.post(
        "/api/v1/users",
        json={
            "username": "op-feed",
            "full_name": "Operator Feed",
            "email": "op@example.id",
            "role": "village_operator",
            "region_code": "33.75.02.1008",
        },
        headers=admin.headers,
    )
    _member(client, admin, name="Budi Feed Uji")

    def feed(headers):
        items, cursor = [], None
        while True:
            page = client.get("/api/v1/changes", params={"limit": 500, **({"cursor": cursor} if cursor else {})}, headers=headers).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return items

    plain = feed(accounts.client("33.75").headers)
    assert not [c for c in plain if c["entity_type"] in ("users", "api_clients")]
    members = [c for c in plain if c["entity_type"] == "team_members"]
    assert members and all(c["data"]["name"] == "***" for c in members if c["data"])
    text_of = repr(plain)
    assert "Budi Feed Uji" not in text_of and "op@example.id" not in text_of and "Operator Feed" not in text_of

    full = feed(accounts.client("33.75", scopes=DOMAIN_READ | PERSONAL).headers)
    assert any(c["entity_type"] == "users" and c["data"] and c["data"]["email"] == "op@example.id" for c in full)
    assert any(c["entity_type"] == "team_members" and c["data"] and c["data"]["name"] == "Budi Feed Uji" for c in full)


def test_a_token_carries_what_it_asks_for_within_the_grant(client, accounts):
    integrator = accounts.client("33.75", scopes=[Scope.posyandu_read, Scope.teams_read])
    auth = {"Authorization": "Basic " + base64.b64encode(f"{integrator.username}:{SECRET}".encode()).decode()}
    tok = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "scope": "posyandu:read"}, headers=auth)
    assert tok.status_code == 200, tok.text
    assert tok.json()["scope"] == "posyandu:read"
    headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    assert client.get("/api/v1/posyandu", headers=headers).status_code == 200
    assert client.get("/api/v1/teams", headers=headers).json()["scope"] == "teams:read"  # granted, but not asked for
    me = client.get("/api/v1/auth/me", headers=headers).json()
    assert me["scopes"] == ["posyandu:read"]
    # all that was granted when none is asked for
    assert (
        client.post("/api/v1/auth/token", data={"grant_type": "client_credentials"}, headers=auth).json()["scope"]
        == "teams:read posyandu:read"
    )
    # beyond the grant, or unknown: invalid_scope, no token
    for asked in ("posyandu:read accounts:read", "everything"):
        r = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "scope": asked}, headers=auth)
        assert r.status_code == 400 and r.json()["type"] == "/problems/invalid-scope" and r.json()["error"] == "invalid_scope"
        assert "access_token" not in r.json()


def test_new_clients_get_the_domain_reads_and_sensitive_scopes_only_when_granted(client, admin, accounts):
    created = client.post("/api/v1/api-clients", json={"name": "Portal", "region_code": "33.75"}, headers=admin.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body["scopes"]) == {s.value for s in DOMAIN_READ} and body["scope"] == "read"
    legacy = client.post(
        "/api/v1/api-clients", json={"name": "Old", "region_code": "33.75", "scope": "read_write"}, headers=admin.headers
    ).json()
    assert set(legacy["scopes"]) == {s.value for s in DOMAIN_READ | DOMAIN_WRITE} and not PERSONAL & set(legacy["scopes"])
    both = client.post("/api/v1/api-clients", json={"name": "X", "scope": "read", "scopes": ["posyandu:read"]}, headers=admin.headers)
    assert both.status_code == 422
    unknown = client.post("/api/v1/api-clients", json={"name": "X", "scopes": ["root"]}, headers=admin.headers)
    assert unknown.status_code == 422
    # the grant of audit:read is an edit of the client: in its audit trail
    grant = client.patch(
        f"/api/v1/api-clients/{body['id']}", json={"scopes": [*body["scopes"], "audit:read"]}, headers={**admin.headers, "If-Match": '"1"'}
    )
    assert grant.status_code == 200 and "audit:read" in grant.json()["scopes"]
    trail = client.get(
        "/api/v1/audit-events", params={"entity_type": "api_clients", "entity_id": str(body["id"])}, headers=admin.headers
    ).json()
    update = next(e for e in trail["items"] if e["action"] == "update")
    assert "audit:read" in update["after"]["scopes"] and "audit:read" not in update["before"]["scopes"]


def test_audit_snapshots_show_personal_fields_to_coordinators_only(client, admin, accounts):
    _, member = _member(client, admin, name="Dewi Jejak Uji")
    params = {"entity_type": "team_members", "entity_id": str(member["id"])}
    coordinator = accounts.user(Role.regency_coordinator, "33.75")
    viewer = accounts.user(Role.viewer, "33.75")
    full = client.get("/api/v1/audit-events", params=params, headers=coordinator.headers).json()["items"][0]
    assert full["after"]["name"] == "Dewi Jejak Uji" and full["actor_name"]
    masked = client.get("/api/v1/audit-events", params=params, headers=viewer.headers).json()["items"][0]
    assert masked["after"]["name"] == "***" and masked["after"]["phone"] is None and masked["actor_name"] is None
    auditor = accounts.client("33.75", scopes=DOMAIN_READ | {Scope.audit_read})
    assert client.get("/api/v1/audit-events", params=params, headers=auditor.headers).json()["items"][0]["after"]["name"] == "***"


def _everything(db) -> str:
    """Every row of every table, as text."""
    out = []
    for table in inspect(db.get_bind()).get_table_names():
        for row in db.execute(text(f'SELECT * FROM "{table}"')):
            out.append(repr(tuple(row)))
    return "\n".join(out)


def test_erasing_a_member_leaves_no_trace_and_the_numbers_unchanged(client, db, admin, accounts):
    from pembina.privacy import MEMBER_PSEUDONYM, erase_person, export_person

    team_id, member = _member(client, admin, name="Rina Hapus Uji", phone="081298765432")
    client.patch(
        f"/api/v1/teams/{team_id}/members/{member['id']}", json={"position": "sekretaris"}, headers={**admin.headers, "If-Match": '"1"'}
    )
    # free text that names her (any case, spaces as typed) and her phone as stored
    team = client.get(f"/api/v1/teams/{team_id}", headers=admin.headers)
    notes = "Rapat dipimpin RINA  hapus uji (+6281298765432); Rina Hapusan tidak hadir."
    edited = client.patch(f"/api/v1/teams/{team_id}", json={"notes": notes}, headers={**admin.headers, "If-Match": team.headers["ETag"]})
    assert edited.status_code == 200, edited.text
    before = client.get("/api/v1/regions/33.75/compliance", headers=admin.headers).json()
    held = export_person(db, member=member["id"])
    assert held["team_member"]["name"] == "Rina Hapus Uji" and len(held["changes_to_the_member"]) == 2
    assert "Rina Hapus Uji" in _everything(db)

    erase_person(db, member=member["id"])
    db.flush()
    everything = _everything(db)
    for trace in ("Rina Hapus Uji", "RINA  hapus uji", "6281298765432", "081298765432"):
        assert trace not in everything
    # the rest of the text, and another name that only begins like hers, stay
    team_notes = client.get(f"/api/v1/teams/{team_id}", headers=admin.headers).json()["notes"]
    assert team_notes == f"Rapat dipimpin {MEMBER_PSEUDONYM} ({MEMBER_PSEUDONYM}); Rina Hapusan tidak hadir."
    after = client.get(f"/api/v1/teams/{team_id}/members/{member['id']}", headers=admin.headers).json()
    assert after["name"] == MEMBER_PSEUDONYM and after["phone"] is None and after["position"] == "sekretaris"
    assert client.get("/api/v1/regions/33.75/compliance", headers=admin.headers).json() == before
    feed = client.get("/api/v1/changes", params={"entity_type": "team_members", "limit": 500}, headers=admin.headers).json()
    assert "Rina Hapus Uji" not in repr(feed) and any(c["data"] and c["data"]["name"] == MEMBER_PSEUDONYM for c in feed["items"])


def test_erasing_an_account_removes_its_name_contacts_and_sessions(client, db, admin, accounts):
    from pembina.privacy import ACCOUNT_PSEUDONYM, erase_person, export_person

    created = client.post(
        "/api/v1/users",
        json={
            "username": "pergi-uji",
            "full_name": "Agus Pergi Uji",
            "email": "agus.pergi@example.id",
            "phone": "0813-1111-2222",
            "role": "regency_coordinator",
            "region_code": "33.75",
            "password": "kata-sandi-panjang-sekali",
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    uid = created.json()["id"]
    login = client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": "pergi-uji", "password": "kata-sandi-panjang-sekali"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    # a write under their name
    assert client.post("/api/v1/teams", json={"region_code": "33.75.02.1007"}, headers=headers).status_code == 201
    held = export_person(db, account=uid)
    assert held["account"]["email"] == "agus.pergi@example.id" and held["actions_taken"] and "password_hash" not in held["account"]

    erase_person(db, account=uid)
    db.flush()
    everything = _everything(db)
    for trace in ("Agus Pergi Uji", "agus.pergi@example.id", "6281311112222", "pergi-uji"):
        assert trace not in everything, trace
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401  # every session ended
    user = client.get(f"/api/v1/users/{uid}", headers=admin.headers).json()
    assert user["full_name"] == ACCOUNT_PSEUDONYM and user["email"] is None and not user["is_active"]
    # the team they created is still there, its history intact
    assert client.get("/api/v1/teams", params={"region": "33.75.02.1007"}, headers=admin.headers).json()["total"] >= 1


def test_prune_keeps_audit_and_logins_only_as_long_as_configured(db, admin):
    from pembina.audit.models import AuditEvent
    from pembina.kit.db import utcnow
    from pembina.privacy import prune
    from pembina.users.models import User

    now = utcnow()
    db.add(
        AuditEvent(occurred_at=now - timedelta(days=1827), actor="system", action="create", entity_type="legal_references", entity_id="old")
    )
    db.add(
        AuditEvent(occurred_at=now - timedelta(days=30), actor="system", action="create", entity_type="legal_references", entity_id="new")
    )
    user = db.get(User, admin.id)
    user.last_login_at = now - timedelta(days=400)
    db.flush()
    removed = prune(db, now)
    assert removed["audit_events"] >= 1 and removed["login_times"] >= 1
    ids = set(db.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity_type == "legal_references")))
    assert "old" not in ids and "new" in ids
    db.refresh(user)
    assert user.last_login_at is None


def test_every_protected_operation_declares_its_scopes(app):
    from pembina.auth.scopes import required

    doc = app.openapi()
    flows = doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert set(flows["clientCredentials"]["scopes"]) == {s.value for s in Scope}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if op.get("security"):
                required(method, path)  # no KeyError: every path is placed
    assert doc["paths"]["/api/v1/users"]["get"]["security"][0] == {"OAuth2PasswordBearer": ["accounts:read"]}
    assert doc["paths"]["/api/v1/posyandu"]["post"]["security"][0] == {"OAuth2PasswordBearer": ["posyandu:write"]}
