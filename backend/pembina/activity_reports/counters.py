"""Per-region, per-month report counters, kept current in each write's transaction.

A report counts once it is submitted (also while returned for correction, and accepted): it adds
`received`, `on_time` (its first submission by the due date), `accepted` or `returned` by its
status, the sums of its answers (`svc.<field>.<code>`), of its target groups (`group.<name>`),
`active.<field>` when it shows some activity in the field, and `days_open` / `kader_present`.
A draft counts nothing. Rows are kept for the report's village and each ancestor up to the province;
the nation sums the provinces at read time. `rebuild()` recomputes everything from the reports
(tests compare it with the incremental state; `pembina stats-rebuild` runs it with the others).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import uuid

from sqlalchemy import Column, MetaData, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pembina.activity_reports.models import ActivityReport, ActivityReportCount
from pembina.kit import bulk
from pembina.kit.scope import ancestors_of
from pembina.posyandu.catalog import SPM_BIT

RECEIVED, ON_TIME, ACCEPTED, RETURNED = "received", "on_time", "accepted", "returned"
DAYS_OPEN, KADER_PRESENT = "days_open", "kader_present"


def svc_metric(field: str, code: str) -> str:
    return f"svc.{field}.{code}"


def group_metric(name: str) -> str:
    return f"group.{name}"


def active_metric(field: str) -> str:
    return f"active.{field}"


def contribution(r: ActivityReport) -> dict[str, int]:
    """What one report adds to its region's counters of its month."""
    return contribution_of(r.status, r.on_time, r.days_open, r.kader_present, r.counts, r.target_groups, r.active_mask)


def contribution_of(
    status: str,
    on_time: bool | None,
    days_open: int,
    kader_present: int,
    counts: Mapping[str, Mapping[str, int]] | None,
    target_groups: Mapping[str, int] | None,
    active_mask: int,
) -> dict[str, int]:
    """`contribution` from a report's values (bulk writers hold no ORM object)."""
    if status == "draft":
        return {}
    out: dict[str, int] = {
        RECEIVED: 1,
        ON_TIME: int(bool(on_time)),
        ACCEPTED: int(status == "accepted"),
        RETURNED: int(status == "returned"),
        DAYS_OPEN: days_open,
        KADER_PRESENT: kader_present,
    }
    for field, values in (counts or {}).items():
        for code, v in values.items():
            if v:
                out[svc_metric(field, code)] = int(v)
    for name, v in (target_groups or {}).items():
        if v:
            out[group_metric(name)] = int(v)
    for field, bit in SPM_BIT.items():
        if active_mask & bit:
            out[active_metric(field)] = 1
    return out


def _chain(region_code: str) -> list[str]:
    return [*ancestors_of(region_code), region_code]


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = ActivityReportCount.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.region_code, table.c.period, table.c.metric], set_={"value": table.c.value + stmt.excluded.value}
    )
    session.execute(stmt, rows)


def adjust(session: Session, region_code: str, period: str, deltas: Mapping[str, int]) -> None:
    """Add `deltas` to the month's counters of `region_code` and its ancestors (province first,
    metrics sorted: concurrent writers lock rows in one order)."""
    rows = [
        {"region_code": code, "period": period, "metric": m, "value": d}
        for code in _chain(region_code)
        for m, d in sorted(deltas.items())
        if d
    ]
    rows.sort(key=lambda r: (r["region_code"], r["metric"]))
    _upsert(session, rows)


def adjust_many(session: Session, deltas: Mapping[tuple[str, str], Mapping[str, int]]) -> None:
    """`adjust` for many (region, period) at once (a bulk write): rolled up to every ancestor in
    memory first, so that each counter row is written once, in one ordered upsert (on PostgreSQL
    the rows are COPied into a temporary table first: hundreds of thousands of rows are one
    INSERT ... SELECT ... ON CONFLICT rather than as many statements)."""
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for (region_code, period), d in deltas.items():
        for code in _chain(region_code):
            for m, n in d.items():
                if n:
                    totals[(code, period, m)] += n
    rows = [{"region_code": c, "period": p, "metric": m, "value": v} for (c, p, m), v in sorted(totals.items()) if v]
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        for i in range(0, len(rows), 10_000):
            _upsert(session, rows[i : i + 10_000])
        return
    table = ActivityReportCount.__table__
    name = f"report_count_deltas_{uuid.uuid4().hex[:12]}"
    stage = Table(name, MetaData(), *(Column(c.name, c.type) for c in table.columns), prefixes=["TEMPORARY"])
    conn = session.connection()
    stage.create(conn)
    bulk.insert_rows(session, stage, rows)
    stmt = postgresql.insert(table).from_select(
        ["region_code", "period", "metric", "value"], select(stage).order_by(stage.c.region_code, stage.c.period, stage.c.metric)
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.region_code, table.c.period, table.c.metric], set_={"value": table.c.value + stmt.excluded.value}
    )
    conn.execute(stmt)
    stage.drop(conn)


def move(session: Session, old: Mapping[str, int], new: Mapping[str, int], region_code: str, period: str) -> None:
    """A report's contribution changed (status, answers): add the difference."""
    merged: dict[str, int] = defaultdict(int)
    for k, v in old.items():
        merged[k] -= v
    for k, v in new.items():
        merged[k] += v
    adjust(session, region_code, period, merged)


def recount(session: Session) -> dict[tuple[str, str, str], int]:
    """Every non-zero counter computed from the reports themselves (the rule above)."""
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in session.scalars(select(ActivityReport).where(ActivityReport.status != "draft")).yield_per(1000):
        for m, v in contribution(r).items():
            for code in _chain(r.region_code):
                totals[(code, r.period, m)] += v
    return {k: v for k, v in totals.items() if v}


def snapshot(session: Session) -> dict[tuple[str, str, str], int]:
    """Every non-zero counter as kept."""
    rows = session.execute(
        select(ActivityReportCount.region_code, ActivityReportCount.period, ActivityReportCount.metric, ActivityReportCount.value)
    )
    return {(c, p, m): int(v) for c, p, m, v in rows if v}


def rebuild(session: Session) -> int:
    """Recompute every counter from the reports. Returns the number of rows written."""
    totals = recount(session)
    session.execute(delete(ActivityReportCount))
    rows: Iterable[dict[str, Any]] = ({"region_code": c, "period": p, "metric": m, "value": v} for (c, p, m), v in sorted(totals.items()))
    return bulk.insert_rows(session, ActivityReportCount.__table__, rows)
