"""legal references (seeded), meetings with attachments and follow-ups, competitions with entrants

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 14:35:59.562094
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


import pembina.kit.db

#: The national regulations on posyandu and TP Posyandu that the seed articles cite, and the laws they rest on.
LEGAL_REFERENCES = [
    ("uu", "17", 2023, "Kesehatan"),
    ("uu", "23", 2014, "Pemerintahan Daerah"),
    ("uu", "6", 2014, "Desa"),
    ("pp", "2", 2018, "Standar Pelayanan Minimal"),
    ("perpres", "72", 2021, "Percepatan Penurunan Stunting"),
    ("permendagri", "18", 2018, "Lembaga Kemasyarakatan Desa dan Lembaga Adat Desa"),
    ("permenkes", "8", 2019, "Pemberdayaan Masyarakat Bidang Kesehatan"),
    ("permendagri", "59", 2021, "Penerapan Standar Pelayanan Minimal"),
    ("permendagri", "13", 2024, "Pos Pelayanan Terpadu"),
]

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    legal = op.create_table('legal_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_references')),
    sa.UniqueConstraint('kind', 'number', 'year', name=op.f('uq_legal_references_kind_number_year'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(legal, [
        {"kind": k, "number": n, "year": y, "title": t, "issuer": None, "notes": None, "created_at": now, "updated_at": now, "version": 1}
        for k, n, y, t in LEGAL_REFERENCES
    ])
    op.create_table('competitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('prizes', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('finalized_at', pembina.kit.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_competitions_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.create_index('ix_competitions_region_code_year', ['region_code', 'year'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('organizer', sa.String(length=200), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('participant_count', sa.Integer(), nullable=True),
    sa.Column('institutions', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('speakers', sa.JSON(), nullable=False),
    sa.Column('funding_source', sa.String(length=32), nullable=True),
    sa.Column('funding_year', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_meetings_region_code_regions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_meetings_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_region_code_held_on', ['region_code', 'held_on'], unique=False)
        batch_op.create_index('ix_meetings_team_id', ['team_id'], unique=False)

    op.create_table('competition_entrants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('posyandu_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('entrant_region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('final_rank', sa.SmallInteger(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_entrants_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posyandu_id'], ['posyandu.id'], name=op.f('fk_competition_entrants_posyandu_id_posyandu')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_competition_entrants_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_entrants')),
    sa.UniqueConstraint('competition_id', 'posyandu_id', name=op.f('uq_competition_entrants_competition_id_posyandu_id')),
    sa.UniqueConstraint('competition_id', 'team_id', name=op.f('uq_competition_entrants_competition_id_team_id'))
    )
    with op.batch_alter_table('competition_entrants', schema=None) as batch_op:
        batch_op.create_index('ix_competition_entrants_competition_id', ['competition_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_follow_ups_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_meeting_id', ['meeting_id'], unique=False)
        batch_op.create_index('ix_follow_ups_status_region_code_due_on', ['status', 'region_code', 'due_on'], unique=False)

    op.create_table('meeting_legal_bases',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('legal_reference_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['legal_reference_id'], ['legal_references.id'], name=op.f('fk_meeting_legal_bases_legal_reference_id_legal_references')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_legal_bases_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'legal_reference_id', name=op.f('pk_meeting_legal_bases'))
    )
    with op.batch_alter_table('meeting_legal_bases', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_legal_bases_legal_reference_id', ['legal_reference_id'], unique=False)

    op.create_table('meeting_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=True),
    sa.Column('uploaded_at', pembina.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attachments_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attachments'))
    )
    with op.batch_alter_table('meeting_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_attachments_meeting_id', ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_attachments_meeting_id')

    op.drop_table('meeting_attachments')
    with op.batch_alter_table('meeting_legal_bases', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_legal_bases_legal_reference_id')

    op.drop_table('meeting_legal_bases')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_status_region_code_due_on')
        batch_op.drop_index('ix_follow_ups_meeting_id')

    op.drop_table('follow_ups')
    with op.batch_alter_table('competition_entrants', schema=None) as batch_op:
        batch_op.drop_index('ix_competition_entrants_competition_id')

    op.drop_table('competition_entrants')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_team_id')
        batch_op.drop_index('ix_meetings_region_code_held_on')

    op.drop_table('meetings')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_index('ix_competitions_region_code_year')

    op.drop_table('competitions')
    op.drop_table('legal_references')
