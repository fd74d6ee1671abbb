"""Per-region counters: O(1) roll-ups at any level, never stale.

Domains call `adjust()` inside the same transaction as the write that changes a count
(e.g. a decree becomes `reported`: +1 `decrees.village.reported` at its village). Reads are
`values()` for one region and `children_values()` for the rows of a board. `rebuild()`
recomputes everything from the source tables through the registered `SOURCES` (used by
`pembina stats-rebuild` and by tests that prove the counters equal a live count).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import TextClause, bindparam, delete, event, func, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from pembina.kit import bulk
from pembina.regions.models import Region
from pembina.kit.scope import ancestors_of
from pembina.stats.models import RegionStat

#: The row of records that belong to no region (a national team, say): only their own counts.
#: The nation's totals are not kept in one row (every write in the country would queue on it):
#: `values(None)` adds this row and the 38 provinces' at read time.
NATION = ""

#: name -> function returning (region_code, metric, count) rows at the records' own regions.
SOURCES: dict[str, Callable[[Session], Iterable[tuple[str, str, int]]]] = {}


#: name -> function rewriting a counter table of a domain's own from its records (returns rows
#: written), run by `rebuild()` after the region counters.
REBUILDS: dict[str, Callable[[Session], int]] = {}


def register_source(name: str, fn: Callable[[Session], Iterable[tuple[str, str, int]]]) -> None:
    SOURCES[name] = fn


def register_rebuild(name: str, fn: Callable[[Session], int]) -> None:
    REBUILDS[name] = fn


def _chain(region_code: str | None) -> list[str]:
    """The region itself and its ancestors up to its province (a record of no region: the
    NATION row). Not the nation: its totals are summed from the provinces when read."""
    if not region_code:
        return [NATION]
    return [*ancestors_of(region_code), region_code]


#: Counter rows per upsert statement (3 parameters each: within SQLite's and PostgreSQL's limits).
UPSERT_ROWS = 300


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add each row's value to its counter (created at that value), in the rows' order. One
    statement of many VALUES per `UPSERT_ROWS` rows: a write moves some thirty counters (its
    metrics in its village and each ancestor), which as an executemany cost a sixth of the
    write's Python time in the driver's per-row work. The rows' (region, metric) are unique."""
    table = RegionStat.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), UPSERT_ROWS):
        stmt = insert(table).values(rows[start : start + UPSERT_ROWS])
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.region_code, table.c.metric], set_={"value": table.c.value + stmt.excluded.value}
        )
        session.execute(stmt)


#: session.info key: the transaction's counter deltas not yet written, (region, metric) -> delta.
_PENDING = "pembina.stats.pending"


def adjust(session: Session, region_code: str | None, deltas: Mapping[str, int]) -> None:
    """Add `deltas` to the counters of `region_code` and all its ancestors (the nation's are
    its provinces', summed when read).

    The rows are written just before the transaction commits (`write_pending`), all of the
    transaction's moves in one statement in one order (province first), so that a write
    holds its counter rows' locks for its commit only, not while it builds its response
    (before, 64 writers spread over the provinces queued behind one another's responses).
    Anything that reads the counters in the same transaction sees them first: `values()`
    and the other readers here write them before reading, and any other statement that reads
    `region_stats` (or raw SQL) does the same (`_write_before_reading`). Inside a savepoint
    they are written at once, so that a savepoint rolled back takes its moves with it."""
    if session.in_nested_transaction():
        rows = [
            {"region_code": code, "metric": metric, "value": delta}
            for code in _chain(region_code)
            for metric, delta in sorted(deltas.items())
            if delta
        ]
        rows.sort(key=lambda r: (r["region_code"], r["metric"]))
        _upsert(session, rows)
        return
    if not session.in_transaction():
        session.connection()  # the moves belong to a transaction (its rollback drops them)
    pending: dict[tuple[str, str], int] = session.info.setdefault(_PENDING, defaultdict(int))
    for code in _chain(region_code):
        for metric, delta in deltas.items():
            if delta:
                pending[(code, metric)] += delta


def write_pending(session: Session) -> None:
    """Write the transaction's counter moves kept by `adjust()` (none: nothing to do)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        # A stable order (province first) so that concurrent writers lock rows in the same order.
        _upsert(session, [{"region_code": c, "metric": m, "value": v} for (c, m), v in sorted(pending.items()) if v])


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the transaction ended (committed: nothing is left; rolled back: dropped)
        session.info.pop(_PENDING, None)
        session.info.pop(_AT_SAVEPOINT, None)


#: session.info key: for each open savepoint, the moves that were pending when it began.
_AT_SAVEPOINT = "pembina.stats.at_savepoint"


@event.listens_for(Session, "after_transaction_create")
def _remember_at_savepoint(session: Session, transaction: SessionTransaction) -> None:
    # A read inside the savepoint may write the moves pending from before it; were the
    # savepoint rolled back, they would be gone with it: they are pending again then.
    if transaction.nested:
        session.info.setdefault(_AT_SAVEPOINT, {})[id(transaction)] = dict(session.info.get(_PENDING) or {})


@event.listens_for(Session, "after_soft_rollback")
def _pending_again_after_savepoint(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        before = session.info.get(_AT_SAVEPOINT, {}).pop(id(previous_transaction), None)
        if before is not None:
            session.info[_PENDING] = defaultdict(int, before)


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading(state: ORMExecuteState) -> None:
    if not state.session.info.get(_PENDING):
        return
    statement = state.statement
    if isinstance(statement, TextClause) or (
        isinstance(statement, ClauseElement) and RegionStat.__table__ in find_tables(statement, include_aliases=True, include_joins=True)
    ):
        write_pending(state.session)


def move(
    session: Session, old: Mapping[str, int] | None, old_region: str | None, new: Mapping[str, int] | None, new_region: str | None
) -> None:
    """A record changed its contribution (state or region): subtract the old, add the new."""
    if old_region == new_region:
        merged: dict[str, int] = defaultdict(int)
        for k, v in (old or {}).items():
            merged[k] -= v
        for k, v in (new or {}).items():
            merged[k] += v
        adjust(session, new_region, merged)
        return
    if old:
        adjust(session, old_region, {k: -v for k, v in old.items()})
    if new:
        adjust(session, new_region, new)


#: One region's counters: a constant statement (PostgreSQL prepares it after a few runs).
_REGION_VALUES = select(RegionStat.metric, RegionStat.value).where(RegionStat.region_code == bindparam("code"))
#: The nation's: the 38 provinces' rows and the records of no region, summed. Written as a join
#: from the provinces (PostgreSQL then reads 38 index ranges; an `IN (subquery) OR ...` made it
#: scan the whole table: 270 ms against 1.2 ms at 300,000 posyandu).
_NATION_ROWS = union_all(
    select(RegionStat.metric, RegionStat.value).join(Region, Region.code == RegionStat.region_code).where(Region.level == 1),
    select(RegionStat.metric, RegionStat.value).where(RegionStat.region_code == NATION),
).subquery("nation")
_NATION_VALUES = select(_NATION_ROWS.c.metric, func.sum(_NATION_ROWS.c.value)).group_by(_NATION_ROWS.c.metric)


def values(session: Session, region_code: str | None, metrics: Iterable[str] | None = None) -> dict[str, int]:
    """The counters of one region (None: the nation), all of them or those named in `metrics`.

    A region has a few dozen counters: all are read in one indexed range and picked here, so
    that callers needing several groups (the summaries) read them once and share the dict. The
    nation's are the sum of its provinces' (and of the records of no region), at read time."""
    write_pending(session)
    if region_code:
        rows = session.connection().execute(_REGION_VALUES, {"code": region_code})
    else:
        rows = session.connection().execute(_NATION_VALUES)
    if metrics is None:
        return {m: int(v) for m, v in rows}
    wanted = set(metrics)
    return {m: int(v) for m, v in rows if m in wanted}


def children_values(session: Session, parent_code: str | None, metrics: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Counters of every direct child of `parent_code` (None: the provinces)."""
    write_pending(session)
    child_codes = select(Region.code).where(Region.parent_code == parent_code if parent_code else Region.level == 1)
    stmt = select(RegionStat.region_code, RegionStat.metric, RegionStat.value).where(RegionStat.region_code.in_(child_codes))
    if metrics is not None:
        stmt = stmt.where(RegionStat.metric.in_(list(metrics)))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for code, metric, value in session.execute(stmt):
        out[code][metric] = int(value)
    return dict(out)


def rebuild(session: Session) -> int:
    """Recompute every counter from the source tables (and the domains' own counter tables,
    `REBUILDS`). Returns the number of rows written."""
    session.info.pop(_PENDING, None)  # recounted from the records below
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for fn in SOURCES.values():
        for region_code, metric, count in fn(session):
            for code in _chain(region_code):
                totals[(code, metric)] += count
    session.execute(delete(RegionStat))
    rows = ({"region_code": c, "metric": m, "value": v} for (c, m), v in sorted(totals.items()) if v)
    written = bulk.insert_rows(session, RegionStat.__table__, rows)
    return written + sum(fn(session) for fn in REBUILDS.values())


def snapshot(session: Session) -> dict[tuple[str, str], int]:
    """All non-zero counters (for comparing incremental state with a rebuild)."""
    write_pending(session)
    return {(c, m): int(v) for c, m, v in session.execute(select(RegionStat.region_code, RegionStat.metric, RegionStat.value)) if v}
