"""Text search at national scale: `make bench` (or `python -m benchmarks.search`).

1. The scale benchmark's PostgreSQL database (`benchmarks/scale.py`: the 91,599 real regions and
   `pembina seed-synthetic --posyandu N`, PEMBINA_BENCH_POSYANDU, default 300,000; kept between
   runs in PEMBINA_BENCH_SCALE_DB). With PEMBINA_BENCH_SEARCH_SQLITE=<file> the same on a SQLite
   file instead (kept too; seeded when it does not hold N synthetic posyandu).
2. The real server (`pembina serve`, one worker), and one request at a time (one connection):
   for each searchable list (posyandu, regions, teams, decrees, meetings), PEMBINA_BENCH_SEARCH_REQUESTS
   national searches (default 200) as a national admin, cycling through a handful of queries of
   3+ characters (accented and upper case among them); then the 1-2 character queries, which no
   trigram index serves, apart. Client-side latency, p50/p95.

Figures, not a pass/fail test (goal: p95 under 20 ms for each kind at 300,000 posyandu). The
synthetic data has no meetings: their figure is that of an empty table.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
import uuid

import httpx
from sqlalchemy import create_engine, text

from benchmarks import scale

PORT = int(os.environ.get("PEMBINA_BENCH_PORT", "8300")) + 2
REQUESTS = int(os.environ.get("PEMBINA_BENCH_SEARCH_REQUESTS", "200"))
SQLITE = os.environ.get("PEMBINA_BENCH_SEARCH_SQLITE")

#: (kind, list path, queries of 3+ characters): what people type, matching many rows or few
SEARCHES = [
    ("posyandu", "/api/v1/posyandu", ["seruni", "Mawar 12", "KENANGA 3 SUKA", "sintetis-00012", "anggrek 7 kalis", "xyzzy"]),
    ("regions", "/api/v1/regions", ["pekalongan", "Sukamaju", "KOTA SE", "mekar", "jaya utara", "xyzzy"]),
    ("teams", "/api/v1/teams", ["tp posyandu kota", "Pekalongan", "kecamatan suka", "desa mekar", "xyzzy"]),
    ("decrees", "/api/v1/decrees", ["12/sk-tpp", "pembentukan", "SK-TPP/2025", "1234/", "xyzzy"]),
    ("meetings", "/api/v1/meetings", ["rakor", "koordinasi", "xyzzy"]),
]
SHORT = ["a", "ma", "Sé"]


def _url() -> str:
    return f"sqlite:///{os.path.abspath(SQLITE)}" if SQLITE else scale._database_url()


def prepare(env: dict[str, str]) -> None:
    if not SQLITE:
        scale.prepare(env)
        return
    scale._run(["migrate"], env)
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as c:
        regions = c.scalar(text("SELECT count(*) FROM regions"))
        posyandu = c.scalar(text("SELECT count(*) FROM posyandu WHERE name LIKE '[SINTETIS]%'"))
    engine.dispose()
    if regions != 91_599:
        scale._run(["load-regions", "--no-progress"], env)
    if posyandu != scale.POSYANDU:
        if posyandu:
            scale._run(["seed-synthetic", "--clear"], env)
        t0 = time.perf_counter()
        scale._run(["seed-synthetic", "--posyandu", str(scale.POSYANDU)], env)
        print(f"  seed-synthetic --posyandu {scale.POSYANDU:,}: {time.perf_counter() - t0:.1f} s")


def _time(api: httpx.Client, path: str, queries: list[str], n: int) -> tuple[list[float], int]:
    """`n` searches one after another, cycling through `queries`: latencies (ms) and the hits of
    the last round (the totals, summed over the queries)."""
    times: list[float] = []
    hits: dict[str, int] = {}
    for q in queries:  # warm up: one of each
        api.get(path, params={"q": q})
    for i in range(n):
        q = queries[i % len(queries)]
        t0 = time.perf_counter()
        r = api.get(path, params={"q": q})
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (path, q, r.status_code, r.text[:300])
        hits[q] = r.json()["total"]
    return times, sum(hits.values())


def _p(times: list[float], pct: int) -> float:
    if len(times) < 2:
        return times[0] if times else 0.0
    return statistics.quantiles(times, n=100)[pct - 1]


def main() -> None:
    env = scale._env(_url())
    where = f"SQLite ({SQLITE})" if SQLITE else f"PostgreSQL ({scale.DB_NAME})"
    print(f"Text search on {where}: one request at a time, {REQUESTS} per kind, uvicorn 1 worker")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores; server and client share it")
    prepare(env)
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as c:
        sizes = {t: c.scalar(text(f"SELECT count(*) FROM {t}")) for t in ("posyandu", "regions", "teams", "decrees", "meetings")}
    engine.dispose()
    password = uuid.uuid4().hex
    scale._bench_admin(env, password)
    url = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen(
        [str(scale.BIN / "pembina"), "serve", "--host", "127.0.0.1", "--port", str(PORT), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    rows = []
    try:
        scale._wait(url, server)
        token = httpx.post(
            url + "/api/v1/auth/token", data={"grant_type": "password", "username": "bench-admin", "password": password}
        ).json()["access_token"]
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as api:
            for kind, path, queries in SEARCHES:
                times, hits = _time(api, path, queries, REQUESTS)
                rows.append((kind, sizes[kind], len(queries), hits, times))
            for kind, path, _ in SEARCHES:
                times, hits = _time(api, path, SHORT, max(len(SHORT), REQUESTS // 10))
                rows.append((f"{kind}, 1-2 characters", sizes[kind], len(SHORT), hits, times))
    finally:
        scale.stop(server)
    print(f"  {'search':<32} {'rows':>9} {'queries':>8} {'hits':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for label, size, nq, hits, times in rows:
        print(f"  {label:<32} {size:9,d} {nq:8d} {hits:9,d} {_p(times, 50):8.1f} {_p(times, 95):8.1f}")
    print("  goal: p95 under 20 ms for each kind (queries of 3+ characters):")
    for label, _, _, _, times in rows[: len(SEARCHES)]:
        p95 = _p(times, 95)
        print(f"    {label}: {p95:.1f} ms — {'met' if p95 < 20 else 'MISSED'}")


if __name__ == "__main__":
    main()
