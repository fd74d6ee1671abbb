"""Real concurrent requests against a live server on each database (no shared transaction)."""

from __future__ import annotations

import threading
import uuid

import httpx
from sqlalchemy import delete, select

from pembina.kit.roles import Role
from pembina.auth.security import hash_secret, issue_token
from pembina.users.models import User

REGION = "11.01"  # Kabupaten Aceh Selatan: nothing else in the suite touches it


def _run_together(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _coordinator(committed):
    u = User(
        username=f"coord-{uuid.uuid4().hex[:8]}",
        full_name="Coordinator",
        role=Role.regency_coordinator.value,
        region_code=REGION,
        password_hash=hash_secret("x" * 12),
    )
    committed.add(u)
    committed.commit()
    return u, {"Authorization": f"Bearer {issue_token(f'user:{u.id}')[0]}"}


def _cleanup(committed, prefix):
    committed.execute(delete(User).where(User.region_code.like(REGION + "%"), User.username.like(prefix + "%")))
    committed.commit()


def test_concurrent_edits_exactly_one_wins(live_server, committed):
    coord, headers = _coordinator(committed)
    try:
        with httpx.Client(base_url=live_server, headers=headers, timeout=30) as c:
            target = c.post(
                "/api/v1/users",
                json={"username": f"race-{uuid.uuid4().hex[:6]}", "full_name": "Start", "role": "viewer", "region_code": REGION},
            ).json()
            etag = c.get(f"/api/v1/users/{target['id']}").headers["ETag"]

        def edit(i):
            with httpx.Client(base_url=live_server, headers=headers, timeout=30) as c:
                return c.patch(f"/api/v1/users/{target['id']}", json={"full_name": f"Writer {i}"}, headers={"If-Match": etag})

        results = _run_together(4, edit)
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 412, 412, 412], [r.text for r in results]
        winner = next(r for r in results if r.status_code == 200).json()["full_name"]
        with httpx.Client(base_url=live_server, headers=headers) as c:
            assert c.get(f"/api/v1/users/{target['id']}").json()["full_name"] == winner
        for r in results:
            if r.status_code == 412:
                assert r.headers["content-type"] == "application/problem+json"
    finally:
        _cleanup(committed, "race-")
        _cleanup(committed, "coord-")


def test_concurrent_posts_with_one_idempotency_key_create_one_record(live_server, committed):
    coord, headers = _coordinator(committed)
    username = f"idem-{uuid.uuid4().hex[:6]}"
    try:

        def post(i):
            with httpx.Client(base_url=live_server, headers={**headers, "Idempotency-Key": f"key-{username}"}, timeout=30) as c:
                return c.post(
                    "/api/v1/users",
                    json={
                        "username": username,
                        "full_name": "Once",
                        "role": "viewer",
                        "region_code": REGION,
                        "password": "sandi-sekali-2025",
                    },
                )

        results = _run_together(5, post)
        assert all(r.status_code == 201 for r in results), [(r.status_code, r.text) for r in results]
        assert len({r.json()["id"] for r in results}) == 1
        assert sum(1 for r in results if r.headers.get("Idempotent-Replayed") == "true") == 4
        assert len(committed.scalars(select(User).where(User.username == username)).all()) == 1
    finally:
        _cleanup(committed, "idem-")
        _cleanup(committed, "coord-")
