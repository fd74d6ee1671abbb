"""national records: teams, meetings and competitions held by the nation; month-precision dates

* A team, a meeting or a competition held by the nation (the national TP Posyandu, the Rakornas,
  a national competition) has no region: `region_code` becomes nullable on `teams`,
  `meetings`, `competitions` and on the children that keep their parent's region
  (`team_members`, `follow_ups`, `meeting_legal_bases`, `meeting_attachments`,
  `competition_entrants`). Their level is 0. `uq_teams_national_kind`: one national team of
  each kind (the unique (region_code, kind) constraint never compares NULLs).
  SQLite cannot alter a column's NOT NULL, and rebuilding these tables (batch mode) would drop
  them, which with foreign keys on cascades to their children (team members, follow-ups,
  entrants) or fails on RESTRICT references. Dropping a NOT NULL does not change the on-disk
  format, so the stored CREATE TABLE text is edited in place, as 0014 and 0015 did.
* `meetings.held_on_precision`: day | month (a date known only to its month is stored as the
  month's first day), added in place with the default 'day'.
* `meeting_attendances`: the regions that attended a meeting, with their participant counts.

The downgrade refuses while national records exist (NOT NULL could not be restored): delete
them first.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables whose region_code becomes nullable (a national record's, or its parent's).
TABLES = (
    'teams',
    'team_members',
    'meetings',
    'follow_ups',
    'meeting_legal_bases',
    'meeting_attachments',
    'competitions',
    'competition_entrants',
)
_NOT_NULL = '\tregion_code VARCHAR(20) NOT NULL, '
_NULL = '\tregion_code VARCHAR(20), '
_CODE = sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql')
_NATIONAL = sa.text('region_code IS NULL')


def _sqlite_rewrite(old: str, new: str) -> None:
    conn = op.get_bind()
    version = conn.exec_driver_sql('PRAGMA schema_version').scalar()
    conn.exec_driver_sql('PRAGMA writable_schema=ON')
    try:
        for table in TABLES:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
            if sql is None or sql.count(f'\n{old}') != 1:
                raise RuntimeError(f'{table}: the region_code column is not as expected ({old!r})')
            conn.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql.replace(f'\n{old}', f'\n{new}'), table)
            )
        conn.exec_driver_sql(f'PRAGMA schema_version={int(version) + 1}')
    finally:
        conn.exec_driver_sql('PRAGMA writable_schema=OFF')
    if conn.exec_driver_sql('PRAGMA quick_check').scalar() != 'ok':
        raise RuntimeError('the database failed its quick check after the region_code change')


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _sqlite_rewrite(_NOT_NULL, _NULL)
    else:
        for table in TABLES:
            op.alter_column(table, 'region_code', existing_type=_CODE, nullable=True)
    op.create_index(
        'uq_teams_national_kind', 'teams', ['kind'], unique=True, sqlite_where=_NATIONAL, postgresql_where=_NATIONAL
    )
    # ADD COLUMN in place on both databases (no rebuild of meetings: follow-ups cascade from it)
    op.add_column('meetings', sa.Column('held_on_precision', sa.String(length=8), server_default='day', nullable=False))
    op.create_table(
        'meeting_attendances',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('attendee_region_code', _CODE, nullable=False),
        sa.Column('participant_count', sa.Integer(), nullable=True),
        sa.Column('region_code', _CODE, nullable=True),
        sa.ForeignKeyConstraint(
            ['attendee_region_code'], ['regions.code'], name=op.f('fk_meeting_attendances_attendee_region_code_regions')
        ),
        sa.ForeignKeyConstraint(
            ['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendances_meeting_id_meetings'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('meeting_id', 'attendee_region_code', name=op.f('pk_meeting_attendances')),
    )
    op.create_index('ix_meeting_attendances_attendee_region_code', 'meeting_attendances', ['attendee_region_code'], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        if conn.execute(sa.text(f'SELECT 1 FROM {table} WHERE region_code IS NULL LIMIT 1')).first() is not None:
            raise RuntimeError(f'{table} holds national records (no region): delete them before downgrading below 0019')
    op.drop_index('ix_meeting_attendances_attendee_region_code', table_name='meeting_attendances')
    op.drop_table('meeting_attendances')
    if conn.dialect.name == 'sqlite':
        # SQLite (3.35+) drops a column by rewriting the rows in place: no table rebuild, no cascade
        op.execute('ALTER TABLE meetings DROP COLUMN held_on_precision')
    else:
        op.drop_column('meetings', 'held_on_precision')
    op.drop_index('uq_teams_national_kind', table_name='teams', sqlite_where=_NATIONAL, postgresql_where=_NATIONAL)
    if conn.dialect.name == 'sqlite':
        _sqlite_rewrite(_NULL, _NOT_NULL)
    else:
        for table in TABLES:
            op.alter_column(table, 'region_code', existing_type=_CODE, nullable=False)
