"""provenance: where a demo record's facts come from (a seed article, or an illustration)

One table keyed by the record's table name and id (`pembina.kit.provenance`), so that the domain
tables carry no column for it: the demo loader writes a row for each record it creates, the read
models show it as `provenance`, and records entered by users have none. The downgrade drops it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'provenance',
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('seed', 'illustrative')", name=op.f('ck_provenance_kind')),
        sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_provenance')),
    )


def downgrade() -> None:
    op.drop_table('provenance')
