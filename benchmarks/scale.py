"""National scale under load: `make bench` (or `python -m benchmarks.scale`).

1. A PostgreSQL database with the 91,599 real regions and `pembina seed-synthetic --posyandu
   300000` (kept between runs in PEMBINA_BENCH_SCALE_DB, default `pembina_bench_scale`, beside
   PEMBINA_BENCH_PG_URL; re-seeded when it does not hold exactly that synthetic data).
2. The real server: `pembina serve --workers 2` (uvicorn) on 127.0.0.1:PEMBINA_BENCH_PORT (8300).
3. wrk at 64 connections (2 threads, PEMBINA_BENCH_SECONDS each, 10 by default) against /healthz
   and then, as a national admin, the national roll-up, a province compliance board, a filtered
   posyandu list page, one posyandu, and a write (POST a posyandu); each printed with its
   throughput as a ratio to /healthz measured in the same run, and p50/p95/p99 latency.
4. Write visibility: a write followed at once by the national roll-up must show it.
5. Memory: resident set size of each uvicorn worker after the load.

Prints the figures against the goals (DESIGN: roll-ups never aggregate the records: national
p95 under 10 ms; list pages at least 0.1 of /healthz; under 300 MB per worker). Figures, not a
pass/fail test: the machine's load changes them.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("PEMBINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = os.environ.get("PEMBINA_BENCH_SCALE_DB", "pembina_bench_scale")
PORT = int(os.environ.get("PEMBINA_BENCH_PORT", "8300"))
SECONDS = int(os.environ.get("PEMBINA_BENCH_SECONDS", "10"))
POSYANDU = int(os.environ.get("PEMBINA_BENCH_POSYANDU", "300000"))
CONNECTIONS = 64
PROVINCE = "33"  # Jawa Tengah: 35 regencies/cities, 8,562 villages

#: wrk prints one JSON line of figures at the end (latency in microseconds).
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
#: The same write, each to a village drawn at random from one per province (`villages`, comma-separated):
#: 64 writers spread over the country rather than queued on one village's counters.
WRK_POST_SPREAD = """
local list = {}
for v in string.gmatch(villages, "[^,]+") do table.insert(list, v) end
local n = 0
request = function()
  n = n + 1
  local village = list[math.random(1, #list)]
  local body = string.format('{"region_code": "%s", "name": "[SINTETIS] Posyandu beban %d-%d"}', village, math.random(1, 1000000000), n)
  return wrk.format("POST", "/api/v1/posyandu", {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
"""

WRK_POST = """
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"region_code": "%s", "name": "[SINTETIS] Posyandu beban %d-%d"}', village, math.random(1, 1000000000), n)
  return wrk.format("POST", "/api/v1/posyandu", {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
"""


@dataclass
class Result:
    label: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    non2xx: int


def _database_url() -> str:
    return make_url(PG_URL).set(database=DB_NAME).render_as_string(hide_password=False)


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "PEMBINA_JWT_SECRET": env.get("PEMBINA_JWT_SECRET") or uuid.uuid4().hex * 2})
    env.pop("CI", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([str(BIN / "pembina"), *args], env=env, check=True, capture_output=True, text=True)
    return out.stdout


def prepare(env: dict[str, str]) -> None:
    """The scale database: regions + exactly POSYANDU synthetic posyandu (kept between runs)."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if not c.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DB_NAME}):
            c.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    _run(["migrate"], env)
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as c:
        regions = c.scalar(text("SELECT count(*) FROM regions"))
        posyandu = c.scalar(
            text("SELECT count(*) FROM posyandu WHERE name LIKE '[SINTETIS] Posyandu %' AND name NOT LIKE '[SINTETIS] Posyandu beban%'")
        )
        others = c.scalar(text("SELECT count(*) FROM posyandu WHERE name LIKE '[SINTETIS] Posyandu beban%'"))
    engine.dispose()
    if regions != 91_599:
        t0 = time.perf_counter()
        _run(["load-regions", "--no-progress"], env)
        print(f"  regions loaded in {time.perf_counter() - t0:.1f} s")
    if posyandu != POSYANDU or others:
        if posyandu or others:
            _run(["seed-synthetic", "--clear"], env)
        t0 = time.perf_counter()
        _run(["seed-synthetic", "--posyandu", str(POSYANDU)], env)
        print(f"  seed-synthetic --posyandu {POSYANDU:,}: {time.perf_counter() - t0:.1f} s")
    else:
        print(f"  reusing {DB_NAME}: {POSYANDU:,} synthetic posyandu present")


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not come up")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own session (its workers too): SIGTERM, SIGKILL after 30 s."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wrk(
    url: str, label: str, headers: dict[str, str], script: str = "", variables: dict[str, str] | None = None, connections: int = CONNECTIONS
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        for k, v in (variables or {}).items():
            f.write(f"{k} = {json.dumps(v)}\n")
        f.write(script + WRK_REPORT)
        lua = f.name
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "10s", "-s", lua]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua)
    figures = json.loads(out.strip().splitlines()[-1])
    return Result(
        label,
        figures["requests"] / figures["seconds"],
        figures["p50"] / 1000,
        figures["p95"] / 1000,
        figures["p99"] / 1000,
        figures["errors"],
        figures["non2xx"],
    )


def _session(env: dict[str, str]):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    import pembina.models  # noqa: F401 - every table known to the metadata

    return Session(create_engine(env["DATABASE_URL"]))


def _bench_admin(env: dict[str, str], password: str) -> None:
    """A national admin for the load, with a fresh password each run."""
    from pembina.auth.security import hash_secret
    from pembina.users.models import User

    with _session(env) as session, session.begin():
        user = session.scalar(select(User).where(User.username == "bench-admin"))
        if user is None:
            session.add(
                User(
                    username="bench-admin",
                    full_name="Benchmark (national)",
                    role="national_admin",
                    region_code=None,
                    password_hash=hash_secret(password),
                )
            )
        else:
            user.password_hash = hash_secret(password)


def _remove_load_writes(env: dict[str, str]) -> int:
    """Delete the posyandu the write load created and take them out of the counters."""
    from collections import Counter

    from pembina.posyandu import counters
    from pembina.posyandu.models import Posyandu
    from pembina.stats import service as stats

    with _session(env) as session, session.begin():
        rows = session.scalars(select(Posyandu).where(Posyandu.name.startswith("[SINTETIS] Posyandu beban"))).all()
        by_region: dict[str, Counter[str]] = {}
        for p in rows:
            by_region.setdefault(p.region_code, Counter()).update(counters.of(p))
        for code, total in by_region.items():
            stats.adjust(session, code, {k: -v for k, v in total.items()})
        for p in rows:
            session.delete(p)
    return len(rows)


def _one_village_per_province(env: dict[str, str]) -> list[str]:
    """The first village (by code) of each province."""
    with _session(env) as session:
        rows = session.execute(text("SELECT min(code) FROM regions WHERE level = 4 GROUP BY substr(code, 1, 2) ORDER BY 1")).scalars()
        return [c for c in rows if c]


def _rss_mb(master: int) -> list[float]:
    """Resident set size of each worker (the children of uvicorn's supervisor)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    out = []
    for pid in children:
        if b"spawn_main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            continue  # multiprocessing's resource tracker, not a worker
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out.append(int(line.split()[1]) / 1024)
    return out


def main() -> None:
    if shutil.which("wrk") is None:
        print("wrk is not installed (make bench installs Debian's wrk): skipping the load benchmark")
        return
    url = f"http://127.0.0.1:{PORT}"
    env = _env(_database_url())
    print(f"National scale on PostgreSQL ({DB_NAME}): uvicorn 2 workers, wrk {CONNECTIONS} connections, {SECONDS} s per endpoint")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores; server and load generator share it")
    prepare(env)
    password = uuid.uuid4().hex
    _bench_admin(env, password)
    server = subprocess.Popen(
        [str(BIN / "pembina"), "serve", "--host", "127.0.0.1", "--port", str(PORT), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait(url, server)
        _bench(url, env, password, server.pid)
    finally:
        stop(server)
        removed = _remove_load_writes(env)
        print(f"  ({removed:,} posyandu written by the load removed again, with their counters)")


def _bench(url: str, env: dict[str, str], password: str, master: int) -> None:
    token = httpx.post(url + "/api/v1/auth/token", data={"grant_type": "password", "username": "bench-admin", "password": password}).json()[
        "access_token"
    ]
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=auth, timeout=30) as api:
        one = api.get("/api/v1/posyandu", params={"region": PROVINCE, "limit": 1}).json()["items"][0]
        village = one["region_code"]
        targets = [
            ("national roll-up", "/api/v1/regions/summary"),
            (f"province compliance board ({PROVINCE}, villages)", f"/api/v1/regions/{PROVINCE}/compliance?level=village&missing_limit=50"),
            ("posyandu list page (province, registered, 50)", f"/api/v1/posyandu?region={PROVINCE}&status=registered&limit=50"),
            ("one posyandu", f"/api/v1/posyandu/{one['id']}"),
            ("national budget roll-up (by SPM field)", "/api/v1/budgets/rollup?group_by=spm_field"),
        ]
        for _, path in targets:
            r = api.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        health = _wrk(url + "/healthz", "/healthz", {})
        results = [_wrk(url + path, label, auth) for label, path in targets]
        # the same requests one at a time: the server's own time, without 64-deep queueing
        single = [_wrk(url + path, label, auth, connections=1) for label, path in targets]
        results.append(
            _wrk(
                url + "/api/v1/posyandu",
                "write: POST a posyandu (one village)",
                {},
                WRK_POST,
                {"village": village, "auth": auth["Authorization"]},
            )
        )
        spread = _one_village_per_province(env)
        results.append(
            _wrk(
                url + "/api/v1/posyandu",
                f"write: POST a posyandu ({len(spread)} provinces)",
                {},
                WRK_POST_SPREAD,
                {"villages": ",".join(spread), "auth": auth["Authorization"]},
            )
        )
        # a write is in the very next roll-up: the counters move in the write's transaction
        # (first let the load's queued writes finish, so that only ours moves the count)
        before = -1
        for _ in range(60):
            now = api.get("/api/v1/regions/summary").json()["posyandu"]["count"]
            if now == before:
                break
            before = now
            time.sleep(1)
        created = api.post("/api/v1/posyandu", json={"region_code": village, "name": "[SINTETIS] Posyandu beban visibility"})
        after = api.get("/api/v1/regions/summary").json()["posyandu"]["count"]
        visible = created.status_code == 201 and after == before + 1
        rss = _rss_mb(master)

    print(f"  {'endpoint':<48} {'req/s':>8} {'÷healthz':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in [health, *results]:
        print(f"  {r.label:<48} {r.rps:8.0f} {r.rps / health.rps:9.2f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.p99_ms:8.1f} {r.errors:7d}")
    print(f"  one connection (no queueing): {'':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for r in single:
        print(f"  {r.label:<48} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.p99_ms:8.1f}")
    national, board, page, spread_writes = results[0], results[1], results[2], results[-1]
    print("  goals:")
    print(
        f"    national roll-up p95 < 10 ms: {single[0].p95_ms:.1f} ms alone — {'met' if single[0].p95_ms < 10 else 'MISSED'}; "
        f"{national.p95_ms:.1f} ms at {CONNECTIONS} connections — {'met' if national.p95_ms < 10 else 'MISSED'} (queueing on {os.cpu_count()} cores)"
    )
    print(
        f"    province board p95: {single[1].p95_ms:.1f} ms alone, {board.p95_ms:.1f} ms at {CONNECTIONS} connections (counters per child + the first 50 missing villages)"
    )
    budget = single[4]
    print(f"    national budget roll-up p95 < 10 ms alone: {budget.p95_ms:.1f} ms — {'met' if budget.p95_ms < 10 else 'MISSED'}")
    print(f"    list page ≥ 0.1 × healthz: {page.rps / health.rps:.2f} — {'met' if page.rps / health.rps >= 0.1 else 'MISSED'}")
    print(
        f"    writes from {CONNECTIONS} writers spread over the provinces ≥ 400/s: {spread_writes.rps:.0f}/s — "
        f"{'met' if spread_writes.rps >= 400 else 'MISSED'} ({spread_writes.errors + spread_writes.non2xx} errors or non-2xx)"
    )
    print(f"    write visible in the next roll-up: {'yes' if visible else 'NO'} ({before:,} → {after:,})")
    print(f"    memory per worker < 300 MB: {', '.join(f'{m:.0f} MB' for m in rss)} — {'met' if rss and max(rss) < 300 else 'MISSED'}")


if __name__ == "__main__":
    main()
