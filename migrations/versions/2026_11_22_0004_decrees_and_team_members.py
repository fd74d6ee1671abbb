"""decrees and team members

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:57:30.351439
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import pembina.kit.db

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reporting_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_reporting_deadlines_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_deadlines')),
    sa.UniqueConstraint('region_code', 'year', name=op.f('uq_reporting_deadlines_region_code_year'))
    )
    op.create_table('decrees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('decree_date', sa.Date(), nullable=True),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('file_uploaded_at', pembina.kit.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_decrees_region_code_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_decrees_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decrees'))
    )
    with op.batch_alter_table('decrees', schema=None) as batch_op:
        batch_op.create_index('ix_decrees_region_code', ['region_code'], unique=False)
        batch_op.create_index('ix_decrees_subject_level_region_code', ['subject', 'level', 'region_code'], unique=False)
        batch_op.create_index('ix_decrees_team_id', ['team_id'], unique=False)

    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('position', sa.String(length=32), nullable=False),
    sa.Column('spm_field', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_members_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members'))
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index('ix_team_members_team_id', ['team_id'], unique=False)

    op.create_table('decree_files',
    sa.Column('decree_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['decree_id'], ['decrees.id'], name=op.f('fk_decree_files_decree_id_decrees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decree_id', name=op.f('pk_decree_files'))
    )
    op.create_table('decree_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decree_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('occurred_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decree_id'], ['decrees.id'], name=op.f('fk_decree_transitions_decree_id_decrees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decree_transitions'))
    )
    with op.batch_alter_table('decree_transitions', schema=None) as batch_op:
        batch_op.create_index('ix_decree_transitions_decree_id', ['decree_id'], unique=False)
        batch_op.create_index('ix_decree_transitions_subject_level_region_code', ['subject', 'level', 'region_code'], unique=False)

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('formed_on', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('formed_on')

    with op.batch_alter_table('decree_transitions', schema=None) as batch_op:
        batch_op.drop_index('ix_decree_transitions_subject_level_region_code')
        batch_op.drop_index('ix_decree_transitions_decree_id')

    op.drop_table('decree_transitions')
    op.drop_table('decree_files')
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index('ix_team_members_team_id')

    op.drop_table('team_members')
    with op.batch_alter_table('decrees', schema=None) as batch_op:
        batch_op.drop_index('ix_decrees_team_id')
        batch_op.drop_index('ix_decrees_subject_level_region_code')
        batch_op.drop_index('ix_decrees_region_code')

    op.drop_table('decrees')
    op.drop_table('reporting_deadlines')
