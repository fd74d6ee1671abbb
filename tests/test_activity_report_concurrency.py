"""Concurrent writers on the activity-report counters (issue 22), against a live server with real
commits: many reports of one district submitted at the same instant, then accepted and returned at
the same instant, each write moving the same village, district, regency, province and nation rows.
No update may be lost and none may deadlock: afterwards the counters equal a recount of the
reports, and the board shows every report. On PostgreSQL the writers really overlap (row locks
taken in one order); on SQLite they serialise on the database lock."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import delete, select

from pembina.activity_reports import counters, fields
from pembina.activity_reports.models import ActivityReport
from pembina.regions.models import Region
from pembina.users.models import User
from tests.conftest import LIVE_REGION, live_coordinator

REGION = LIVE_REGION
URL = "/api/v1/activity-reports"
WRITERS = 12


def _together(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        barrier.wait()
        with httpx.Client(base_url=_together.base, headers=_together.headers, timeout=60) as c:
            results[i] = fn(c, i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return results


def test_simultaneous_writers_lose_no_count(live_server, committed):
    user, headers = live_coordinator(committed, "arc")
    _together.base, _together.headers = live_server, headers
    # four villages in two districts: the writers share the regency, province and nation rows
    districts = committed.scalars(select(Region.code).where(Region.parent_code == REGION).order_by(Region.code).limit(2)).all()
    villages = [
        v for d in districts for v in committed.scalars(select(Region.code).where(Region.parent_code == d).order_by(Region.code).limit(2))
    ]
    period = fields.last_period()
    pids: list[int] = []
    try:
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as c:
            for i in range(WRITERS):
                r = c.post("/api/v1/posyandu", json={"region_code": villages[i % len(villages)], "name": f"Posyandu Serentak {i}"})
                assert r.status_code == 201, r.text
                pids.append(r.json()["id"])
            reports = []
            for i, pid in enumerate(pids):
                body = {"posyandu_id": pid, "period": period, "days_open": 1, "counts": {"kesehatan": {"imunisasi": i + 1}}}
                r = c.post(URL, json=body)
                assert r.status_code == 201, r.text
                reports.append(r.json())

        submitted = _together(WRITERS, lambda c, i: c.post(f"{URL}/{reports[i]['id']}/transitions", json={"action": "submit"}))
        assert [r.status_code for r in submitted] == [200] * WRITERS, [r.text for r in submitted if r.status_code != 200]

        def decide(c, i):
            body = {"action": "accept"} if i % 2 else {"action": "return", "reason": "Foto kegiatan belum dilampirkan"}
            return c.post(f"{URL}/{reports[i]['id']}/transitions", json=body)

        decided = _together(WRITERS, decide)
        assert [r.status_code for r in decided] == [200] * WRITERS, [r.text for r in decided if r.status_code != 200]

        committed.expire_all()
        assert counters.snapshot(committed) == counters.recount(committed)
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as c:
            board = c.get(f"{URL}/board", params={"region": REGION, "period": period})
        assert board.status_code == 200, board.text
        total = board.json()["total"]
        # a returned report stays received (it was submitted); half were accepted, half returned
        half = WRITERS // 2
        assert (total["expected"], total["received"], total["accepted"], total["returned"]) == (WRITERS, WRITERS, half, half), total
        assert sum(row["accepted"] for row in board.json()["rows"]) == half
    finally:
        committed.rollback()
        committed.execute(delete(ActivityReport).where(ActivityReport.posyandu_id.in_(pids)))
        committed.commit()
        counters.rebuild(committed)
        committed.commit()
        with httpx.Client(base_url=live_server, headers=headers, timeout=60) as c:
            for pid in pids:
                assert c.delete(f"/api/v1/posyandu/{pid}").status_code == 204
        committed.execute(delete(User).where(User.id == user.id))
        committed.commit()
