"""Item 7: exports beside writes on a real server. An export records an audit event; on SQLite
that write must not upgrade the export's read transaction (which fails with "database is
locked" as soon as another writer commits, a 503)."""

from __future__ import annotations

import threading
import uuid

import httpx
from sqlalchemy import delete

from pembina.kit.roles import Role
from pembina.auth.security import hash_secret, issue_token
from pembina.users.models import User

REGION = "11.02"  # Kabupaten Aceh Tenggara: nothing else in the suite touches it
N = 40


def test_exports_beside_writes_never_503(live_server, committed):
    prefix = f"xw-{uuid.uuid4().hex[:6]}-"
    coord = User(
        username=prefix + "coord",
        full_name="Coordinator",
        role=Role.regency_coordinator.value,
        region_code=REGION,
        password_hash=hash_secret("x" * 12),
    )
    pw = coord.password_hash
    targets = [
        User(username=f"{prefix}{i}", full_name="Before", role=Role.viewer.value, region_code=REGION, password_hash=pw) for i in range(N)
    ]
    committed.add_all([coord, *targets])
    committed.commit()
    headers = {"Authorization": f"Bearer {issue_token(f'user:{coord.id}')[0]}"}
    # the writes: an edit of its own account each (no password hashing inside the write lock)
    barrier = threading.Barrier(2 * N)
    results: list[httpx.Response | BaseException | None] = [None] * (2 * N)

    def work(i: int) -> None:
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as c:
            barrier.wait()
            try:
                if i % 2:
                    results[i] = c.get("/api/v1/exports/users", params={"format": "csv", "region": REGION})
                else:
                    t = targets[i // 2]
                    results[i] = c.patch(f"/api/v1/users/{t.id}", json={"full_name": f"Writer {i}"}, headers={"If-Match": f'"{t.version}"'})
            except BaseException as e:  # noqa: BLE001 - reported below
                results[i] = e

    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(2 * N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        exports = [r for i, r in enumerate(results) if i % 2]
        writes = [r for i, r in enumerate(results) if not i % 2]
        failed = [
            (r.status_code, r.text[:200]) if isinstance(r, httpx.Response) else repr(r)
            for r in exports
            if not (isinstance(r, httpx.Response) and r.status_code == 200)
        ]
        assert failed == [], f"{len(failed)} of {N} exports failed: {failed[:3]}"
        assert all(isinstance(r, httpx.Response) and r.status_code == 200 for r in writes), [getattr(r, "status_code", r) for r in writes]
        for r in exports:
            assert isinstance(r, httpx.Response) and r.headers["content-type"].startswith("text/csv")
        # every export was audited
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as c:
            events = c.get("/api/v1/audit-events", params={"action": "export", "limit": 500}).json()
        assert events["total"] >= N, events
    finally:
        committed.execute(delete(User).where(User.username.like(prefix + "%")))
        committed.commit()
