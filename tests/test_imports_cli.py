"""`pembina import KIND FILE [--dry-run] [--as-user USERNAME]` against each backend (real commits,
cleaned up afterwards): all or nothing, a non-zero exit on errors, idempotent re-runs, and the
user's region applies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pembina.kit import db as pembina_db
from pembina.audit.models import AuditEvent
from pembina.kit.roles import Role
from pembina.auth.security import hash_secret
from pembina.cli import app
from pembina.config import get_settings
from pembina.posyandu.models import Posyandu
from pembina.stats import service as stats
from pembina.users.models import User

TAG = uuid.uuid4().hex[:6]
GOOD = f"region_code,name,kader_count,kesehatan\n33.75.02.1008,Posyandu Seruni {TAG},10,imunisasi\n33.75.01.1006,Posyandu Cempaka {TAG},12,kb;pmt\n"
OUTSIDE = GOOD + f"36.73.03.1014,Posyandu Serang {TAG},5,\n"


def _reset_caches() -> None:
    get_settings.cache_clear()
    pembina_db.get_engine.cache_clear()
    pembina_db.get_sessionmaker.cache_clear()


@pytest.fixture
def cli_db(database, monkeypatch) -> Iterator[Session]:
    """The CLI pointed at the test database; whatever it commits is removed afterwards."""
    monkeypatch.setenv("DATABASE_URL", database.url)
    _reset_caches()
    with Session(database.engine) as s:
        first_event = s.scalar(select(func.max(AuditEvent.id))) or 0
    with Session(database.engine) as s, s.begin():
        s.add(
            User(
                username=f"cli-{TAG}",
                full_name="DPMPPA Kota Pekalongan",
                role=Role.regency_coordinator.value,
                region_code="33.75",
                password_hash=hash_secret("rahasia-sekali-123"),
            )
        )
    try:
        with Session(database.engine) as s:
            yield s
    finally:
        pembina_db.get_engine().dispose()
        _reset_caches()
        with Session(database.engine) as s, s.begin():
            s.execute(delete(Posyandu).where(Posyandu.name.like(f"% {TAG}")))
            s.execute(delete(User).where(User.username == f"cli-{TAG}"))
            s.execute(delete(AuditEvent).where(AuditEvent.id > first_event))
            stats.rebuild(s)


def count(s: Session) -> int:
    s.rollback()  # a fresh snapshot (SQLite WAL readers keep theirs)
    return s.scalar(select(func.count()).select_from(Posyandu).where(Posyandu.name.like(f"% {TAG}"))) or 0


def test_cli_import(cli_db: Session, tmp_path: Path):
    runner = CliRunner()
    outside, good = tmp_path / "outside.csv", tmp_path / "good.csv"
    outside.write_text(OUTSIDE)
    good.write_text(GOOD)

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["import", *args])

    r = run("posyandu", str(outside), "--as-user", f"cli-{TAG}")
    assert r.exit_code == 1, r.output
    assert "outside your region" in r.output and '"row": 4' in r.output
    assert count(cli_db) == 0

    r = run("posyandu", str(good), "--dry-run", "--as-user", f"cli-{TAG}")
    assert r.exit_code == 0, r.output
    assert "2 rows: 2 created, 0 updated, 0 unchanged (would write)" in r.output
    assert count(cli_db) == 0

    r = run("posyandu", str(good), "--as-user", f"cli-{TAG}")
    assert r.exit_code == 0, r.output
    assert "2 rows: 2 created" in r.output and "posyandu rows" in r.output  # with its progress bar
    assert count(cli_db) == 2
    summary = cli_db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "imports").order_by(AuditEvent.id.desc())).first()
    assert summary is not None and summary.actor.startswith("user:") and summary.after["created"] == 2

    r = run("posyandu", str(good))  # the system, nationally
    assert r.exit_code == 0 and "0 created, 0 updated, 2 unchanged" in r.output, r.output
    r = run("posyandu", str(outside))
    assert r.exit_code == 0 and "1 created, 0 updated, 2 unchanged" in r.output, r.output
    assert count(cli_db) == 3

    assert run("budgets", str(good)).exit_code == 2
    assert run("posyandu", str(good), "--as-user", "nobody").exit_code == 2
