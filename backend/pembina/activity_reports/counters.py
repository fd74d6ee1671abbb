"""Per-region, per-month report totals, kept current in each write's transaction.

A report counts once it is submitted (also while returned for correction, and accepted): it adds
`received`, `on_time` (its first submission by the due date), `accepted` or `returned` by its
status, `days_open` / `kader_present`, `active.<field>` when it shows some activity in the field,
and the sums of its answers (`svc.<field>.<code>`) and of its target groups (`group.<name>`).
A draft counts nothing.

One row per region and month (`activity_report_totals`) holds them all: the counts above in fixed
integer columns, the service and target-group sums in one JSON column. Rows are kept for the
report's village and each ancestor up to the province; the nation sums the 38 provinces at read
time. The JSON sums are kept from the district up: a village's are summed from its few reports
when asked (`village_totals`), so the ~84,000 village rows of a month stay narrow and an import
touching thousands of villages rewrites no JSON for them.

A write (`apply`) rolls its changes up to every ancestor in memory, makes the missing rows
(`INSERT ... ON CONFLICT DO NOTHING`), locks and reads the rows it changes in one ordered
`SELECT ... FOR UPDATE` (region code, then month: the province first, so concurrent writers lock
in one order), and writes each changed row once, in one set-based upsert: a single report moves
4 rows, a 10,000-report import about as many rows as the villages, districts, regencies and
provinces it touches.

`expected` (the active posyandu a month is counted against) follows one rule: while a month is
open (the month being reported now and the current one, `fields.last_period()` on) the board reads
today's active count, and every write to the month stores that count in the rows it touches;
once the month has closed its stored `expected` stays as it was when last counted (a posyandu
deactivated later no longer lowers it), read from the row when there is one (a region and month
with no report has none: today's count, with nothing received to exceed it). Whatever the rule
gives, `expected` is never below `received` (a posyandu made active, reporting, then deactivated,
or created after the month closed and reporting it late).

`rebuild()` recomputes every count from the reports (tests compare it with the incremental state;
`pembina stats-rebuild` runs it with the others), keeping the stored `expected` of closed months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import uuid

from sqlalchemy import Column, MetaData, Table, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pembina.activity_reports import fields
from pembina.activity_reports.models import ActivityReport, ActivityReportTotals
from pembina.kit import bulk
from pembina.kit.scope import ancestors_of, level_of
from pembina.posyandu import counters as posyandu_counters
from pembina.posyandu.catalog import SPM_BIT, SPM_FIELDS
from pembina.stats.models import RegionStat

RECEIVED, ON_TIME, ACCEPTED, RETURNED = "received", "on_time", "accepted", "returned"
DAYS_OPEN, KADER_PRESENT = "days_open", "kader_present"
#: Levels whose rows keep the service and target-group sums (province, regency, district).
JSON_LEVELS = (1, 2, 3)
#: Codes looked up or locked at once.
CHUNK = 5000

TABLE: Table = ActivityReportTotals.__table__


def svc_metric(field: str, code: str) -> str:
    return f"svc.{field}.{code}"


def group_metric(name: str) -> str:
    return f"group.{name}"


def active_metric(field: str) -> str:
    return f"active.{field}"


#: metric -> its integer column
COLUMNS: dict[str, str] = {
    **{m: m for m in (RECEIVED, ON_TIME, ACCEPTED, RETURNED, DAYS_OPEN, KADER_PRESENT)},
    **{active_metric(f): f"active_{f}" for f in SPM_FIELDS},
}
_ZERO = dict.fromkeys(COLUMNS.values(), 0)


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


def keeps_json(region_code: str) -> bool:
    return level_of(region_code) in JSON_LEVELS


def rollup(deltas: Mapping[tuple[str, str], Mapping[str, int]]) -> dict[tuple[str, str], dict[str, int]]:
    """(region, month) -> metric -> change, added up to every ancestor to the province (the
    service and group metrics only where rows keep them); zero changes dropped."""
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (region_code, period), d in deltas.items():
        for code in _chain(region_code):
            json_too = keeps_json(code)
            row = out[(code, period)]
            for m, n in d.items():
                if n and (json_too or m in COLUMNS):
                    row[m] += n
    return {k: kept for k, v in out.items() if (kept := {m: n for m, n in v.items() if n})}


def _add_json(totals: Mapping[str, Any] | None, d: Mapping[str, int]) -> dict[str, Any] | None:
    """The JSON sums after adding the svc./group. metrics of `d` (zeros removed)."""
    svc: dict[str, dict[str, int]] = {f: dict(v) for f, v in ((totals or {}).get("svc") or {}).items()}
    groups: dict[str, int] = dict((totals or {}).get("groups") or {})
    for m, n in d.items():
        if m.startswith("svc."):
            field, code = m[4:].split(".", 1)
            v = svc.setdefault(field, {})
            v[code] = v.get(code, 0) + n
            if not v[code]:
                del v[code]
        elif m.startswith("group."):
            name = m[6:]
            groups[name] = groups.get(name, 0) + n
            if not groups[name]:
                del groups[name]
    return {"svc": {f: v for f, v in svc.items() if v}, "groups": groups}


def is_open(period: str) -> bool:
    """Whether the month is still open: its `expected` follows today's active count."""
    return period >= fields.last_period()


def active_counts(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """Today's active posyandu of each region (the posyandu counters)."""
    wanted = sorted(set(codes))
    out: dict[str, int] = {}
    for i in range(0, len(wanted), CHUNK):
        stmt = select(RegionStat.region_code, RegionStat.value).where(
            RegionStat.metric == posyandu_counters.ACTIVE, RegionStat.region_code.in_(wanted[i : i + CHUNK])
        )
        out.update({c: int(v) for c, v in session.execute(stmt)})
    return out


def _insert(session: Session) -> Any:
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(TABLE)


def _locked(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows of `keys`, locked in (region, month) order."""
    periods = sorted({p for _, p in keys})
    codes = sorted({c for c, _ in keys})
    wanted = set(keys)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for i in range(0, len(codes), CHUNK):
        stmt = (
            select(TABLE)
            .where(TABLE.c.region_code.in_(codes[i : i + CHUNK]), TABLE.c.period.in_(periods))
            .order_by(TABLE.c.region_code, TABLE.c.period)
            .with_for_update()
        )
        for row in session.execute(stmt).mappings():
            key = (row["region_code"], row["period"])
            if key in wanted:
                out[key] = dict(row)
    return out


#: From this many rows on, PostgreSQL writes go through a temporary table filled with COPY (an
#: import's thousands of rows: three set-based statements instead of a statement per row).
STAGED = 200


def apply(session: Session, deltas: Mapping[tuple[str, str], Mapping[str, int]]) -> int:
    """Add the changes of (report region, month) to its row and every ancestor's, in the caller's
    transaction. Returns the number of rows written."""
    changes = rollup(deltas)
    if not changes:
        return 0
    keys = sorted(changes)
    live = active_counts(session, {c for c, _ in keys})
    new = [{**_ZERO, "region_code": c, "period": p, "expected": live.get(c, 0), "totals": None} for c, p in keys]
    staged = session.get_bind().dialect.name == "postgresql" and len(keys) >= STAGED
    stage = _Stage(session) if staged else None
    if stage is not None:
        current = stage.ensure_and_lock(new)
    else:
        ins = _insert(session)
        for i in range(0, len(new), CHUNK):
            session.execute(ins.on_conflict_do_nothing(index_elements=[TABLE.c.region_code, TABLE.c.period]), new[i : i + CHUNK])
        current = _locked(session, keys)
    rows = []
    for key in keys:
        row, d = current[key], changes[key]
        for m, n in d.items():
            column = COLUMNS.get(m)
            if column is not None:
                row[column] += n
        if keeps_json(key[0]) and any(m not in COLUMNS for m in d):
            row["totals"] = _add_json(row["totals"], d)
        if is_open(key[1]):
            row["expected"] = live.get(key[0], 0)
        row["expected"] = max(row["expected"], row[RECEIVED])
        rows.append(row)
    if stage is not None:
        stage.write(rows)
        return len(rows)
    ins = _insert(session)
    upsert = ins.on_conflict_do_update(
        index_elements=[TABLE.c.region_code, TABLE.c.period],
        set_={c.name: ins.excluded[c.name] for c in TABLE.columns if not c.primary_key},
    )
    for i in range(0, len(rows), CHUNK):
        session.execute(upsert, rows[i : i + CHUNK])
    return len(rows)


class _Stage:
    """A temporary table shaped like the totals (PostgreSQL, a bulk write): the missing rows made
    with one INSERT ... SELECT ... ON CONFLICT DO NOTHING, the rows locked and read with one
    ordered join, the new values written with one UPDATE ... FROM, each filled by COPY."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.table = Table(
            f"report_totals_stage_{uuid.uuid4().hex[:12]}",
            MetaData(),
            *(Column(c.name, c.type) for c in TABLE.columns),
            prefixes=["TEMPORARY"],
            postgresql_on_commit="DROP",
        )
        self.table.create(session.connection())

    def ensure_and_lock(self, new: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
        s, t = self.table, TABLE
        bulk.insert_rows(self.session, s, new)
        names = [c.name for c in t.columns]
        made = (
            postgresql.insert(t)
            .from_select(names, select(*(s.c[n] for n in names)).order_by(s.c.region_code, s.c.period))
            .on_conflict_do_nothing(index_elements=[t.c.region_code, t.c.period])
        )
        self.session.execute(made)
        locked = (
            select(t)
            .join(s, and_(s.c.region_code == t.c.region_code, s.c.period == t.c.period))
            .order_by(t.c.region_code, t.c.period)
            .with_for_update(of=t)
        )
        return {(r["region_code"], r["period"]): dict(r) for r in self.session.execute(locked).mappings()}

    def write(self, rows: list[dict[str, Any]]) -> None:
        s, t = self.table, TABLE
        self.session.execute(s.delete())
        bulk.insert_rows(self.session, s, rows)
        values = {c.name: s.c[c.name] for c in t.columns if not c.primary_key}
        self.session.execute(update(t).where(t.c.region_code == s.c.region_code, t.c.period == s.c.period).values(values))
        self.table.drop(self.session.connection())


def adjust(session: Session, region_code: str, period: str, deltas: Mapping[str, int]) -> None:
    """Add `deltas` to the month's counters of `region_code` and its ancestors."""
    apply(session, {(region_code, period): deltas})


def move(session: Session, old: Mapping[str, int], new: Mapping[str, int], region_code: str, period: str) -> None:
    """A report's contribution changed (status, answers): add the difference."""
    merged: dict[str, int] = defaultdict(int)
    for k, v in old.items():
        merged[k] -= v
    for k, v in new.items():
        merged[k] += v
    adjust(session, region_code, period, merged)


# -- reading rows as metrics, recounting, rebuilding -------------------------------------------


def metrics_of(row: Mapping[str, Any]) -> dict[str, int]:
    """A row as metric -> value (the integer columns, and the JSON sums where kept), zeros dropped."""
    out = {m: int(row[c]) for m, c in COLUMNS.items() if row[c]}
    totals = (row["totals"] if "totals" in row else None) or {}
    for field, values in (totals.get("svc") or {}).items():
        for code, n in values.items():
            if n:
                out[svc_metric(field, code)] = int(n)
    for name, n in (totals.get("groups") or {}).items():
        if n:
            out[group_metric(name)] = int(n)
    return out


_REPORT_VALUES = (
    ActivityReport.region_code,
    ActivityReport.period,
    ActivityReport.status,
    ActivityReport.on_time,
    ActivityReport.days_open,
    ActivityReport.kader_present,
    ActivityReport.counts,
    ActivityReport.target_groups,
    ActivityReport.active_mask,
)


def _per_region(rows: Iterable[Any]) -> dict[tuple[str, str], dict[str, int]]:
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, period, status, on_time, days_open, kader, counts, groups, mask in rows:
        d = out[(code, period)]
        for m, n in contribution_of(status, on_time, days_open, kader, counts, groups, mask).items():
            d[m] += n
    return out


def village_totals(session: Session, region_code: str, period: str) -> dict[str, int]:
    """A village's service and group sums of a month, from its reports (rows keep none)."""
    stmt = select(*_REPORT_VALUES).where(
        ActivityReport.region_code == region_code, ActivityReport.period == period, ActivityReport.status != "draft"
    )
    return {m: n for m, n in _per_region(session.execute(stmt)).get((region_code, period), {}).items() if m not in COLUMNS}


def _recounted(session: Session) -> dict[tuple[str, str], dict[str, int]]:
    stmt = select(*_REPORT_VALUES).where(ActivityReport.status != "draft").execution_options(yield_per=2000)
    return rollup(_per_region(session.execute(stmt)))


def recount(session: Session) -> dict[tuple[str, str, str], int]:
    """Every non-zero counter computed from the reports themselves (the rule above)."""
    return {(c, p, m): n for (c, p), d in _recounted(session).items() for m, n in d.items()}


def snapshot(session: Session) -> dict[tuple[str, str, str], int]:
    """Every non-zero counter as kept (`expected` aside: it is not counted from the reports)."""
    out: dict[tuple[str, str, str], int] = {}
    for row in session.execute(select(TABLE)).mappings():
        for m, n in metrics_of(dict(row)).items():
            out[(row["region_code"], row["period"], m)] = n
    return out


def expected_kept(session: Session) -> dict[tuple[str, str], int]:
    """The stored `expected` of every row."""
    return {(c, p): int(e) for c, p, e in session.execute(select(TABLE.c.region_code, TABLE.c.period, TABLE.c.expected))}


def row_of(key: tuple[str, str], d: Mapping[str, int], expected: int) -> dict[str, Any]:
    """A new row from its metrics."""
    row: dict[str, Any] = {**_ZERO, "region_code": key[0], "period": key[1]}
    for m, n in d.items():
        column = COLUMNS.get(m)
        if column is not None:
            row[column] = n
    row["totals"] = _add_json(None, d) if keeps_json(key[0]) else None
    row["expected"] = max(expected, row[RECEIVED])
    return row


def write_new(session: Session, counted: Mapping[tuple[str, str], Mapping[str, int]], kept: Mapping[tuple[str, str], int]) -> int:
    """Replace every row by the `counted` ones (already rolled up): a closed month keeps its
    `kept` expected, an open one (or one never kept) gets today's active count."""
    live = active_counts(session, {c for c, _ in counted})

    def rows() -> Iterator[dict[str, Any]]:
        for key in sorted(counted):
            expected = kept[key] if key in kept and not is_open(key[1]) else live.get(key[0], 0)
            yield row_of(key, counted[key], expected)

    session.execute(delete(TABLE))
    return bulk.insert_rows(session, TABLE, rows())


def rebuild(session: Session) -> int:
    """Recompute every row from the reports, keeping the `expected` of closed months. Returns the
    number of rows written."""
    kept = expected_kept(session)
    return write_new(session, _recounted(session), kept)
