"""Migrations: upgrade from nothing, match the models exactly, downgrade cleanly, upgrade again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from pembina import migrate
from pembina.models import Base


def _diff(conn):
    ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"})
    return compare_metadata(ctx, Base.metadata)


def test_single_head():
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; add a merge revision"


def test_upgrade_matches_models_and_downgrade_is_clean(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert _diff(conn) == [], "models and migrations disagree: write a migration"
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert _diff(conn) == []
