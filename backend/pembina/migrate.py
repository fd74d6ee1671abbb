"""Run Alembic from code (CLI, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from pembina.config import PROJECT_ROOT


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def upgrade(connection: Connection | None = None, revision: str = "heads") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(connection), revision)
