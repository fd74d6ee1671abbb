"""an API client's last use in a table of its own: api_client_usage

Getting a token wrote `api_clients.last_used_at`, a column of the versioned record that the
audit trail snapshots with every edit. It now lives in `api_client_usage` (one row per client
that has had a token, ON DELETE CASCADE with the client), written by an upsert that is no edit
of the client: its version (ETag), audit trail and change feed change only when someone edits
it. The existing values move over; the downgrade moves them back.

SQLite drops and re-adds the column in place (ALTER TABLE ... DROP/ADD COLUMN; nothing indexes
or references it): rebuilding `api_clients` in batch mode is not needed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pembina.kit.db

revision: str = '0016'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_client_usage',
    sa.Column('api_client_id', sa.Integer(), nullable=False),
    sa.Column('last_used_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['api_client_id'], ['api_clients.id'], name=op.f('fk_api_client_usage_api_client_id_api_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('api_client_id', name=op.f('pk_api_client_usage'))
    )
    op.execute(
        'INSERT INTO api_client_usage (api_client_id, last_used_at) '
        'SELECT id, last_used_at FROM api_clients WHERE last_used_at IS NOT NULL'
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE api_clients DROP COLUMN last_used_at')
    else:
        op.drop_column('api_clients', 'last_used_at')


def downgrade() -> None:
    op.add_column('api_clients', sa.Column('last_used_at', pembina.kit.db.UTCDateTime(), nullable=True))
    op.execute(
        'UPDATE api_clients SET last_used_at = '
        '(SELECT u.last_used_at FROM api_client_usage u WHERE u.api_client_id = api_clients.id)'
    )
    op.drop_table('api_client_usage')
