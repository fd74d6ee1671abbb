"""text search: a normalised search text and a trigram index for posyandu, teams, decrees, meetings and regions (issue 21)

Each of posyandu, teams, decrees and meetings gets `search_text`: its searched columns normalised
by `pembina.kit.search.normalise` (NFKD without combining marks, case-folded, whitespace
collapsed) and joined by a newline; regions keep theirs in `name_search`, until now the
lower-cased name, now normalised the same way. The existing rows are filled in batches of
`BATCH` by key.

PostgreSQL: the `pg_trgm` extension (created if missing) and a GIN `gin_trgm_ops` index on each
search text. SQLite: an FTS5 table `<table>_search` with the trigram tokenizer (the integer id as
its rowid; for regions their code as an integer, the code itself in an unindexed column), kept in
step by three triggers (each finding a row's entry by rowid), filled from the rows.

The downgrade drops the indexes, FTS5 tables, triggers and columns, the extension (created here
when missing) and gives regions their lower-cased `name_search` back.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from pembina.kit.search import compose, sqlite_ddl, sqlite_drop, sqlite_fill

revision: str = '0026'
down_revision: str | Sequence[str] | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
#: table -> (search column, key column, searched columns), as of this revision
TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    'posyandu': ('search_text', 'id', ('name', 'address', 'registration_number')),
    'teams': ('search_text', 'id', ('name',)),
    'decrees': ('search_text', 'id', ('title', 'number')),
    'meetings': ('search_text', 'id', ('title', 'venue')),
    'regions': ('name_search', 'code', ('name',)),
}
NEW_COLUMN = [t for t, (c, _, _) in TABLES.items() if c == 'search_text']


def _rewrite(conn: sa.Connection, name: str, column: str, key: str, sources: tuple[str, ...], text_of: Callable[..., str]) -> None:
    """Set `column` of every row of `name` to `text_of(*sources)`, in batches by key (only the
    rows whose value differs are written)."""
    t = sa.table(name, sa.column(key), sa.column(column), *(sa.column(s) for s in sources))
    k = t.c[key]
    update = t.update().where(k == sa.bindparam('_key')).values({column: sa.bindparam('_text')})
    last = None
    while True:
        stmt = sa.select(k, t.c[column], *(t.c[s] for s in sources)).order_by(k).limit(BATCH)
        if last is not None:
            stmt = stmt.where(k > last)
        rows = conn.execute(stmt).all()
        if not rows:
            return
        changed = [{'_key': r[0], '_text': v} for r in rows if (v := text_of(*r[2:])) != r[1]]
        if changed:
            conn.execute(update, changed)
        last = rows[-1][0]


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == 'postgresql'
    for name in NEW_COLUMN:
        # '' for the rows there now (filled just below); the app always writes its own value
        op.add_column(name, sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    for name, (column, key, sources) in TABLES.items():
        _rewrite(conn, name, column, key, sources, compose)
    if pg:
        for name in NEW_COLUMN:
            op.alter_column(name, 'search_text', server_default=None)
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for name, (column, _, _) in TABLES.items():
            op.execute(f'CREATE INDEX ix_{name}_{column}_trgm ON {name} USING gin ({column} gin_trgm_ops)')
    else:
        for name, (column, key, _) in TABLES.items():
            rowid_key = key == 'id'
            for ddl in sqlite_ddl(name, column, key, rowid_key):
                op.execute(ddl)
            op.execute(sqlite_fill(name, column, key, rowid_key))


def downgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == 'postgresql'
    if pg:
        for name, (column, _, _) in TABLES.items():
            op.execute(f'DROP INDEX IF EXISTS ix_{name}_{column}_trgm')
        op.execute('DROP EXTENSION IF EXISTS pg_trgm')
    else:
        for name in TABLES:
            for ddl in sqlite_drop(name):
                op.execute(ddl)
    for name in NEW_COLUMN:
        # SQLite (3.35+) drops a plain column in place: no table copy (which other tables'
        # foreign keys would refuse)
        op.execute(f'ALTER TABLE {name} DROP COLUMN search_text')
    _rewrite(conn, 'regions', 'name_search', 'code', ('name',), lambda n: n.lower())
