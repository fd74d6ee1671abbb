"""text search: the trigram indexes without a pending list (issue 21)

A GIN index normally keeps new entries in a "pending list" (`fastupdate`) that every search
scans from start to end until VACUUM merges it into the index. Tables that are mostly read and
written in bursts (the regions' load and counters, the posyandu of an import) reach no
autovacuum threshold for a long time: measured at 300,000 posyandu, the regions' index held
15,040 pending entries and a search for a word in no region name took 3 ms in the index alone,
every time. With `fastupdate = off` every write puts its trigrams into the index itself (a
little more work per write, none left for the searches); the entries pending now are merged here
(`gin_clean_pending_list`). PostgreSQL only: SQLite's FTS5 tables have no such list.

The downgrade turns `fastupdate` back on.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The trigram indexes of migration 0026.
INDEXES = (
    "ix_posyandu_search_text_trgm",
    "ix_teams_search_text_trgm",
    "ix_decrees_search_text_trgm",
    "ix_meetings_search_text_trgm",
    "ix_regions_name_search_trgm",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
