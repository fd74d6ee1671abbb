"""activity_report_totals: one counter row per region and month instead of one per metric (issue 22)

`activity_report_counts` kept a row per (region, month, metric), about 30 per village and month:
6.8 M rows for 20,000 posyandu. `activity_report_totals` keeps one row per (region, month): the
completeness and timeliness counts in integer columns, the service and target-group sums in one
JSON column from the district up (a village's are summed from its reports when asked), and
`expected`, the active posyandu the month is counted against.

Filled from the reports themselves: the integer columns with one INSERT ... SELECT per level
(villages from the reports, then each level summed from the one below by the dotted code: district
8 characters, regency 5, province 2), the JSON sums in one pass over the submitted reports.
`expected` of the months already there is today's active count (the only one known), never below
received. The downgrade recomputes the old per-metric rows from the reports.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | Sequence[str] | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION_CODE = sa.String(length=20).with_variant(sa.String(length=20, collation='C'), 'postgresql')
BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
#: The SPM fields in their bit order (pembina.posyandu.catalog.SPM_BIT, as of this revision).
SPM_FIELDS = ['kesehatan', 'pendidikan', 'sosial', 'trantibumlinmas', 'perumahan_rakyat', 'pekerjaan_umum']
INTS = ['received', 'on_time', 'accepted', 'returned', 'days_open', 'kader_present', *(f'active_{f}' for f in SPM_FIELDS)]
#: (code length of the level below, code length of the level summed into)
LEVELS = ((13, 8), (8, 5), (5, 2))

reports = sa.table(
    'activity_reports',
    sa.column('region_code', sa.String),
    sa.column('period', sa.String),
    sa.column('status', sa.String),
    sa.column('on_time', sa.Boolean),
    sa.column('days_open', sa.Integer),
    sa.column('kader_present', sa.Integer),
    sa.column('counts', sa.JSON),
    sa.column('target_groups', sa.JSON),
    sa.column('active_mask', sa.Integer),
)


def _totals_table() -> sa.Table:
    return sa.Table(
        'activity_report_totals',
        sa.MetaData(),
        sa.Column('region_code', REGION_CODE, primary_key=True),
        sa.Column('period', sa.String(7), primary_key=True),
        sa.Column('expected', sa.Integer),
        *(sa.Column(c, BIG if c in ('days_open', 'kader_present') else sa.Integer) for c in INTS),
        sa.Column('totals', sa.JSON),
    )


def upgrade() -> None:
    op.create_table('activity_report_totals',
    sa.Column('region_code', REGION_CODE, nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('days_open', BIG, nullable=False),
    sa.Column('kader_present', BIG, nullable=False),
    sa.Column('active_kesehatan', sa.Integer(), nullable=False),
    sa.Column('active_pendidikan', sa.Integer(), nullable=False),
    sa.Column('active_sosial', sa.Integer(), nullable=False),
    sa.Column('active_trantibumlinmas', sa.Integer(), nullable=False),
    sa.Column('active_perumahan_rakyat', sa.Integer(), nullable=False),
    sa.Column('active_pekerjaan_umum', sa.Integer(), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('region_code', 'period', name=op.f('pk_activity_report_totals'))
    )
    _fill()
    op.drop_table('activity_report_counts')


def _fill() -> None:
    conn = op.get_bind()
    t = _totals_table()
    r = reports
    counted = r.c.status != 'draft'

    def flag(cond: Any) -> Any:
        return sa.func.sum(sa.case((cond, 1), else_=0))

    rs = sa.table('region_stats', sa.column('region_code'), sa.column('metric'), sa.column('value'))

    def with_expected(grouped: Any) -> Any:
        """The grouped counts with `expected`: today's active posyandu (the posyandu counters),
        never below received (set here, not updated afterwards: no row is written twice)."""
        g = grouped.subquery()
        live = sa.func.coalesce(rs.c.value, 0)
        return (
            sa.select(g.c.region_code, g.c.period, sa.case((live > g.c.received, live), else_=g.c.received), *(g.c[c] for c in INTS))
            .select_from(g.outerjoin(rs, sa.and_(rs.c.region_code == g.c.region_code, rs.c.metric == 'posyandu.active')))
        )

    villages = (
        sa.select(
            r.c.region_code.label('region_code'),
            r.c.period.label('period'),
            sa.func.count().label('received'),
            flag(r.c.on_time.is_(True)).label('on_time'),
            flag(r.c.status == 'accepted').label('accepted'),
            flag(r.c.status == 'returned').label('returned'),
            sa.func.sum(r.c.days_open).label('days_open'),
            sa.func.sum(r.c.kader_present).label('kader_present'),
            *(flag(r.c.active_mask.op('&')(1 << i) != 0).label(f'active_{f}') for i, f in enumerate(SPM_FIELDS)),
        )
        .where(counted)
        .group_by(r.c.region_code, r.c.period)
    )
    columns = ['region_code', 'period', 'expected', *INTS]
    conn.execute(sa.insert(t).from_select(columns, with_expected(villages)))
    for below, width in LEVELS:
        code = sa.func.substr(t.c.region_code, 1, width)
        sel = (
            sa.select(code.label('region_code'), t.c.period.label('period'), *(sa.func.sum(t.c[c]).label(c) for c in INTS))
            .where(sa.func.length(t.c.region_code) == below)
            .group_by(code, t.c.period)
        )
        conn.execute(sa.insert(t).from_select(columns, with_expected(sel)))
    # the JSON sums from the district up, in one pass over the submitted reports
    sums: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {'svc': defaultdict(lambda: defaultdict(int)), 'groups': defaultdict(int)})
    stmt = sa.select(r.c.region_code, r.c.period, r.c.counts, r.c.target_groups).where(counted)
    for code, period, counts, groups in conn.execute(stmt.execution_options(yield_per=5000)):
        for width in (8, 5, 2):
            s = sums[(code[:width], period)]
            for field, values in (counts or {}).items():
                for k, n in values.items():
                    if n:
                        s['svc'][field][k] += int(n)
            for name, n in (groups or {}).items():
                if n:
                    s['groups'][name] += int(n)
    update = sa.update(t).where(t.c.region_code == sa.bindparam('code'), t.c.period == sa.bindparam('month')).values(totals=sa.bindparam('sums'))
    batch: list[dict[str, Any]] = []
    for (code, period), s in sorted(sums.items()):
        svc = {f: {k: n for k, n in v.items() if n} for f, v in s['svc'].items()}
        batch.append({'code': code, 'month': period, 'sums': {'svc': {f: v for f, v in svc.items() if v}, 'groups': dict(s['groups'])}})
        if len(batch) == 5000:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)
    if conn.dialect.name == 'postgresql':
        conn.execute(sa.text('ANALYZE activity_report_totals'))


def downgrade() -> None:
    op.create_table('activity_report_counts',
    sa.Column('region_code', REGION_CODE, nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('metric', sa.String(length=120), nullable=False),
    sa.Column('value', BIG, nullable=False),
    sa.PrimaryKeyConstraint('region_code', 'period', 'metric', name=op.f('pk_activity_report_counts'))
    )
    conn = op.get_bind()
    r = reports
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    stmt = sa.select(*r.c).where(r.c.status != 'draft')
    for code, period, status, on_time, days_open, kader, counts, groups, mask in conn.execute(stmt.execution_options(yield_per=5000)):
        metrics: dict[str, int] = {
            'received': 1,
            'on_time': int(bool(on_time)),
            'accepted': int(status == 'accepted'),
            'returned': int(status == 'returned'),
            'days_open': days_open,
            'kader_present': kader,
        }
        for field, values in (counts or {}).items():
            for k, n in values.items():
                if n:
                    metrics[f'svc.{field}.{k}'] = int(n)
        for name, n in (groups or {}).items():
            if n:
                metrics[f'group.{name}'] = int(n)
        for i, field in enumerate(SPM_FIELDS):
            if mask & (1 << i):
                metrics[f'active.{field}'] = 1
        for width in (13, 8, 5, 2):
            if len(code) >= width:
                for m, n in metrics.items():
                    totals[(code[:width], period, m)] += n

    def rows() -> Iterator[dict[str, Any]]:
        for (c, p, m), v in sorted(totals.items()):
            if v:
                yield {'region_code': c, 'period': p, 'metric': m, 'value': v}

    counts_table = sa.table('activity_report_counts', sa.column('region_code'), sa.column('period'), sa.column('metric'), sa.column('value'))
    batch: list[dict[str, Any]] = []
    for row in rows():
        batch.append(row)
        if len(batch) == 5000:
            conn.execute(sa.insert(counts_table), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(counts_table), batch)
    op.drop_table('activity_report_totals')
