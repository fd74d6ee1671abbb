"""Tokens name one account for ever: ids never repeat, and a token dies with the credentials
(password change, admin reset, secret rotation, deactivation, "log out everywhere")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jose import jwt

from pembina.kit.roles import ClientScope, Role
from pembina.config import get_settings

NEW = "kopi-tubruk-pagi-hari"

#: What the dashboard's browser sends with a cookie-authenticated write (the Origin check).
SAME_ORIGIN = {"Origin": "http://testserver"}


def _login(client, username, password):
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _me(client, headers):
    return client.get("/api/v1/auth/me", headers=headers)


def test_a_deleted_users_token_does_not_become_the_next_account(client, admin):
    r = client.post(
        "/api/v1/users",
        json={"username": "op-hapus", "full_name": "Operator", "role": "village_operator", "region_code": "33.75.02.1008", "password": NEW},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    op_id = r.json()["id"]
    op_token = _login(client, "op-hapus", NEW)
    assert _me(client, op_token).json()["username"] == "op-hapus"
    assert client.delete(f"/api/v1/users/{op_id}", headers=admin.headers).status_code == 204
    r = client.post(
        "/api/v1/users",
        json={"username": "admin-baru", "full_name": "Admin", "role": "national_admin", "password": NEW},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["id"] != op_id
    answer = _me(client, op_token)
    assert answer.status_code == 401, answer.text


def test_a_deleted_clients_token_does_not_become_the_next_client(client, admin):
    r = client.post("/api/v1/api-clients", json={"name": "Sistem desa", "scope": "read", "region_code": "33.75"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    first = r.json()
    tok = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": first["client_id"], "client_secret": first["client_secret"]},
    )
    headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    assert _me(client, headers).status_code == 200
    assert client.delete(f"/api/v1/api-clients/{first['id']}", headers=admin.headers).status_code == 204
    r = client.post(
        "/api/v1/api-clients", json={"name": "Sistem nasional", "scope": "read_write", "region_code": None}, headers=admin.headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["id"] != first["id"]
    assert _me(client, headers).status_code == 401


def test_a_token_from_before_a_password_change_is_refused(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008", username="ganti-sandi")
    other_device = _login(client, acc.username, acc.password)
    r = client.post("/api/v1/auth/me/password", json={"current_password": acc.password, "new_password": NEW}, headers=acc.headers)
    assert r.status_code == 204, r.text
    assert _me(client, acc.headers).status_code == 401
    assert _me(client, other_device).status_code == 401
    assert _me(client, _login(client, acc.username, NEW)).status_code == 200


def test_the_dashboard_session_survives_its_own_password_change(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008", username="ganti-cookie")
    other_device = _login(client, acc.username, acc.password)
    assert client.post("/api/v1/auth/session", json={"username": acc.username, "password": acc.password}).status_code == 200
    r = client.post("/api/v1/auth/me/password", json={"current_password": acc.password, "new_password": NEW}, headers=SAME_ORIGIN)
    assert r.status_code == 204, r.text
    assert client.get("/api/v1/auth/me").json()["username"] == acc.username  # the re-issued cookie
    assert _me(client, other_device).status_code == 401


def test_an_admin_reset_and_a_deactivation_end_earlier_tokens(client, pekalongan, accounts):
    op = accounts.user(Role.village_operator, "33.75.02.1008", username="op-reset")
    before = _login(client, op.username, op.password)
    r = client.patch(f"/api/v1/users/{op.id}", json={"password": NEW}, headers={**pekalongan.headers, "If-Match": "*"})
    assert r.status_code == 200, r.text
    assert _me(client, before).status_code == 401
    after = _login(client, op.username, NEW)
    assert (
        client.patch(f"/api/v1/users/{op.id}", json={"is_active": False}, headers={**pekalongan.headers, "If-Match": "*"}).status_code
        == 200
    )
    assert (
        client.patch(f"/api/v1/users/{op.id}", json={"is_active": True}, headers={**pekalongan.headers, "If-Match": "*"}).status_code == 200
    )
    assert _me(client, after).status_code == 401  # reactivation does not revive old tokens


def test_a_secret_rotation_ends_the_clients_tokens(client, admin, accounts):
    c = accounts.client("33.75", ClientScope.read)
    tok = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": c.username, "client_secret": c.password})
    headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    assert _me(client, headers).status_code == 200
    r = client.post(f"/api/v1/api-clients/{c.id}/rotate-secret", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert _me(client, headers).status_code == 401
    assert _me(client, c.headers).status_code == 401


def test_log_out_everywhere(client, accounts):
    acc = accounts.user(Role.viewer, "33.75", username="keluar-semua")
    phone = _login(client, acc.username, acc.password)
    assert client.post("/api/v1/auth/session", json={"username": acc.username, "password": acc.password}).status_code == 200
    r = client.post("/api/v1/auth/me/sessions/revoke", headers=SAME_ORIGIN)
    assert r.status_code == 204, r.text
    assert _me(client, phone).status_code == 401
    assert _me(client, acc.headers).status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401  # the cookie too
    assert _me(client, _login(client, acc.username, acc.password)).status_code == 200


def test_a_token_issued_in_the_future_is_refused(client, accounts):
    acc = accounts.user(Role.viewer, "33.75")
    s = get_settings()
    claims = jwt.get_unverified_claims(acc.token)

    def at(iat):
        payload = {
            **claims,
            "iat": int(iat.timestamp()),
            "nbf": int(datetime.now(UTC).timestamp()) - 5,
            "exp": int((iat + timedelta(hours=2)).timestamp()),
        }
        return {"Authorization": f"Bearer {jwt.encode(payload, s.signing_secret(), algorithm=s.jwt_algorithm)}"}

    now = datetime.now(UTC)
    assert _me(client, at(now + timedelta(minutes=30))).status_code == 401
    assert _me(client, at(now + timedelta(seconds=20))).status_code == 200  # clock skew within 60 s


def test_the_migration_keeps_accounts_and_never_reuses_their_ids(empty_database):
    from sqlalchemy import text

    from pembina import migrate

    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0010")
        old_user = conn.execute(
            text(
                "INSERT INTO users (username, full_name, password_hash, role, is_active, created_at, updated_at, version) "
                "VALUES ('lama', 'Lama', 'x', 'national_admin', true, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1) RETURNING id"
            )
        ).scalar()
        old_client = conn.execute(
            text(
                "INSERT INTO api_clients (client_id, name, secret_hash, scope, is_active, created_by_user_id, created_at, updated_at, version) "
                "VALUES ('pmb_lama', 'Lama', 'x', 'read', true, :u, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1) RETURNING id"
            ),
            {"u": old_user},
        ).scalar()
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.begin() as conn:
        assert conn.execute(
            text("SELECT created_by_user_id, token_generation FROM api_clients WHERE id = :c"), {"c": old_client}
        ).one() == (old_user, 1)
        assert conn.execute(text("SELECT token_generation FROM users WHERE id = :u"), {"u": old_user}).scalar() == 1
        conn.execute(text("DELETE FROM api_clients"))
        conn.execute(text("DELETE FROM users"))
        new_user = conn.execute(
            text(
                "INSERT INTO users (username, full_name, password_hash, role, is_active, created_at, updated_at, version) "
                "VALUES ('baru', 'Baru', 'x', 'national_admin', true, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1) RETURNING id"
            )
        ).scalar()
        assert new_user > old_user  # the deleted highest id is not given again
    with engine.begin() as conn:
        migrate.downgrade(conn, "0010")
        migrate.upgrade(conn)
