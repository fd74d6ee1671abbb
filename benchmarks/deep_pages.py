"""Deep pages: a page deep in the posyandu list by cursor against the same depth by offset
(`python -m benchmarks.deep_pages`; the scale database of `benchmarks.scale`, 300,000 synthetic
posyandu by default: PEMBINA_BENCH_POSYANDU, PEMBINA_BENCH_SCALE_DB).

Walks the national posyandu list (default order: village code, name, id) by `next_cursor`, 500
rows a page, to DEPTH rows (PEMBINA_BENCH_DEPTH, default 250,000, capped at the list), one request
at a time against the real server, and prints the median time of the first pages, of the pages
around `offset` = 10,000 (the ceiling) asked for by offset and by cursor, and of the deepest pages
by cursor. Offsets beyond the ceiling are refused (422), so the deep offset is timed as its SQL
statement (the same query `paginate` sends) against the database. Figures, not a pass/fail test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
import uuid

import httpx
from sqlalchemy import create_engine, text

from benchmarks import scale
from pembina.kit.pagination import MAX_OFFSET

DEPTH = int(os.environ.get("PEMBINA_BENCH_DEPTH", "250000"))
PAGE = 500
REPEAT = 5


def _ms(api: httpx.Client, params: dict[str, object]) -> tuple[float, dict]:
    t0 = time.perf_counter()
    r = api.get("/api/v1/posyandu", params=params)
    elapsed = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, r.text[:300]
    return elapsed, r.json()


def _median(api: httpx.Client, params: dict[str, object]) -> float:
    return statistics.median(_ms(api, params)[0] for _ in range(REPEAT))


def _sql_offset_ms(url: str, offset: int) -> float:
    """The offset query the list sends (the default order), timed in the database."""
    engine = create_engine(url)
    sql = text("SELECT * FROM posyandu ORDER BY region_code, name, id LIMIT 50 OFFSET :o")
    with engine.connect() as c:
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            c.execute(sql, {"o": offset}).all()
            times.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return statistics.median(times)


def measure(api: httpx.Client, database_url: str) -> None:
    total = api.get("/api/v1/posyandu", params={"limit": 1, "active": "true"}).json()["total"]
    depth = min(DEPTH, max(total - PAGE, 0))
    first_offset = _median(api, {"limit": 50})
    ceiling = min(MAX_OFFSET, max(total - 50, 0))
    at_ceiling_offset = _median(api, {"limit": 50, "offset": ceiling})
    # walk by cursor; keep the cursors at the ceiling and at the depth
    cursor, seen, at_ceiling_cursor, deepest = None, 0, None, None
    walk: list[float] = []
    while seen < depth:
        ms, page = _ms(api, {"limit": PAGE, **({"cursor": cursor} if cursor else {})})
        walk.append(ms)
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        if at_ceiling_cursor is None and seen >= ceiling:
            at_ceiling_cursor = cursor
        deepest = cursor
    print(f"  posyandu list, {total:,} rows; walked {seen:,} rows by cursor in {len(walk)} pages of {PAGE}: {sum(walk) / 1000:.1f} s")
    print(f"  {'page of 50':<44} {'median ms':>10}")
    print(f"  {'first page':<44} {first_offset:10.1f}")
    print(f"  {f'offset={ceiling:,} (the ceiling)':<44} {at_ceiling_offset:10.1f}")
    if at_ceiling_cursor:
        print(f"  {f'cursor at ~{ceiling:,}':<44} {_median(api, {'limit': 50, 'cursor': at_ceiling_cursor}):10.1f}")
    if deepest:
        print(f"  {f'cursor at {seen:,}':<44} {_median(api, {'limit': 50, 'cursor': deepest}):10.1f}")
    print(f"  {f'offset={seen:,} (SQL only; the API refuses it)':<44} {_sql_offset_ms(database_url, seen):10.1f}")
    if len(walk) > 10:
        print(f"  walk: first 5 pages of {PAGE} median {statistics.median(walk[:5]):.1f} ms, last 5 {statistics.median(walk[-5:]):.1f} ms")


def main() -> None:
    url = f"http://127.0.0.1:{scale.PORT}"
    env = scale._env(scale._database_url())
    print(f"Deep pages on PostgreSQL ({scale.DB_NAME}), one request at a time")
    scale.prepare(env)
    password = uuid.uuid4().hex
    scale._bench_admin(env, password)
    server = subprocess.Popen(
        [str(scale.BIN / "pembina"), "serve", "--host", "127.0.0.1", "--port", str(scale.PORT), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        scale._wait(url, server)
        form = {"grant_type": "password", "username": "bench-admin", "password": password}
        token = httpx.post(url + "/api/v1/auth/token", data=form).json()["access_token"]
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as api:
            measure(api, env["DATABASE_URL"])
    finally:
        scale.stop(server)


if __name__ == "__main__":
    main()
