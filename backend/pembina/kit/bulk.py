"""Bulk inserts for set-based writers (synthetic data, counter rebuilds).

PostgreSQL gets `COPY ... FROM STDIN` through the session's own psycopg connection (inside the
caller's transaction, so all-or-nothing still holds); SQLite gets `executemany` in batches,
which its driver does natively. Row-by-row INSERTs through an ORM would be 10-50× slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import json
from itertools import chain
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.orm import Session

from pembina.kit import search

BATCH = 10_000


def insert_rows(session: Session, table: Table, rows: Iterable[Mapping[str, Any]], *, progress: Callable[[int], None] | None = None) -> int:
    """Insert `rows` (dicts keyed by column name, all with the same keys) into `table` (with their
    search text, `kit.search`, when the table is searchable)."""
    rows = search.with_search_text(table, rows)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return _copy(conn.connection.driver_connection, table, rows, progress)
    n, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            session.execute(insert(table), chunk)
            n += len(chunk)
            if progress:
                progress(len(chunk))
            chunk = []
    if chunk:
        session.execute(insert(table), chunk)
        n += len(chunk)
        if progress:
            progress(len(chunk))
    return n


def _copy(raw: Any, table: Table, rows: Iterable[Mapping[str, Any]], progress: Callable[[int], None] | None) -> int:
    from psycopg import sql
    from psycopg.types.json import Jsonb

    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    columns = list(first)
    json_cols = {c for c in columns if isinstance(table.c[c].type, JSON)}
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    n = 0
    #: per JSON column, the previous row's value and its dump: writers often give every row the
    #: same object (a report's questions), dumped once then
    last: dict[str, tuple[Any, Any]] = {}

    def dumped(c: str, v: Any) -> Any:
        prev = last.get(c)
        if prev is not None and prev[0] is v:
            return prev[1]
        j = Jsonb(v, dumps=_dumps_once(v))
        last[c] = (v, j)
        return j

    with raw.cursor() as cur, cur.copy(stmt) as copy:
        for r in chain((first,), it):
            copy.write_row([dumped(c, r[c]) if c in json_cols and r[c] is not None else r[c] for c in columns])
            n += 1
            if progress and n % BATCH == 0:
                progress(BATCH)
    if progress and n % BATCH:
        progress(n % BATCH)
    return n


def _dumps_once(value: Any) -> Callable[[Any], str]:
    """A `dumps` for psycopg's Jsonb that serialises `value` once, however many rows write it."""
    text = json.dumps(value)

    def dumps(_: Any) -> str:
        return text

    return dumps
