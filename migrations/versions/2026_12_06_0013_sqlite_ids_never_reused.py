"""SQLite: no table gives a deleted record's id to the next record (AUTOINCREMENT everywhere)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:00:00

Without AUTOINCREMENT SQLite hands out max(id) + 1, so deleting the newest team and creating
another gives the new one the deleted one's id: the audit trail, the change feed (which
integrators sync by entity type + id) and any link kept elsewhere would name two records with
one id. 0011 fixed users and api_clients; this does every other table whose primary key is a
single INTEGER `id` (tables keyed otherwise, such as region_stats or the association tables,
are left as they are). PostgreSQL's sequences never hand an id out twice: a no-op there.

How the rebuild keeps every row. The migration runs in a transaction with foreign keys on, and
`PRAGMA foreign_keys` cannot be turned off there. Then `DROP TABLE` of a parent runs an
implicit DELETE that fires its children's ON DELETE CASCADE / SET NULL, and `ALTER TABLE ...
RENAME` rewrites the children's REFERENCES to the new name even with `legacy_alter_table=ON`
(measured on SQLite 3.40: renaming `teams` to `_old_teams` makes `team_members` reference
`_old_teams`, so dropping it would delete every member). So the tables are rebuilt as one
group closed under "references a table of the group": every table of the group is renamed
(their references to each other follow), the new tables are created from the original SQL
(which names the original tables), filled parents first, and the old ones are dropped children
first, so that no action ever reaches a new table. Foreign keys are deferred for the duration
(whatever the graph, cycles included) and `PRAGMA foreign_key_check` must be empty at the end.

Each table's counter (sqlite_sequence) starts at the highest id it holds or that the audit
trail names for it (entity_type is the table's name), so that an id deleted before this
migration is not given again either.

Downgrade is a no-op: AUTOINCREMENT only changes which ids SQLite picks for new rows; revision
0012's code reads and writes these tables the same way, and rebuilding them back would bring
the reuse of ids back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "_pembina_old_"

#: `id INTEGER NOT NULL,` as SQLAlchemy writes the column (optionally quoted).
_ID_COLUMN = re.compile(r'^(\s*)"?id"?\s+INTEGER\s+NOT\s+NULL\s*,', re.IGNORECASE | re.MULTILINE)
#: `, CONSTRAINT pk_x PRIMARY KEY (id)` (or unnamed) at the table level.
_PK_CONSTRAINT = re.compile(r',\s*(?:CONSTRAINT\s+("[^"]+"|\w+)\s+)?PRIMARY\s+KEY\s*\(\s*"?id"?\s*\)', re.IGNORECASE)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _autoincrement_sql(name: str, sql: str) -> str:
    """The table's CREATE TABLE with `id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT` (as
    SQLAlchemy renders `sqlite_autoincrement=True`), every other column and constraint kept."""
    new, n_col = _ID_COLUMN.subn(r"\1id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", sql, count=1)
    new, n_pk = _PK_CONSTRAINT.subn("", new)
    if n_col != 1 or n_pk != 1:
        raise RuntimeError(f"0013: cannot rewrite the primary key of {name}: {sql}")
    return new


def _needs_autoincrement(conn: Connection, name: str, sql: str) -> bool:
    if re.search(r"\bAUTOINCREMENT\b", sql, re.IGNORECASE):
        return False
    pk = [(r[1], (r[2] or "").upper()) for r in conn.exec_driver_sql(f"PRAGMA table_info({_q(name)})") if r[5]]
    return pk == [("id", "INTEGER")]


def _parents(conn: Connection, name: str) -> set[str]:
    return {r[2] for r in conn.exec_driver_sql(f"PRAGMA foreign_key_list({_q(name)})")}


def _parents_first(group: set[str], parents: dict[str, set[str]]) -> list[str]:
    order: list[str] = []
    left = set(group)
    while left:
        ready = sorted(t for t in left if not (parents[t] & left) - {t})
        if not ready:  # a cycle: foreign keys are deferred, any order will do
            ready = sorted(left)
        order += ready
        left -= set(ready)
    return order


def _audit_max(conn: Connection, table: str) -> int:
    top = conn.execute(text(
        "SELECT MAX(CAST(entity_id AS INTEGER)) FROM audit_events WHERE entity_type = :t "
        "AND entity_id <> '' AND length(entity_id) <= 18 AND entity_id NOT GLOB '*[^0-9]*'"
    ), {"t": table}).scalar()
    return int(top or 0)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    schema = {name: sql for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )}
    targets = {name for name, sql in schema.items() if _needs_autoincrement(conn, name, sql)}
    if not targets:
        return
    parents = {name: _parents(conn, name) for name in schema}
    group = set(targets)
    while True:  # every table referencing a table of the group joins it
        more = {t for t in schema if t not in group and parents[t] & group}
        if not more:
            break
        group |= more
    order = _parents_first(group, parents)
    new_sql = {t: _autoincrement_sql(t, schema[t]) if t in targets else schema[t] for t in group}
    # Indexes belong to the old tables until these are dropped; views and triggers would be
    # rewritten by the renames to name the old tables: all are put back from their SQL.
    extras = [(kind, name, sql) for kind, name, tbl, sql in conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('index', 'trigger', 'view') ORDER BY rowid"
    ) if kind == "view" or tbl in group]
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for kind, name, _sql in extras:
        if kind != "index":
            conn.exec_driver_sql(f"DROP {kind.upper()} {_q(name)}")
    for t in order:
        conn.exec_driver_sql(f"ALTER TABLE {_q(t)} RENAME TO {_q(OLD + t)}")
    for t in order:
        conn.exec_driver_sql(new_sql[t])
        cols = ", ".join(_q(r[1]) for r in conn.exec_driver_sql(f"PRAGMA table_info({_q(t)})"))
        conn.exec_driver_sql(f"INSERT INTO {_q(t)} ({cols}) SELECT {cols} FROM {_q(OLD + t)}")
    for t in reversed(order):
        conn.exec_driver_sql(f"DROP TABLE {_q(OLD + t)}")
    for kind, _name, sql in extras:
        if kind == "index":
            conn.exec_driver_sql(sql)
    for kind, _name, sql in extras:
        if kind != "index":
            conn.exec_driver_sql(sql)
    for t in sorted(targets):
        top = max(conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {_q(t)}").scalar() or 0, _audit_max(conn, t) if "audit_events" in schema else 0)
        conn.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": t})
        if top:
            conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"), {"t": t, "s": top})
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"0013: foreign keys broken by the rebuild: {broken[:5]}")
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")


def downgrade() -> None:
    # See the module's docstring: AUTOINCREMENT is kept (invisible to revision 0012's code).
    pass
