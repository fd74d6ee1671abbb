"""only TP Posyandu counts: teams.succeeds_team_id, compliance counters recounted

* `teams.succeeds_team_id`: a TP Posyandu may name the team of its region it succeeds (the
  former Pokjanal/Pokja Posyandu), ON DELETE RESTRICT like every other reference to a team.
  SQLite adds the column in place (ALTER TABLE ... ADD COLUMN) and its named foreign key by
  editing the stored CREATE TABLE text, as 0014 did (all values are NULL: nothing to check);
  rebuilding `teams` in batch mode would drop it, which with foreign keys on cascades to team
  members. The downgrade takes the constraint out the same way, then drops the column in place.
* `ix_regions_level_code`: the regions of one level in a subtree, in code order, are one index
  range (the compliance boards' lists of regions that have not reported; SQLite scanned every
  village of the country through `ix_regions_level_name`: 72-144 ms a board, now under 1 ms).
* The compliance counters (`compliance.<level>.*` in region_stats) are recounted by the new rule
  of pembina.decrees.compliance: a region has a team when it has an active TP Posyandu; an SK
  counts when it is a team-formation SK naming that team or no team, and only while the region
  has one; an active Pokjanal/Pokja is counted apart as `compliance.<level>.legacy`. Before, any
  active team and any team-formation SK counted. The downgrade recounts by the old rule.
  The recount reads the tables with plain SQL (never the application's models, which follow
  later migrations): it is this revision's rule, frozen here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVEL = {1: 'province', 2: 'regency', 3: 'district', 4: 'village'}
#: An SK in this status sets these flags.
STATUS_FLAGS = {'issued': ('issued',), 'reported': ('issued', 'reported'), 'verified': ('issued', 'reported', 'verified')}
BATCH = 5000


def _chain(code: str) -> list[str]:
    """The nation (''), the region's ancestors and the region itself."""
    parts = code.split('.')
    return ['', *('.'.join(parts[:i]) for i in range(1, len(parts) + 1))]


def _flags(conn: sa.Connection, tp_only: bool) -> dict[str, set[str]]:
    """Each region's own compliance flags, by this revision's rule (`tp_only`) or the one before."""
    teams = conn.execute(sa.text('SELECT id, region_code, kind FROM teams WHERE is_active = :yes'), {'yes': True}).all()
    sks = conn.execute(sa.text(
        "SELECT DISTINCT region_code, team_id, status FROM decrees "
        "WHERE subject = 'team_formation' AND status IN ('issued', 'reported', 'verified')"
    )).all()
    flags: dict[str, set[str]] = defaultdict(set)
    if not tp_only:
        for _, code, _ in teams:
            flags[code].add('team')
        for code, _, status in sks:
            flags[code].update(STATUS_FLAGS[status])
        return flags
    tp = {code: team_id for team_id, code, kind in teams if kind == 'tp_posyandu'}
    for _, code, kind in teams:
        flags[code].add('team' if kind == 'tp_posyandu' else 'legacy')
    for code, team_id, status in sks:
        if code in tp and team_id in (None, tp[code]):
            flags[code].update(STATUS_FLAGS[status])
    return flags


def _recount(tp_only: bool) -> None:
    conn = op.get_bind()
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for code, flags in _flags(conn, tp_only).items():
        level = LEVEL[code.count('.') + 1]
        for flag in flags:
            for c in _chain(code):
                totals[(c, f'compliance.{level}.{flag}')] += 1
    conn.execute(sa.text("DELETE FROM region_stats WHERE metric LIKE 'compliance.%'"))
    rows = [{'c': c, 'm': m, 'v': v} for (c, m), v in sorted(totals.items())]
    insert = sa.text('INSERT INTO region_stats (region_code, metric, value) VALUES (:c, :m, :v)')
    for i in range(0, len(rows), BATCH):
        conn.execute(insert, rows[i:i + BATCH])


_FK = 'CONSTRAINT fk_teams_succeeds_team_id_teams FOREIGN KEY(succeeds_team_id) REFERENCES teams (id) ON DELETE RESTRICT'


def _sqlite_edit_teams(edit: Callable[[str], str]) -> None:
    """Rewrite the stored CREATE TABLE text of `teams` (SQLite's documented procedure for a
    change that leaves the rows' format as it is)."""
    conn = op.get_bind()
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'teams'").scalar()
    version = conn.exec_driver_sql('PRAGMA schema_version').scalar()
    conn.exec_driver_sql('PRAGMA writable_schema=ON')
    try:
        conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'teams'", (edit(sql),))
        conn.exec_driver_sql(f'PRAGMA schema_version={int(version) + 1}')
    finally:
        conn.exec_driver_sql('PRAGMA writable_schema=OFF')
    if conn.exec_driver_sql('PRAGMA quick_check').scalar() != 'ok':
        raise RuntimeError('the database failed its quick check after the change of teams')


def _add_fk(sql: str) -> str:
    body = sql.rstrip()
    if not body.endswith(')') or _FK in body:
        raise RuntimeError(f'teams is not as expected: {sql!r}')
    return body[:-1].rstrip() + f', \n\t{_FK}\n)'


def _drop_fk(sql: str) -> str:
    if sql.count(f', \n\t{_FK}') != 1:
        raise RuntimeError(f'teams is not as expected: {sql!r}')
    return sql.replace(f', \n\t{_FK}', '')


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE teams ADD COLUMN succeeds_team_id INTEGER')
        _sqlite_edit_teams(_add_fk)
    else:
        op.add_column('teams', sa.Column('succeeds_team_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_teams_succeeds_team_id_teams'), 'teams', 'teams', ['succeeds_team_id'], ['id'], ondelete='RESTRICT')
    op.create_index('ix_teams_succeeds_team_id', 'teams', ['succeeds_team_id'], unique=False)
    op.create_index('ix_regions_level_code', 'regions', ['level', 'code'], unique=False)
    _recount(tp_only=True)


def downgrade() -> None:
    _recount(tp_only=False)
    op.drop_index('ix_regions_level_code', table_name='regions')
    op.drop_index('ix_teams_succeeds_team_id', table_name='teams')
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_edit_teams(_drop_fk)
        # SQLite (3.35+) drops a column by rewriting the rows in place: no table rebuild, no cascade
        op.execute('ALTER TABLE teams DROP COLUMN succeeds_team_id')
    else:
        op.drop_constraint(op.f('fk_teams_succeeds_team_id_teams'), 'teams', type_='foreignkey')
        op.drop_column('teams', 'succeeds_team_id')
