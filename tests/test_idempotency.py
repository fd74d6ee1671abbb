"""Idempotency-Key: a retried POST acts once; the same key with another request is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from pembina.users.models import User


def _create(client, headers, key, username="op-sapuro", **extra):
    return client.post(
        "/api/v1/users",
        json={"username": username, "full_name": "Operator Sapuro", "role": "village_operator", "region_code": "33.75.01.1004", **extra},
        headers={**headers, "Idempotency-Key": key},
    )


def test_retry_replays_the_first_response(client, pekalongan, db):
    # (with a password of our own: a generated one is a secret, never replayed —
    # tests/security/test_idempotency_secrets.py)
    first = _create(client, pekalongan.headers, "k-001", password="sandi-sapuro-2025")
    again = _create(client, pekalongan.headers, "k-001", password="sandi-sapuro-2025")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert db.scalar(select(func.count()).select_from(User).where(User.username == "op-sapuro")) == 1


def test_same_key_other_request_is_422(client, pekalongan):
    assert _create(client, pekalongan.headers, "k-002").status_code == 201
    other = _create(client, pekalongan.headers, "k-002", username="op-other")
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


def test_keys_are_per_caller_and_errors_are_replayed_too(client, pekalongan, admin):
    assert _create(client, pekalongan.headers, "shared").status_code == 201
    # the admin's "shared" key is a different key: the request runs (and conflicts on the username)
    dup = _create(client, admin.headers, "shared")
    assert dup.status_code == 409
    assert _create(client, admin.headers, "shared").headers.get("Idempotent-Replayed") == "true"


def test_without_key_each_post_acts(client, pekalongan):
    r1 = client.post("/api/v1/api-clients", json={"name": "A"}, headers=pekalongan.headers)
    r2 = client.post("/api/v1/api-clients", json={"name": "A"}, headers=pekalongan.headers)
    assert r1.status_code == r2.status_code == 201 and r1.json()["id"] != r2.json()["id"]


def test_bad_key_is_400(client, pekalongan):
    r = _create(client, pekalongan.headers, "x" * 300)
    assert r.status_code == 400 and r.json()["type"] == "/problems/bad-request"
