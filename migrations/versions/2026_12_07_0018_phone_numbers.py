"""phone numbers on accounts and team members

`users.phone` and `team_members.phone`: an Indonesian number in E.164 (+62...), normalised by
the API (pembina.kit.phones), nullable. Both databases add and drop the columns in place
(SQLite 3.35+ drops a column without rebuilding the table, so no cascade runs).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('phone', sa.String(length=32), nullable=True))
    op.add_column('team_members', sa.Column('phone', sa.String(length=32), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE team_members DROP COLUMN phone')
        op.execute('ALTER TABLE users DROP COLUMN phone')
    else:
        op.drop_column('team_members', 'phone')
        op.drop_column('users', 'phone')
