"""team references: ON DELETE RESTRICT

Decrees, budgets, work programs and competition entrants refer to their team with a foreign
key that now says RESTRICT (it was NO ACTION, which refused the delete too, only later in the
statement): deleting a team that is still referred to fails in the database, and the teams
service answers 409. The services no longer ask the other domains whether a team is in use.

SQLite cannot alter a constraint, and rebuilding these tables (batch mode) would drop them,
which with foreign keys on cascades to their own children (allocations, files, transitions).
Changing a foreign key's action does not change the on-disk format, so the stored CREATE TABLE
text is edited in place instead (SQLite's documented procedure for such changes).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables whose team_id refers to teams.id.
TABLES = ('decrees', 'budgets', 'work_programs', 'competition_entrants')
_PLAIN = 'REFERENCES teams (id)'
_RESTRICT = 'REFERENCES teams (id) ON DELETE RESTRICT'


def _sqlite_rewrite(old: str, new: str) -> None:
    conn = op.get_bind()
    version = conn.exec_driver_sql('PRAGMA schema_version').scalar()
    conn.exec_driver_sql('PRAGMA writable_schema=ON')
    try:
        for table in TABLES:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
            constraint = f'CONSTRAINT fk_{table}_team_id_teams FOREIGN KEY(team_id) {old}'
            if sql is None or sql.count(constraint) != 1:
                raise RuntimeError(f'{table}: the team foreign key is not as expected ({constraint!r})')
            # the constraint ends the line (or the definition): never match the RESTRICT form as the plain one
            rest = sql.split(constraint, 1)[1]
            if not (rest.startswith('\n') or rest.startswith(',') or rest.startswith(')')):
                raise RuntimeError(f'{table}: the team foreign key is not as expected ({constraint!r})')
            conn.exec_driver_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                (sql.replace(constraint, f'CONSTRAINT fk_{table}_team_id_teams FOREIGN KEY(team_id) {new}'), table),
            )
        conn.exec_driver_sql(f'PRAGMA schema_version={int(version) + 1}')
    finally:
        conn.exec_driver_sql('PRAGMA writable_schema=OFF')
    if conn.exec_driver_sql('PRAGMA quick_check').scalar() != 'ok':
        raise RuntimeError('the database failed its quick check after the foreign key change')


def _postgresql(ondelete: str | None) -> None:
    for table in TABLES:
        name = f'fk_{table}_team_id_teams'
        op.drop_constraint(name, table, type_='foreignkey')
        op.create_foreign_key(name, table, 'teams', ['team_id'], ['id'], ondelete=ondelete)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_rewrite(_PLAIN, _RESTRICT)
    else:
        _postgresql('RESTRICT')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_rewrite(_RESTRICT, _PLAIN)
    else:
        _postgresql(None)
