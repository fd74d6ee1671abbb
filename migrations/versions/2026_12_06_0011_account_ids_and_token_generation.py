"""account ids never repeat (SQLite AUTOINCREMENT) and tokens carry a credential generation

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:00:00

users and api_clients get `token_generation` (every token carries it as "gen"; bumping it ends
every earlier token). On SQLite both tables are rebuilt with AUTOINCREMENT, so the id of a
deleted account is never given to the next one (a token or an audit actor naming "user:13"
would otherwise name whoever is created next); copying the rows with their ids sets
sqlite_sequence to the current highest id. PostgreSQL's sequences never hand an id out twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("users", "api_clients")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _keep_creators() -> None:
    # Rebuilding `users` drops the old table, and with foreign keys on SQLite's implicit
    # DELETE would SET NULL api_clients.created_by_user_id (PRAGMA foreign_keys cannot be
    # turned off inside the migration's transaction): keep them aside and put them back.
    op.execute("CREATE TEMP TABLE _pembina_creators AS SELECT id, created_by_user_id FROM api_clients WHERE created_by_user_id IS NOT NULL")


def _restore_creators() -> None:
    op.execute(
        "UPDATE api_clients SET created_by_user_id = (SELECT c.created_by_user_id FROM _pembina_creators c WHERE c.id = api_clients.id) "
        "WHERE id IN (SELECT id FROM _pembina_creators)"
    )
    op.execute("DROP TABLE _pembina_creators")


def upgrade() -> None:
    if not _sqlite():
        for table in TABLES:
            op.add_column(table, sa.Column('token_generation', sa.Integer(), server_default='1', nullable=False))
        return
    _keep_creators()
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.add_column(sa.Column('token_generation', sa.Integer(), server_default='1', nullable=False))
    _restore_creators()


def downgrade() -> None:
    if not _sqlite():
        for table in reversed(TABLES):
            op.drop_column(table, 'token_generation')
        return
    _keep_creators()
    for table in reversed(TABLES):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}) as batch_op:
            batch_op.drop_column('token_generation')
    _restore_creators()
