"""keyset_indexes: an index matching each large list's default order and its tiebreak (issue 21)

Cursor pages ask for the rows after the last one shown with a comparison on the sort columns and
the id; with an index on exactly those columns, a page deep in the list is read from the index
like the first page (no sort of everything after the cursor):

- posyandu: region_code, name, id
- teams and decrees: region_code, id
- meetings: held_on, id (newest first: the index read backwards)
The audit events (id) and users (username, unique) lists already had theirs. The activity reports'
default order mixes directions (period DESC, region_code, id): its cursor pages start from the
existing (period, region_code) index at the cursor's month; an index (period DESC, region_code, id)
would serve them fully but Alembic cannot compare such an index on SQLite (left for later).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_posyandu_region_code_name_id", "posyandu", ["region_code", "name", "id"]),
    ("ix_teams_region_code_id", "teams", ["region_code", "id"]),
    ("ix_decrees_region_code_id", "decrees", ["region_code", "id"]),
    ("ix_meetings_held_on_id", "meetings", ["held_on", "id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
