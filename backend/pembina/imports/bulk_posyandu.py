"""Posyandu imports in bulk: validated rows stream into a temporary staging table (PostgreSQL
COPY, SQLite executemany in chunks), then a handful of set-based statements classify them
(created / updated / unchanged), write them, record one audit event per changed posyandu (so
the change feed stays complete for integrators) and adjust the region counters in one go."""

from __future__ import annotations

import json
import uuid
import operator
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from pembina.kit import search
from pembina.kit.i18n import tr
from pembina.audit.models import AuditEvent
from pembina.kit.db import RegionCode, UTCDateTime, utcnow
from pembina.imports.rows import Batch, Errors
from pembina.posyandu import counters
from pembina.posyandu.catalog import SPM_BIT, SPM_FIELDS
from pembina.posyandu.models import Posyandu, RegistrationStatus
from pembina.stats.models import RegionStat

CHUNK = 5000
#: PostgreSQL's work_mem for an import's transaction.
WORK_MEM = "256MB"
P = Posyandu.__table__

#: file column -> posyandu column (the key columns region_code and name map to themselves).
FIELDS = {
    "rw": "rw",
    "rt": "rt",
    "address": "address",
    "lat": "latitude",
    "lon": "longitude",
    "active": "is_active",
    "strata": "stratum",
    "pengurus_count": "pengurus_count",
    "kader_count": "kader_count",
    "notes": "notes",
}
#: (search_text: the name and address as `kit.search` composes them, for new rows and changed addresses)
STAGE_COLUMNS = ["row_no", "region_code", "name", *FIELDS.values(), "services", "spm_mask", "search_text"]
DEFAULTS = {"is_active": True, "pengurus_count": 0, "kader_count": 0}


def stage_table(name: str) -> Table:
    return Table(
        name,
        MetaData(),
        Column("row_no", Integer, nullable=False),
        Column("region_code", RegionCode, nullable=False),
        Column("name", String(200), nullable=False),
        Column("rw", String(8)),
        Column("rt", String(8)),
        Column("address", String(500)),
        Column("latitude", Float),
        Column("longitude", Float),
        Column("is_active", Boolean),
        Column("stratum", String(32)),
        Column("pengurus_count", Integer),
        Column("kader_count", Integer),
        Column("notes", Text),
        Column("services", Text),
        Column("spm_mask", Integer),
        Column("search_text", Text),
        prefixes=["TEMPORARY"],
    )


def match_table(stage: Table) -> Table:
    """The staged rows that name an existing posyandu: which one, and whether the row changes it.
    A narrow table of its own: writing it costs a fraction of updating every wide staged row."""
    return Table(
        f"{stage.name}_m",
        MetaData(),
        Column("row_no", Integer, nullable=False),
        Column("target_id", Integer, nullable=False),
        #: The row differs from its posyandu in a column the file sets.
        Column("changed", Boolean, nullable=False),
        prefixes=["TEMPORARY"],
    )


def updated_fields(present: set[str]) -> list[str]:
    """The posyandu columns a file sets: those it has (services when any SPM column is there)."""
    out = [FIELDS[c] for c in FIELDS if c in present]
    if present & set(SPM_FIELDS):
        out += ["services", "spm_mask"]
    return out


_compact_json = json.JSONEncoder(separators=(",", ":")).encode


_FILE_COLUMNS = list(FIELDS)
_DEFAULT_AT = [(list(FIELDS.values()).index(k), d) for k, d in DEFAULTS.items()]
_SPM_BITS = [(f, SPM_BIT[f]) for f in SPM_FIELDS]


def to_stage_row(row_no: int, v: dict[str, Any]) -> tuple[Any, ...]:
    """A validated record as a staging row (called once per row: kept lean)."""
    get = v.get
    services: dict[str, list[str]] = {}
    mask = 0
    for f, bit in _SPM_BITS:
        codes = get(f)
        if codes:
            services[f] = codes
            mask |= bit
    cols = [get(c) for c in _FILE_COLUMNS]
    for i, default in _DEFAULT_AT:
        if cols[i] is None:
            cols[i] = default
    return (row_no, v["region_code"], v["name"], *cols, _compact_json(services), mask, search.compose(v["name"], get("address"), None))


def stage_batches(batches: Iterator[Batch]) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of validated columns (rows.record_batches) as batches of staging rows: the rows
    `to_stage_row` makes, built a column at a time. A service cell's JSON and bit are worked out
    once per distinct list of codes in the batch (the parser hands out one list per distinct
    cell), then looked up."""
    for row_nos, v in batches:
        n = len(row_nos)
        if not n:
            continue
        blank: list[Any] = [None] * n
        cols = [v.get(c, blank) for c in _FILE_COLUMNS]
        for i, default in _DEFAULT_AT:
            cols[i] = [default if x is None else x for x in cols[i]]
        fragments: list[list[str]] = []
        masks = [0] * n
        for f, bit in _SPM_BITS:
            lists = v.get(f)
            if lists is None:
                continue
            ids = list(map(id, lists))
            by_id = dict(zip(ids, lists))
            head = _compact_json(f) + ":"
            json_of = {k: head + _compact_json(codes) if codes else "" for k, codes in by_id.items()}
            bit_of = {k: bit if codes else 0 for k, codes in by_id.items()}
            fragments.append(list(map(json_of.__getitem__, ids)))
            masks = list(map(operator.or_, masks, map(bit_of.__getitem__, ids)))
        as_json = ["{" + ",".join(filter(None, parts)) + "}" for parts in zip(*fragments)] if fragments else ["{}"] * n
        texts = list(map(_search_text, v["name"], v.get("address", blank)))
        yield list(zip(row_nos, v["region_code"], v["name"], *cols, as_json, masks, texts))


def _search_text(name: str, address: str | None) -> str:
    """A new posyandu's search text (no registration number yet)."""
    return search.compose(name, address, None)


def load_stage(session: Session, stage: Table, batches: Iterator[list[tuple[Any, ...]]], progress: Callable[[int], None] | None) -> int:
    """Stream batches of rows into the staging table; returns how many rows."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Sorts and hashes over a whole file's rows stay in memory rather than spilling to disk
        # (for this transaction only).
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
    stage.create(conn)
    n = 0
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy(f"COPY {stage.name} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:  # type: ignore[union-attr]
            write = copy.write_row
            for batch in batches:
                for row in batch:
                    write(row)
                n += len(batch)
                if progress:
                    progress(len(batch))
    else:
        stmt = stage.insert()
        for batch in batches:
            if batch:
                conn.execute(stmt, [dict(zip(STAGE_COLUMNS, r)) for r in batch])
            n += len(batch)
            if progress:
                progress(len(batch))
    conn.exec_driver_sql(f"CREATE INDEX {stage.name}_key ON {stage.name} (region_code, name)")
    conn.exec_driver_sql(f"CREATE UNIQUE INDEX {stage.name}_row ON {stage.name} (row_no)")
    _analyze(session, stage.name)
    return n


def _analyze(session: Session, *tables: str) -> None:
    """Fresh planner statistics after bulk changes (PostgreSQL plans joins from them)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        for name in tables:
            conn.exec_driver_sql(f"ANALYZE {name}")


def _same(stage: Table, fields: list[str], dialect: str) -> ColumnElement[bool]:
    """The staged row equals the stored posyandu in every column the file sets."""
    parts: list[ColumnElement[bool]] = []
    for f in fields:
        if f == "services":
            if dialect == "postgresql":
                parts.append(cast(P.c.services, JSONB) == cast(stage.c.services, JSONB))
            else:
                parts.append(func.json(P.c.services) == func.json(stage.c.services))
        else:
            parts.append(P.c[f].is_not_distinct_from(stage.c[f]))
    return and_(*parts) if parts else literal(True)


def match(session: Session, stage: Table, fields: list[str], errors: Errors) -> Subquery:
    """Point each staged row at the posyandu with its village and name, and mark whether it
    changes that posyandu (one pass into the match table); report ambiguous keys and keys given
    twice in the file. Returns the staged rows with their `target_id` (None: a new posyandu) and
    `changed`, which the later steps read."""
    conn = session.connection()
    _analyze(session, P.name)
    m = match_table(stage)
    m.create(conn)
    key = and_(P.c.region_code == stage.c.region_code, P.c.name == stage.c.name)
    changed = not_(_same(stage, fields, conn.dialect.name)) if fields else literal(False)
    conn.execute(
        insert(m).from_select(["row_no", "target_id", "changed"], select(stage.c.row_no, P.c.id, changed).select_from(stage.join(P, key)))
    )
    conn.exec_driver_sql(f"CREATE INDEX {m.name}_row ON {m.name} (row_no)")
    _analyze(session, m.name)
    twice = (
        select(stage.c.region_code, stage.c.name, func.min(stage.c.row_no), func.count())
        .group_by(stage.c.region_code, stage.c.name)
        .having(func.count() > 1)
        .order_by(func.min(stage.c.row_no))
    )
    for code, name, first, n in conn.execute(twice.limit(2000)):
        for (row_no,) in conn.execute(
            select(stage.c.row_no)
            .where(stage.c.region_code == code, stage.c.name == name, stage.c.row_no != first)
            .order_by(stage.c.row_no)
        ):
            errors.add(
                row_no,
                "name",
                name,
                tr(
                    f"'{name}' in {code} is given twice in the file (also on row {first}).",
                    f"'{name}' di {code} muncul dua kali dalam berkas (juga di baris {first}).",
                ),
            )
    several = select(m.c.row_no).group_by(m.c.row_no).having(func.count() > 1).subquery()
    ambiguous = (
        select(stage.c.row_no, stage.c.region_code, stage.c.name).join(several, several.c.row_no == stage.c.row_no).order_by(stage.c.row_no)
    )
    for row_no, code, name in conn.execute(ambiguous.limit(2000)):
        errors.add(
            row_no,
            "name",
            name,
            tr(
                f"Several posyandu in {code} are named '{name}': rename them first so that the row names one.",
                f"Beberapa posyandu di {code} bernama '{name}': ubah dulu namanya agar baris ini menunjuk satu posyandu.",
            ),
        )
    return select(stage, m.c.target_id, m.c.changed).select_from(stage.outerjoin(m, m.c.row_no == stage.c.row_no)).subquery("staged")


def drop(session: Session, stage: Table) -> None:
    """Drop the staging table and its match table (temporary: gone with the session anyway)."""
    conn = session.connection()
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {match_table(stage).name}")
    stage.drop(conn)


def classify(session: Session, stage: Subquery) -> tuple[int, int, int]:
    """(created, updated, unchanged) of the matched staged rows."""
    conn = session.connection()
    row = conn.execute(
        select(
            func.coalesce(func.sum(case((stage.c.target_id.is_(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((stage.c.changed.is_(True), 1), else_=0)), 0),
            func.count(),
        )
    ).one()
    created, updated, total = (int(x) for x in row)
    return created, updated, total - created - updated


def _json_object(dialect: str, pairs: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    args: list[Any] = []
    for k, v in pairs.items():
        if k == "services":
            v = cast(v, JSON) if dialect == "postgresql" else func.json(v)
        elif dialect == "sqlite" and k == "is_active":
            v = func.json(case((v, "true"), else_="false"))
        args += [literal(k), v]
    if dialect == "postgresql":
        return cast(func.json_build_object(*args), JSONB)
    return func.json_object(*args)


def _iso(dialect: str, ts: ColumnElement[Any]) -> ColumnElement[Any]:
    """A stored UTC timestamp as the API's audit snapshots write it (Python's isoformat():
    2026-11-30T18:37:09.402419+00:00, no fraction when whole seconds); NULL stays NULL."""
    if dialect == "postgresql":
        utc = ts.op("AT TIME ZONE")(literal("UTC"))
        whole = func.date_part("microseconds", ts).cast(Integer).op("%")(1_000_000) == 0
        return func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS').concat(case((whole, ""), else_=func.to_char(utc, ".US"))).concat("+00:00")
    # SQLite stores them naive, as 'YYYY-MM-DD HH:MM:SS.ffffff'
    whole = or_(func.length(ts) <= 19, func.substr(ts, 21, 6) == "000000")
    return (
        func.substr(ts, 1, 10)
        .concat("T")
        .concat(func.substr(ts, 12, 8))
        .concat(case((whole, ""), else_=literal(".").concat(func.substr(ts, 21, 6))))
        .concat("+00:00")
    )


def _snapshot(dialect: str) -> dict[str, ColumnElement[Any]]:
    """A posyandu's columns as its audit snapshot holds them (timestamps as ISO text)."""
    return {c.name: _iso(dialect, c) if isinstance(c.type, UTCDateTime) else c for c in P.columns if not c.info.get("search")}


def _audit(
    session: Session,
    source: Any,
    row: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | ColumnElement[Any],
    where: ColumnElement[bool],
    now: Any,
) -> None:
    """One audit event per posyandu `row` (the table or CTE whose id and region_code name it) of
    `source`, as one INSERT ... SELECT."""
    conn = session.connection()
    dialect = conn.dialect.name
    principal = session.info.get("principal")
    actor, actor_name = (
        (principal.subject, principal.name)
        if principal is not None
        else (session.info.get("actor", "system"), session.info.get("actor_name"))
    )
    cols = {
        "occurred_at": literal(now, UTCDateTime()),
        "actor": literal(actor),
        "actor_name": literal(actor_name, String()),
        "action": literal(action),
        "entity_type": literal("posyandu"),
        "entity_id": cast(row.c.id, String),
        "region_code": row.c.region_code,
        "before": _json_object(dialect, before) if before is not None else literal(None, JSON()),
        "after": _json_object(dialect, after) if isinstance(after, dict) else after,
        "request_id": literal(session.info.get("request_id"), String()),
        "txid": func.txid_current() if dialect == "postgresql" else literal(0),
    }
    sel = select(*(v.label(k) for k, v in cols.items())).select_from(source).where(where)
    conn.execute(insert(AuditEvent.__table__).from_select(list(cols), sel))


def _as_int(flag: ColumnElement[Any]) -> ColumnElement[int]:
    return case((flag, 1), else_=0)


def _has(mask: ColumnElement[Any], spm_field: str) -> ColumnElement[int]:
    return _as_int(mask.op("&")(SPM_BIT[spm_field]) != 0)


def _adjust_counters(session: Session, stage: Subquery, fields: list[str]) -> None:
    """Bring the region counters along, set-based: one pass over the staged rows sums each
    village's deltas (new rows, and changed rows before they change) into a small table, which
    is rolled up to every ancestor up to the province and upserted into region_stats. Registration
    status never changes in an import."""
    conn = session.connection()
    new = stage.c.target_id.is_(None)
    changed = stage.c.changed.is_(True)
    metrics: dict[str, ColumnElement[Any]] = {
        counters.TOTAL: _as_int(new),
        counters.status_metric(RegistrationStatus.unregistered): _as_int(new),
        counters.ACTIVE: case(
            (new, _as_int(stage.c.is_active)),
            (and_(changed, literal("is_active" in fields)), _as_int(stage.c.is_active) - _as_int(P.c.is_active)),
            else_=0,
        ),
        **{
            counters.spm_metric(f): case(
                (new, _has(stage.c.spm_mask, f)),
                (and_(changed, literal("spm_mask" in fields)), _has(stage.c.spm_mask, f) - _has(P.c.spm_mask, f)),
                else_=0,
            )
            for f in SPM_FIELDS
        },
    }
    names = [f"m{i}" for i in range(len(metrics))]
    name = f"import_counters_{uuid.uuid4().hex[:12]}"
    deltas = Table(f"{name}_d", MetaData(), Column("code", RegionCode), *(Column(n, Integer) for n in names), prefixes=["TEMPORARY"])
    rolled = Table(f"{name}_r", MetaData(), Column("code", RegionCode), *(Column(n, Integer) for n in names), prefixes=["TEMPORARY"])
    deltas.create(conn)
    rolled.create(conn)
    wide = select(stage.c.region_code, *(func.sum(expr) for expr in metrics.values())).select_from(
        stage.outerjoin(P, P.c.id == stage.c.target_id)
    )
    conn.execute(insert(deltas).from_select(["code", *names], wide.where(or_(new, changed)).group_by(stage.c.region_code)))
    # Roll the village rows (one per village, not per row) up a level at a time, still wide:
    # dotted codes: district 8 characters, regency 5, province 2 (the nation is summed from its
    # provinces when read: no row of its own).
    sums = [func.sum(deltas.c[n]) for n in names]
    levels = [select(deltas.c.code, *(deltas.c[n] for n in names))]
    for width in (8, 5, 2):
        prefix = func.substr(deltas.c.code, 1, width)
        levels.append(select(prefix, *sums).group_by(prefix))
    conn.execute(insert(rolled).from_select(["code", *names], union_all(*levels)))
    # ... then one narrow row per region and metric that moved, upserted into region_stats.
    narrow = union_all(*(select(rolled.c.code, literal(metric), rolled.c[n]).where(rolled.c[n] != 0) for metric, n in zip(metrics, names)))
    table = RegionStat.__table__
    # (in key order: the primary key index is then filled page by page rather than at random)
    moved = narrow.subquery("moved")
    code, metric, value = moved.c
    if conn.dialect.name == "postgresql":
        # Writers of counters in the provinces the import touches wait for it anyway; holding
        # them all off from here (readers are not) lets the missing counters be plain inserts, about
        # twice as fast as an upsert of the same hundreds of thousands of rows.
        conn.exec_driver_sql(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE")
        key = and_(table.c.region_code == code, table.c.metric == metric)
        conn.execute(update(table).values(value=table.c.value + value).where(key))
        missing = select(code, metric, value).where(~exists().where(key)).order_by(code, metric)
        conn.execute(insert(table).from_select(["region_code", "metric", "value"], missing))
    else:
        upsert = sqlite.insert(table)
        stmt = upsert.from_select(["region_code", "metric", "value"], select(moved).where(literal(True)).order_by(code, metric))
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.region_code, table.c.metric], set_={"value": table.c.value + upsert.excluded.value}
            )
        )
    rolled.drop(conn)
    deltas.drop(conn)


def apply(session: Session, stage: Subquery, fields: list[str]) -> None:
    """Write the staged rows: update the changed posyandu, insert the new ones, audit both, and
    bring the region counters along, all in the caller's transaction."""
    conn = session.connection()
    dialect = conn.dialect.name
    now = utcnow()
    _adjust_counters(session, stage, fields)
    changed = stage.c.changed.is_(True)
    stamp = literal(now.isoformat(), String())  # `now` in snapshots, as the API writes it
    joined = stage.join(P, P.c.id == stage.c.target_id)
    if fields:
        before = _snapshot(dialect)
        after = {**before, **{f: stage.c[f] for f in fields}, "version": P.c.version + 1, "updated_at": stamp}
        _audit(session, joined, P, "update", before, after, changed, now)
        values: dict[str, Any] = {f: stage.c[f] for f in fields}
        if "services" in fields and dialect == "postgresql":
            values["services"] = cast(stage.c.services, JSON)
        if "address" in fields:  # a searched column: the staged search text, then the registration numbers added
            values["search_text"] = stage.c.search_text
        conn.execute(
            update(P)
            .values(**values, version=P.c.version + 1, updated_at=literal(now, UTCDateTime()))
            .where(P.c.id == stage.c.target_id, changed)
        )
        if "address" in fields:
            updated = select(stage.c.target_id).where(changed, stage.c.target_id.is_not(None))
            search.refresh(session, Posyandu, and_(P.c.registration_number.is_not(None), P.c.id.in_(updated)))
    new_cols = {
        "region_code": stage.c.region_code,
        "name": stage.c.name,
        **{f: stage.c[f] for f in FIELDS.values()},
        "services": cast(stage.c.services, JSON) if dialect == "postgresql" else stage.c.services,
        "spm_mask": stage.c.spm_mask,
        "registration_status": literal(RegistrationStatus.unregistered),
        "version": literal(1),
        "created_at": literal(now, UTCDateTime()),
        "updated_at": literal(now, UTCDateTime()),
        "search_text": stage.c.search_text,
    }
    sel = select(*(v.label(k) for k, v in new_cols.items())).where(stage.c.target_id.is_(None)).order_by(stage.c.row_no)
    if dialect == "postgresql":
        # Insert and audit in one statement: the audit events are made from the rows the insert
        # returns (no second pass over the table), each the whole row as JSONB in one call (the
        # same object as naming every column, cheaper).
        # (the timestamps returned as the snapshot's text: every new row has them equal to `now`)
        returned = [stamp.label(c.name) if c.name in ("created_at", "updated_at") else c for c in P.columns]
        created = insert(P).from_select(list(new_cols), sel).returning(*returned).cte("created")
        snapshot = func.to_jsonb(created.table_valued()).op("-")(literal("search_text"))  # derived: not in snapshots
        _audit(session, created, created, "create", None, snapshot, literal(True), now)
    else:
        conn.execute(insert(P).from_select(list(new_cols), sel))
        # the rows just inserted are those created at this very instant
        _audit(
            session,
            P,
            P,
            "create",
            None,
            {**_snapshot(dialect), "created_at": stamp, "updated_at": stamp},
            P.c.created_at == literal(now, UTCDateTime()),
            now,
        )


def new_stage() -> Table:
    return stage_table(f"import_stage_{uuid.uuid4().hex[:12]}")
