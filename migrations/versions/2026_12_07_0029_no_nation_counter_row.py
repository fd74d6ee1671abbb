"""region_stats: the nation's totals are summed from the provinces, no longer kept in one row (issue 21)

Every counted write in the country added to the nation's row (`region_code` ''), so all writers
queued on it. From this revision a write moves its region's rows up to its province only, and
`stats.values(None)` adds the 38 provinces' rows (and the '' row) when read. The '' row keeps
only what belongs to no region (a national team's own counts): its value less the sum of the
provinces', metric by metric; rows left at zero are removed. The downgrade adds the provinces'
sums back.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | Sequence[str] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Per metric, the sum of the provinces' rows.
PROVINCES = (
    "SELECT p.metric, SUM(p.value) AS value FROM region_stats p JOIN regions r ON r.code = p.region_code AND r.level = 1 GROUP BY p.metric"
)


def upgrade() -> None:
    op.execute(
        "UPDATE region_stats SET value = value - COALESCE((SELECT s.value FROM (" + PROVINCES + ") s "
        "WHERE s.metric = region_stats.metric), 0) WHERE region_code = ''"
    )
    op.execute("DELETE FROM region_stats WHERE region_code = '' AND value = 0")


def downgrade() -> None:
    op.execute(
        "UPDATE region_stats SET value = value + COALESCE((SELECT s.value FROM (" + PROVINCES + ") s "
        "WHERE s.metric = region_stats.metric), 0) WHERE region_code = ''"
    )
    op.execute(
        "INSERT INTO region_stats (region_code, metric, value) SELECT '', s.metric, s.value FROM (" + PROVINCES + ") s "
        "WHERE s.value <> 0 AND NOT EXISTS (SELECT 1 FROM region_stats n WHERE n.region_code = '' AND n.metric = s.metric)"
    )
