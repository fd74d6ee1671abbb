"""More simultaneous requests than the pool has connections (kit.db.DatabaseGate), against a live
server with real commits: every request finishes, none waits for a connection held by a request
that waits for a thread.

Before the gate, a request took a connection in its first worker-thread hop (the caller's lookup)
and needed further hops (the route, the commit) to give it back. With more requests in flight
than the pool has connections, the route threads (40) all waited for a connection held by
requests that waited for a thread: 64 writers on one worker finished no write in 10 s, and here,
with a pool of 2, the writers got the pool's timeout as 500s. Half the writers send an
Idempotency-Key (its claim and settling use connections of the same pool)."""

from __future__ import annotations

import os
import threading
import uuid

import httpx
from sqlalchemy import delete, select

from pembina.config import Settings
from pembina.posyandu import counters
from pembina.posyandu.models import Posyandu
from pembina.regions.models import Region
from pembina.stats import service as stats
from pembina.users.models import User
from tests.conftest import LIVE_REGION, live_coordinator, serving

REGION = LIVE_REGION
WRITERS = 48  # more than the 40 threads that run routes


def test_more_writers_than_connections_all_finish(database, committed):
    user, headers = live_coordinator(committed, "gate")
    district = committed.scalar(select(Region.code).where(Region.parent_code == REGION).order_by(Region.code).limit(1))
    village = committed.scalar(select(Region.code).where(Region.parent_code == district).order_by(Region.code).limit(1))
    before = stats.values(committed, village).get("posyandu.count", 0)
    committed.rollback()

    settings = Settings(
        database_url=database.url, jwt_secret=os.environ["PEMBINA_JWT_SECRET"], db_pool_size=2, db_pool_max_overflow=0, db_pool_timeout=3
    )
    try:
        with serving(settings) as (_, base):
            _write_together(base, headers, village, before)
    finally:
        committed.rollback()
        left = committed.scalars(select(Posyandu).where(Posyandu.name.startswith("Posyandu Gerbang "))).all()
        for p in left:  # written without an answer (the failure being reported): out of the counters too
            stats.adjust(committed, p.region_code, {k: -v for k, v in counters.of(p).items()})
            committed.delete(p)
        committed.execute(delete(User).where(User.id == user.id))
        committed.commit()


def _write_together(base: str, headers: dict[str, str], village: str, before: int) -> None:
    barrier = threading.Barrier(WRITERS)
    results: list[httpx.Response | BaseException | None] = [None] * WRITERS

    def write(i: int) -> None:
        extra = {"Idempotency-Key": f"gate-{uuid.uuid4().hex}"} if i % 2 else {}
        try:
            with httpx.Client(base_url=base, headers=headers | extra, timeout=60) as c:
                barrier.wait()
                results[i] = c.post("/api/v1/posyandu", json={"region_code": village, "name": f"Posyandu Gerbang {i}"})
        except BaseException as e:  # noqa: BLE001 - reported below
            results[i] = e

    try:
        threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        statuses = [r.status_code if isinstance(r, httpx.Response) else repr(r) for r in results]
        assert statuses == [201] * WRITERS, [r.text[:200] for r in results if isinstance(r, httpx.Response) and r.status_code != 201]
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            summary = c.get(f"/api/v1/regions/{village}/summary")
        assert summary.status_code == 200, summary.text
        assert summary.json()["posyandu"]["count"] == before + WRITERS
    finally:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            for r in results:
                if isinstance(r, httpx.Response) and r.status_code == 201:
                    assert c.delete(f"/api/v1/posyandu/{r.json()['id']}").status_code == 204
