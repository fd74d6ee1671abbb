"""Idempotency records: no one-time secrets at rest, replays re-check the caller, the record
commits with the effect (or neither does), and same-key contention is a 409, never a 500.

Before: the first response to an Idempotency-Key was stored in clear for 24 h, API client
secrets and generated passwords included (and landed in backups); the record was written in
a transaction of its own after the effect's, so a crash in between left a "pending" key that
a later retry ran again (two rows).
"""

from __future__ import annotations

import os
import threading
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.exc import OperationalError

from pembina.api_clients.models import ApiClient
from pembina.kit.roles import Role
from pembina.auth.security import hash_secret, issue_token
from pembina.config import Settings
from pembina.idempotency.models import IdempotencyRecord
from pembina.users.models import User

REGION = "11.02"  # Kabupaten Aceh Tenggara: nothing else in the suite touches it


def _records(db):
    return db.scalars(select(IdempotencyRecord)).all()


def _assert_replay_unavailable(r):
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "/problems/replay-unavailable"
    assert "rotate" in r.json()["detail"]


# -- secrets are never stored --------------------------------------------------------------


def test_an_api_client_secret_is_never_stored_and_a_replay_says_rotate(client, db, pekalongan):
    headers = {**pekalongan.headers, "Idempotency-Key": "client-1"}
    first = client.post("/api/v1/api-clients", json={"name": "Portal data"}, headers=headers)
    assert first.status_code == 201
    secret = first.json()["client_secret"].encode()
    for rec in _records(db):
        assert secret not in (rec.response_body or b"") and secret.decode() not in str(rec.response_headers)
    again = client.post("/api/v1/api-clients", json={"name": "Portal data"}, headers=headers)
    _assert_replay_unavailable(again)
    assert secret.decode() not in again.text
    assert db.scalar(select(func.count()).select_from(ApiClient).where(ApiClient.name == "Portal data")) == 1


def test_logins_are_never_keyed_so_no_access_token_is_kept(client, db, accounts):
    """A login answers with a fresh credential and changes nothing a retry could double: an
    Idempotency-Key on it is ignored (no record, no token at rest), and a retry logs in again."""
    acc = accounts.user(Role.viewer, REGION, username="login-keyed")
    headers = {**acc.headers, "Idempotency-Key": "login-1"}
    form = {"grant_type": "password", "username": acc.username, "password": acc.password}
    first = client.post("/api/v1/auth/token", data=form, headers=headers)
    again = client.post("/api/v1/auth/token", data=form, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert "idempotent-replayed" not in again.headers
    assert first.json()["access_token"] != again.json()["access_token"]
    body = {"username": acc.username, "password": acc.password}
    assert client.post("/api/v1/auth/session", json=body, headers={**headers, "Idempotency-Key": "login-2"}).status_code == 200
    assert [r for r in _records(db) if r.key in ("login-1", "login-2")] == []


def test_a_rotated_secret_is_never_stored(client, db, pekalongan):
    created = client.post("/api/v1/api-clients", json={"name": "Rotating"}, headers=pekalongan.headers).json()
    url = f"/api/v1/api-clients/{created['id']}/rotate-secret"
    headers = {**pekalongan.headers, "Idempotency-Key": "rotate-1"}
    first = client.post(url, headers=headers)
    assert first.status_code == 200
    secret = first.json()["client_secret"].encode()
    assert all(secret not in (rec.response_body or b"") for rec in _records(db))
    _assert_replay_unavailable(client.post(url, headers=headers))
    # the replay did not rotate again: the secret shown first still works
    token = client.post(
        "/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": created["client_id"], "client_secret": secret.decode()}
    )
    assert token.status_code == 200, token.text


def test_a_generated_password_is_never_stored(client, db, pekalongan):
    body = {"username": "op-generated", "full_name": "Generated", "role": "village_operator", "region_code": "33.75.01.1004"}
    headers = {**pekalongan.headers, "Idempotency-Key": "user-gen-1"}
    first = client.post("/api/v1/users", json=body, headers=headers)
    assert first.status_code == 201
    password = first.json()["generated_password"].encode()
    assert all(password not in (rec.response_body or b"") for rec in _records(db))
    _assert_replay_unavailable(client.post("/api/v1/users", json=body, headers=headers))
    assert db.scalar(select(func.count()).select_from(User).where(User.username == "op-generated")) == 1


# -- a replay re-checks the caller -------------------------------------------------------------


def test_a_replay_after_the_caller_was_deactivated_is_401(client, db, pekalongan):
    body = {
        "username": "op-replay",
        "full_name": "Replay",
        "role": "village_operator",
        "region_code": "33.75.01.1004",
        "password": "sandi-replay-2025",
    }
    headers = {**pekalongan.headers, "Idempotency-Key": "user-replay-1"}
    assert client.post("/api/v1/users", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/users", json=body, headers=headers).headers.get("Idempotent-Replayed") == "true"
    db.execute(update(User).where(User.id == pekalongan.id).values(is_active=False))
    db.commit()
    r = client.post("/api/v1/users", json=body, headers=headers)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    assert "op-replay" not in r.text


# -- the record commits with the effect, or neither does ------------------------------------


@pytest.fixture
def coordinator(committed):
    u = User(
        username=f"coord-{uuid.uuid4().hex[:8]}",
        full_name="Coordinator",
        role=Role.regency_coordinator.value,
        region_code=REGION,
        password_hash=hash_secret("x" * 12),
    )
    committed.add(u)
    committed.commit()
    yield {"Authorization": f"Bearer {issue_token(f'user:{u.id}')[0]}"}
    committed.execute(delete(IdempotencyRecord).where(IdempotencyRecord.subject == f"user:{u.id}"))
    committed.execute(delete(ApiClient).where(ApiClient.region_code.like(REGION + "%")))
    committed.execute(delete(User).where(User.region_code.like(REGION + "%")))
    committed.commit()


def test_a_failed_commit_leaves_neither_effect_nor_record_and_a_retry_acts_once(database, committed, coordinator):
    """The database refuses the commit of the transaction that records the key's result (as
    a crash between the effect's commit and the record's would): nothing of the request may
    persist, and the retry with the same key runs exactly once."""
    app = __import__("pembina.main", fromlist=["create_app"]).create_app(
        Settings(database_url=database.url, jwt_secret=os.environ["PEMBINA_JWT_SECRET"])
    )
    engine = app.state.sessionmaker.kw["bind"]
    armed = {"on": True}

    @event.listens_for(engine, "before_cursor_execute")
    def spot(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("UPDATE IDEMPOTENCY_RECORDS"):
            conn.info["records-result"] = True

    @event.listens_for(engine, "commit")
    def refuse(conn):  # noqa: ANN001
        if conn.info.pop("records-result", False) and armed["on"]:
            armed["on"] = False
            raise OperationalError("COMMIT", {}, Exception("the database went away at commit"))

    @event.listens_for(engine, "rollback")
    def forget(conn):  # noqa: ANN001
        conn.info.pop("records-result", None)

    username = f"crash-{uuid.uuid4().hex[:6]}"
    body = {"username": username, "full_name": "Once", "role": "viewer", "region_code": REGION, "password": "sandi-sekali-2025"}
    headers = {**coordinator, "Idempotency-Key": f"key-{username}"}
    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            failed = c.post("/api/v1/users", json=body, headers=headers)
            assert failed.status_code == 503, failed.text  # the client learns it did not happen
            assert committed.scalar(select(func.count()).select_from(User).where(User.username == username)) == 0
            assert committed.scalars(select(IdempotencyRecord.state).where(IdempotencyRecord.key == f"key-{username}")).all() == []
            retry = c.post("/api/v1/users", json=body, headers=headers)
            assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers, retry.text
            replay = c.post("/api/v1/users", json=body, headers=headers)
            assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
            assert replay.json()["id"] == retry.json()["id"]
        committed.commit()  # end the read snapshot taken above
        assert committed.scalar(select(func.count()).select_from(User).where(User.username == username)) == 1
    finally:
        engine.dispose()


# -- contention is a 409 (or a wait), never a 500 --------------------------------------------


def test_concurrent_same_key_requests_for_a_secret_never_500(live_server, committed, coordinator):
    key = f"key-{uuid.uuid4().hex[:8]}"
    barrier = threading.Barrier(6)
    results: list = [None] * 6

    def post(i):
        with httpx.Client(base_url=live_server, headers={**coordinator, "Idempotency-Key": key}, timeout=60) as c:
            barrier.wait()
            results[i] = c.post("/api/v1/api-clients", json={"name": "Concurrent"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 409, 409, 409, 409, 409], [(r.status_code, r.text[:200]) for r in results]
    for r in results:
        if r.status_code == 409:
            assert r.json()["type"] in ("/problems/replay-unavailable", "/problems/conflict")
            if r.json()["type"] == "/problems/conflict":
                assert r.headers["Retry-After"]
    assert (
        committed.scalar(select(func.count()).select_from(ApiClient).where(ApiClient.name == "Concurrent", ApiClient.region_code == REGION))
        == 1
    )
