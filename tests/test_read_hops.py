"""A read request ends its transaction in the worker thread its route ran in (`kit.db.end_read`):
a GET makes two hops to worker threads (the caller's lookup, the route) where it made three (a
third to commit), and reads what it read before. A write still commits in a hop of its own,
after the route's handler has noted the response (its ETag, its idempotency record); a read
that fails still rolls back. Against the real app and its own sessions (`get_session`), served
by uvicorn, with real commits."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import httpx
import pytest
from sqlalchemy import delete, select

from pembina.config import Settings
from pembina.regions.models import Region
from pembina.users.models import User
from tests.conftest import LIVE_REGION, live_coordinator, serving

REGION = LIVE_REGION


def _name(func: Callable[..., Any]) -> str:
    func = getattr(func, "func", func)  # a functools.partial
    return getattr(func, "__name__", type(func).__name__)


def test_a_read_ends_in_its_routes_thread_and_a_write_after_it(database, committed, monkeypatch: pytest.MonkeyPatch):
    user, headers = live_coordinator(committed, "hops")
    district = committed.scalar(select(Region.code).where(Region.parent_code == REGION).order_by(Region.code).limit(1))
    village = committed.scalar(select(Region.code).where(Region.parent_code == district).order_by(Region.code).limit(1))
    committed.rollback()

    sent: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(_name(func))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    settings = Settings(database_url=database.url, jwt_secret=os.environ["PEMBINA_JWT_SECRET"])
    try:
        with serving(settings) as (_, base), httpx.Client(base_url=base, headers=headers, timeout=30) as api:
            sent.clear()
            created = api.post("/api/v1/posyandu", json={"region_code": village, "name": "Posyandu Hop Seruni"})
            assert created.status_code == 201, created.text
            assert sent[-1] == "commit" and len(sent) == 3, sent  # lookup, route, and the commit after the handler
            pid = created.json()["id"]
            try:
                sent.clear()
                one = api.get(f"/api/v1/posyandu/{pid}")
                assert one.status_code == 200 and one.json()["name"] == "Posyandu Hop Seruni"
                assert one.headers["etag"] == created.headers["etag"]
                assert len(sent) == 2 and "commit" not in sent, sent  # the lookup and the route: no third hop

                sent.clear()
                page = api.get("/api/v1/posyandu", params={"region": village, "q": "hop seruni"})
                assert page.status_code == 200 and [p["id"] for p in page.json()["items"]] == [pid]
                assert len(sent) == 2, sent

                sent.clear()
                missing = api.get("/api/v1/posyandu/2147483000")
                assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
                assert sent[-1] == "rollback", sent  # the route raised: its transaction is rolled back as before

                assert api.get("/healthz").json() == {"status": "ok"}
            finally:
                assert api.delete(f"/api/v1/posyandu/{pid}").status_code == 204
    finally:
        committed.rollback()
        committed.execute(delete(User).where(User.id == user.id))
        committed.commit()
