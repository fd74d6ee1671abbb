"""budgets and work programs: team budgets, allocations, realizations; work programs and their links to allocations

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-30 14:36:13.068784
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import pembina.kit.db

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('fiscal_year', sa.SmallInteger(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('total_amount', sa.BigInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_budgets_region_code_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_budgets_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('team_id', 'fiscal_year', 'source', name=op.f('uq_budgets_team_id_fiscal_year_source'))
    )
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.create_index('ix_budgets_region_code_fiscal_year', ['region_code', 'fiscal_year'], unique=False)

    op.create_table('work_programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('spm_field', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('person_in_charge', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_work_programs_region_code_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_work_programs_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_programs'))
    )
    with op.batch_alter_table('work_programs', schema=None) as batch_op:
        batch_op.create_index('ix_work_programs_region_code_year', ['region_code', 'year'], unique=False)
        batch_op.create_index('ix_work_programs_team_id', ['team_id'], unique=False)

    op.create_table('budget_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('activity', sa.String(length=300), nullable=False),
    sa.Column('spm_field', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_budget_allocations_budget_id_budgets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_allocations'))
    )
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.create_index('ix_budget_allocations_budget_id', ['budget_id'], unique=False)
        batch_op.create_index('ix_budget_allocations_region_code', ['region_code'], unique=False)

    op.create_table('budget_realizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('realized_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('overrun', sa.Boolean(), nullable=False),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['budget_allocations.id'], name=op.f('fk_budget_realizations_allocation_id_budget_allocations')),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_budget_realizations_budget_id_budgets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_realizations'))
    )
    with op.batch_alter_table('budget_realizations', schema=None) as batch_op:
        batch_op.create_index('ix_budget_realizations_allocation_id_realized_on', ['allocation_id', 'realized_on'], unique=False)
        batch_op.create_index('ix_budget_realizations_budget_id', ['budget_id'], unique=False)

    op.create_table('work_program_allocations',
    sa.Column('work_program_id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['budget_allocations.id'], name=op.f('fk_work_program_allocations_allocation_id_budget_allocations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_program_id'], ['work_programs.id'], name=op.f('fk_work_program_allocations_work_program_id_work_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_program_id', 'allocation_id', name=op.f('pk_work_program_allocations'))
    )
    with op.batch_alter_table('work_program_allocations', schema=None) as batch_op:
        batch_op.create_index('ix_work_program_allocations_allocation_id', ['allocation_id'], unique=False)


def downgrade() -> None:
    # The per-region budget counters (pembina.budgets.counters) go with the tables.
    op.execute("DELETE FROM region_stats WHERE metric LIKE 'budget.%'")
    with op.batch_alter_table('work_program_allocations', schema=None) as batch_op:
        batch_op.drop_index('ix_work_program_allocations_allocation_id')

    op.drop_table('work_program_allocations')
    with op.batch_alter_table('budget_realizations', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_realizations_budget_id')
        batch_op.drop_index('ix_budget_realizations_allocation_id_realized_on')

    op.drop_table('budget_realizations')
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_allocations_region_code')
        batch_op.drop_index('ix_budget_allocations_budget_id')

    op.drop_table('budget_allocations')
    with op.batch_alter_table('work_programs', schema=None) as batch_op:
        batch_op.drop_index('ix_work_programs_team_id')
        batch_op.drop_index('ix_work_programs_region_code_year')

    op.drop_table('work_programs')
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_index('ix_budgets_region_code_fiscal_year')

    op.drop_table('budgets')
