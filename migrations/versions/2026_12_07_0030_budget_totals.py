"""budget_totals: the budget roll-up's counters per region, year, source and SPM field (issue 21)

`GET /budgets/rollup` added up every budget, allocation and realization under the region on each
request (163 ms for the nation at 300,000 posyandu). `budget_totals` keeps, per region, fiscal
year, source and SPM field ('' for the budgets' own row, 'general' for allocations without a
field), the number of budgets and their totals, of allocations and their amounts, of
realizations and their amounts: each region's own and its descendants', up to the province (the
nation's are its provinces' summed when read). Filled here from the records, in one statement;
kept current by every budget write from this revision on.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION_CODE = sa.String(length=20).with_variant(sa.String(length=20, collation="C"), "postgresql")
FIGURES = "budgets, budgeted, allocations, planned, realizations, realized"

#: Each region's own figures (from its budgets), then the same added to each ancestor by the
#: dotted code's prefix (province 2 characters, regency 5, district 8).
FILL = f"""
WITH own (region_code, fiscal_year, source, spm_field, {FIGURES}) AS (
    SELECT b.region_code, b.fiscal_year, b.source, '', COUNT(*), COALESCE(SUM(b.total_amount), 0), 0, 0, 0, 0
    FROM budgets b GROUP BY b.region_code, b.fiscal_year, b.source
    UNION ALL
    SELECT b.region_code, b.fiscal_year, b.source, COALESCE(a.spm_field, 'general'), 0, 0, COUNT(*), SUM(a.amount), 0, 0
    FROM budgets b JOIN budget_allocations a ON a.budget_id = b.id
    GROUP BY b.region_code, b.fiscal_year, b.source, COALESCE(a.spm_field, 'general')
    UNION ALL
    SELECT b.region_code, b.fiscal_year, b.source, COALESCE(a.spm_field, 'general'), 0, 0, 0, 0, COUNT(*), SUM(r.amount)
    FROM budgets b JOIN budget_realizations r ON r.budget_id = b.id JOIN budget_allocations a ON a.id = r.allocation_id
    GROUP BY b.region_code, b.fiscal_year, b.source, COALESCE(a.spm_field, 'general')
), chain (region_code, fiscal_year, source, spm_field, {FIGURES}) AS (
    SELECT region_code, fiscal_year, source, spm_field, {FIGURES} FROM own
    UNION ALL SELECT SUBSTR(region_code, 1, 2), fiscal_year, source, spm_field, {FIGURES} FROM own WHERE LENGTH(region_code) > 2
    UNION ALL SELECT SUBSTR(region_code, 1, 5), fiscal_year, source, spm_field, {FIGURES} FROM own WHERE LENGTH(region_code) > 5
    UNION ALL SELECT SUBSTR(region_code, 1, 8), fiscal_year, source, spm_field, {FIGURES} FROM own WHERE LENGTH(region_code) > 8
)
INSERT INTO budget_totals (region_code, fiscal_year, source, spm_field, {FIGURES})
SELECT region_code, fiscal_year, source, spm_field,
       SUM(budgets), SUM(budgeted), SUM(allocations), SUM(planned), SUM(realizations), SUM(realized)
FROM chain GROUP BY region_code, fiscal_year, source, spm_field
"""


def upgrade() -> None:
    op.create_table(
        "budget_totals",
        sa.Column("region_code", REGION_CODE, nullable=False),
        sa.Column("fiscal_year", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("spm_field", sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in FIGURES.split(", ")),
        sa.PrimaryKeyConstraint("region_code", "fiscal_year", "source", "spm_field", name=op.f("pk_budget_totals")),
    )
    op.execute(FILL)
    # statistics for the planner now (a roll-up reads the provinces' rows by index once it knows
    # the table is large; before autovacuum's first ANALYZE it may scan it: 58 ms against 1.2 ms)
    op.execute("ANALYZE budget_totals")


def downgrade() -> None:
    op.drop_table("budget_totals")
