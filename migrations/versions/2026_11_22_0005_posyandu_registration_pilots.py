"""posyandu registration pilots

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-22 19:02:00.300133
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import pembina.kit.db

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registration_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', pembina.kit.db.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_registration_batches_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_batches'))
    )
    with op.batch_alter_table('registration_batches', schema=None) as batch_op:
        batch_op.create_index('ix_registration_batches_region_code', ['region_code'], unique=False)

    op.create_table('posyandu',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rw', sa.String(length=8), nullable=True),
    sa.Column('rt', sa.String(length=8), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('pengurus_count', sa.Integer(), nullable=False),
    sa.Column('kader_count', sa.Integer(), nullable=False),
    sa.Column('stratum', sa.String(length=32), nullable=True),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('spm_mask', sa.SmallInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('registration_status', sa.String(length=16), nullable=False),
    sa.Column('registration_number', sa.String(length=64), nullable=True),
    sa.Column('registered_at', pembina.kit.db.UTCDateTime(), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['registration_batches.id'], name=op.f('fk_posyandu_batch_id_registration_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_posyandu_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posyandu')),
    sa.UniqueConstraint('registration_number', name=op.f('uq_posyandu_registration_number'))
    )
    with op.batch_alter_table('posyandu', schema=None) as batch_op:
        batch_op.create_index('ix_posyandu_batch_id', ['batch_id'], unique=False)
        batch_op.create_index('ix_posyandu_name', ['name'], unique=False)
        batch_op.create_index('ix_posyandu_region_code', ['region_code'], unique=False)
        batch_op.create_index('ix_posyandu_registration_status_region_code', ['registration_status', 'region_code'], unique=False)

    op.create_table('pilot_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('scorecard', sa.JSON(), nullable=False),
    sa.Column('good_practices', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_pilot_sites_posyandu_id_posyandu')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_pilot_sites_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_sites')),
    sa.UniqueConstraint('posyandu_id', 'start_date', name=op.f('uq_pilot_sites_posyandu_id_start_date'))
    )
    with op.batch_alter_table('pilot_sites', schema=None) as batch_op:
        batch_op.create_index('ix_pilot_sites_region_code', ['region_code'], unique=False)

    op.create_table('posyandu_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('doc_type', sa.String(length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=True),
    sa.Column('uploaded_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_posyandu_documents_posyandu_id_posyandu'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posyandu_documents'))
    )
    with op.batch_alter_table('posyandu_documents', schema=None) as batch_op:
        batch_op.create_index('ix_posyandu_documents_posyandu_id', ['posyandu_id'], unique=False)

    op.create_table('posyandu_registration_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('registration_number', sa.String(length=64), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('occurred_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_posyandu_registration_events_posyandu_id_posyandu'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posyandu_registration_events'))
    )
    with op.batch_alter_table('posyandu_registration_events', schema=None) as batch_op:
        batch_op.create_index('ix_posyandu_registration_events_posyandu_id', ['posyandu_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('posyandu_registration_events', schema=None) as batch_op:
        batch_op.drop_index('ix_posyandu_registration_events_posyandu_id')

    op.drop_table('posyandu_registration_events')
    with op.batch_alter_table('posyandu_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_posyandu_documents_posyandu_id')

    op.drop_table('posyandu_documents')
    with op.batch_alter_table('pilot_sites', schema=None) as batch_op:
        batch_op.drop_index('ix_pilot_sites_region_code')

    op.drop_table('pilot_sites')
    with op.batch_alter_table('posyandu', schema=None) as batch_op:
        batch_op.drop_index('ix_posyandu_registration_status_region_code')
        batch_op.drop_index('ix_posyandu_region_code')
        batch_op.drop_index('ix_posyandu_name')
        batch_op.drop_index('ix_posyandu_batch_id')

    op.drop_table('posyandu')
    with op.batch_alter_table('registration_batches', schema=None) as batch_op:
        batch_op.drop_index('ix_registration_batches_region_code')

    op.drop_table('registration_batches')
