"""Posyandu import benchmark: a 300,000-row file over real villages (CSV and XLSX), dry run,
commit and an idempotent re-commit through pembina.imports, on PostgreSQL and SQLite, with the
process's peak RSS, and a raw PostgreSQL COPY of the same CSV as the floor.

Rows: PEMBINA_BENCH_IMPORT_ROWS (default 300000); databases: PEMBINA_BENCH_IMPORT_DBS (default
"postgresql,sqlite"). Goal: a commit well under 60 s on PostgreSQL
(aimed at 30 s); the last lines say whether this run met it.

Peak RSS is the process's high-water mark, so each figure is the largest so far: the CSV imports
stay flat (read as a stream), the XLSX dry run shows python-calamine's whole-sheet load."""

from __future__ import annotations

import csv
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from pembina import migrate
from pembina.kit.roles import Role
from pembina.kit.db import make_engine
from pembina.imports import bulk_posyandu
from pembina.imports import service as imports
from pembina.imports.columns import POSYANDU
from pembina.imports.schemas import ImportKind, ImportMode
from pembina.posyandu.catalog import SPM_FIELDS, catalog, strata
from pembina.regions.loader import load_regions
from pembina.regions.models import Region
from pembina.kit.scope import Principal

PG_URL = os.environ.get("PEMBINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROWS = int(os.environ.get("PEMBINA_BENCH_IMPORT_ROWS", "300000"))
#: Which databases to run on (comma-separated: postgresql, sqlite).
DATABASES = os.environ.get("PEMBINA_BENCH_IMPORT_DBS", "postgresql,sqlite").split(",")
NATIONAL = Principal(kind="system", id=0, name="benchmark", role=Role.national_admin, region_code=None)
NAMES = ["Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka", "Seruni", "Dahlia", "Flamboyan", "Teratai", "Bougenville"]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(villages: list[str], n: int) -> Iterator[list[str]]:
    rnd = random.Random(7)
    cat = catalog()
    levels = strata()
    for i in range(n):
        village = villages[i % len(villages)]
        services = [";".join(rnd.sample(list(cat[f]), k=rnd.randint(0, 2))) for f in SPM_FIELDS]
        yield [
            village,
            f"Posyandu {NAMES[i % len(NAMES)]} {i // len(villages) + 1}",
            f"{rnd.randint(1, 20):02d}",
            f"{rnd.randint(1, 15):02d}",
            f"Jl. Posyandu No. {i % 97 + 1}",
            f"{rnd.uniform(-8, 5):.5f}",
            f"{rnd.uniform(95, 141):.5f}",
            rnd.choice(["true", "true", "false"]),
            rnd.choice(levels),
            str(rnd.randint(3, 12)),
            str(rnd.randint(5, 30)),
            *services,
            "",
        ]


def write_files(villages: list[str], folder: Path) -> tuple[Path, Path]:
    import xlsxwriter

    header = [c.name for c in POSYANDU]
    csv_path, xlsx_path = folder / "posyandu.csv", folder / "posyandu.xlsx"
    with csv_path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(_rows(villages, ROWS))
    wb = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for r, row in enumerate(_rows(villages, ROWS), start=1):
        ws.write_row(r, 0, row)
    wb.close()
    return csv_path, xlsx_path


@contextmanager
def scratch_databases(folder: Path) -> Iterator[list[tuple[str, str]]]:
    urls = [("PostgreSQL", ""), ("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}")]
    if "sqlite" not in DATABASES:
        urls.pop()
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pembina_bench_{uuid.uuid4().hex[:8]}"
    try:
        if "postgresql" not in DATABASES:
            raise RuntimeError("left out (PEMBINA_BENCH_IMPORT_DBS)")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        urls[0] = ("PostgreSQL", make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    except Exception as e:  # noqa: BLE001
        print(
            f"  PostgreSQL left out: {str(e).splitlines()[0]}"
            if "postgresql" not in DATABASES
            else f"  PostgreSQL not reachable at {PG_URL}: {str(e).splitlines()[0]}"
        )
        urls.pop(0)
    try:
        yield urls
    finally:
        if urls and urls[0][0] == "PostgreSQL":
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


RESULTS: dict[tuple[str, str], float] = {}
#: Seconds spent in each step of the bulk posyandu path during the current import.
PHASES: dict[str, float] = {}
#: The steps timed: streaming the file into the staging table (reading, cell checks, COPY),
#: matching rows to posyandu, and (commit) the region counters and the writes with their audit
#: events (apply includes the counters).
_STEPS = ["load_stage", "match", "classify", "_adjust_counters", "apply"]


def _time_steps() -> None:
    """Wrap the bulk path's steps (module functions the service calls) with timers."""
    for name in _STEPS:
        fn = getattr(bulk_posyandu, name)

        def timed(*args: Any, _fn: Callable[..., Any] = fn, _name: str = name, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _fn(*args, **kwargs)
            finally:
                PHASES[_name] = PHASES.get(_name, 0.0) + time.perf_counter() - t0

        setattr(bulk_posyandu, name, timed)


def _phases() -> str:
    if not PHASES:
        return ""
    p = dict(PHASES)
    if "apply" in p:
        counters = p.pop("_adjust_counters", 0.0)
        p["apply"] -= counters
        p["counters"] = counters
    p.pop("_adjust_counters", None)
    labels = {
        "load_stage": "read+check+stage",
        "match": "match",
        "classify": "classify",
        "counters": "counters",
        "apply": "insert/update+audit",
    }
    return "      steps: " + ", ".join(f"{labels[k]} {v:.1f} s" for k, v in p.items())


#: The goal: a 300,000-row commit on PostgreSQL well under a minute; aimed at 30 s.
GOAL_S, AIM_S = 60.0, 30.0


def _timed(db: str, label: str, fn: Callable[[], str]) -> None:
    PHASES.clear()
    t0 = time.perf_counter()
    outcome = fn()
    elapsed = time.perf_counter() - t0
    RESULTS[(db, label)] = elapsed
    print(f"    {label:<28} {elapsed:7.2f} s   {outcome:<46} peak RSS so far {peak_rss_mib():6.0f} MiB")
    if steps := _phases():
        print(steps)


def _verdict() -> None:
    commit = RESULTS.get(("PostgreSQL", "CSV commit"))
    if commit is None:
        print("  goal: not measured (no PostgreSQL)")
        return
    if ROWS != 300_000:
        print(f"  goal: judged on 300,000 rows only (this run: {ROWS:,} rows, commit {commit:.1f} s)")
        return
    verdict = "met" if commit < GOAL_S else "NOT met"
    aim = "within" if commit <= AIM_S else "above"
    print(
        f"  goal: a 300,000-row commit on PostgreSQL well under {GOAL_S:.0f} s (aim {AIM_S:.0f} s): {commit:.1f} s, {verdict}; {aim} the aim"
    )
    recommit, dry = RESULTS.get(("PostgreSQL", "CSV re-commit (idempotent)")), RESULTS.get(("PostgreSQL", "CSV dry run"))
    if recommit is not None and dry is not None:
        print(
            f"        re-commit {recommit:.1f} s and dry run {dry:.1f} s ({'both faster than the commit' if max(recommit, dry) < commit else 'not both faster than the commit'})"
        )


def _import(engine: Engine, path: Path, mode: ImportMode) -> str:
    with Session(engine) as session, session.begin(), path.open("rb") as f:
        session.info["actor"] = "system:bench"
        r = imports.run(session, NATIONAL, ImportKind.posyandu, mode, f, path.name)
    return f"{r.rows:,} rows: {r.created:,} new, {r.updated:,} upd, {r.unchanged:,} same"


def _raw_copy(engine: Engine, path: Path) -> str:
    cols = ", ".join(f'"{c.name}" text' for c in POSYANDU)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE UNLOGGED TABLE copy_reference ({cols})")
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy("COPY copy_reference FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, path.open("rb") as f:  # type: ignore[union-attr]
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        n = conn.exec_driver_sql("SELECT count(*) FROM copy_reference").scalar()
        conn.exec_driver_sql("DROP TABLE copy_reference")
    return f"{n:,} rows as text, no checks"


def main() -> None:
    _time_steps()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Posyandu import ({ROWS:,} rows over real villages; dry run, commit, re-commit of the same file; load average {load} on {os.cpu_count()} cores)"
    )
    with tempfile.TemporaryDirectory() as tmp, scratch_databases(Path(tmp)) as urls:
        files: tuple[Path, Path] | None = None
        for label, url in urls:
            engine = make_engine(url)
            try:
                with engine.begin() as conn:
                    migrate.upgrade(conn)
                    load_regions(conn, progress=False)
                if files is None:
                    with Session(engine) as s:
                        villages = list(s.scalars(select(Region.code).where(Region.level == 4).order_by(Region.code)))
                    t0 = time.perf_counter()
                    files = write_files(villages, Path(tmp))
                    sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size / 2**20:.0f} MiB" for p in files)
                    print(
                        f"  files written in {time.perf_counter() - t0:.1f} s ({sizes}); peak RSS before importing {peak_rss_mib():.0f} MiB"
                    )
                csv_path, xlsx_path = files
                print(f"  {label}")
                _timed(label, "CSV dry run", lambda: _import(engine, csv_path, ImportMode.dry_run))
                _timed(label, "CSV commit", lambda: _import(engine, csv_path, ImportMode.commit))
                _timed(label, "CSV re-commit (idempotent)", lambda: _import(engine, csv_path, ImportMode.commit))
                _timed(label, "XLSX dry run", lambda: _import(engine, xlsx_path, ImportMode.dry_run))
                if label == "PostgreSQL":
                    _timed(label, "raw COPY of the CSV (floor)", lambda: _raw_copy(engine, csv_path))
            finally:
                engine.dispose()
    _verdict()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average at the end: {load}")


if __name__ == "__main__":
    main()
