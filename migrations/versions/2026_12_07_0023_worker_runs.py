"""notifications: e-mail retries with backoff, and the worker's own bookkeeping

`notifications.email_next_attempt_at`: a failed e-mail waits until then (exponential backoff)
before the worker tries it again. `worker_runs`: when the worker last completed a task (how far
back the next round looks at registration events and audit events; when the daily retention
pruning last ran).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pembina.kit.db

revision: str = '0023'
down_revision: str | Sequence[str] | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('notifications', sa.Column('email_next_attempt_at', pembina.kit.db.UTCDateTime(), nullable=True))
    op.create_table(
        'worker_runs',
        sa.Column('task', sa.String(length=40), nullable=False),
        sa.Column('done_at', pembina.kit.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('task', name=op.f('pk_worker_runs')),
    )


def downgrade() -> None:
    op.drop_table('worker_runs')
    op.drop_column('notifications', 'email_next_attempt_at')
