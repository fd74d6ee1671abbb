"""Text search that is fast at national scale and the same on SQLite and PostgreSQL.

Every searchable record kind keeps a *search text*: the searched columns, each normalised in
Python by `normalise` (compatibility decomposition, combining marks dropped, case-folded,
whitespace collapsed) and joined by a newline. A query is normalised the same way and matches
the records whose search text contains it (a substring: "seruni" finds "Posyandu Séruni II";
"%" and "_" are literal; a query never spans two searched columns, since it holds no newline).
Both databases compare the same prepared strings, so they find the same rows, and the list's
own sort orders them.

The index that makes it fast differs:

* PostgreSQL: a `pg_trgm` GIN index (`gin_trgm_ops`) on the search text, which serves
  `search_text LIKE '%q%'` for queries of 3+ characters.
* SQLite (3.40, no `remove_diacritics` for trigrams, hence the Python normalisation): an FTS5
  table `<table>_search` with the trigram tokenizer, kept in step with the table by triggers
  (migration 0026). A query of 3+ characters picks candidates from it (a phrase of its
  trigrams), and the LIKE on the row's own search text then decides, so the rows are exactly
  PostgreSQL's. Queries of 1–2 characters have no trigram: both databases scan then (they
  match most rows anyway).

The search text is written by the app, never by the database: a column default for every
INSERT (ORM or Core, one row or many), a `before_update` ORM event for every flushed change,
`with_search_text` for `kit.bulk` (COPY bypasses column defaults), `refresh` for set-based
UPDATEs of a searched column, and migration 0026 for the rows that were there before.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, Text, and_, bindparam, column, event, func, literal_column, select, table, true
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, mapped_column
from sqlalchemy.sql.elements import ColumnClause

from pembina.kit.db import AFTER_STAMPS

#: Between two searched columns in a search text (a normalised query never holds one).
SEPARATOR = "\n"
#: The shortest query the trigram indexes serve.
TRIGRAM = 3
BATCH = 5_000


def normalise(text: str | None) -> str:
    """`text` as searches compare it: case-folded, NFKD-decomposed without combining marks (so
    "Séruni", "SERUNI" and "seruni" are one), whitespace runs as one space, no outer spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def compose(*values: str | None) -> str:
    """The search text of a record whose searched columns hold `values` (in the spec's order)."""
    return SEPARATOR.join(normalise(v) for v in values)


@dataclass(frozen=True)
class Spec:
    """One searchable table: its search-text column, the columns it is made of, and the key
    its SQLite FTS5 table (`<table>_search`) holds (the integer id as the rowid, or a text key
    stored in an unindexed column)."""

    table: Table
    column: str
    sources: tuple[str, ...]
    key: str
    rowid_key: bool

    @property
    def fts(self) -> str:
        return f"{self.table.name}_search"

    def text_of(self, row: Mapping[Any, Any]) -> str:
        return compose(*(row.get(s) for s in self.sources))


SPECS: dict[str, Spec] = {}


def column_default(*sources: str) -> Any:
    """A Core column default computing the search text from the INSERT's own values (every
    INSERT that does not name the column: ORM flushes, `insert(table)` with one or many rows)."""

    def default(context: Any) -> str:
        params = context.get_current_parameters()
        return compose(*(params.get(s) for s in sources))

    return default


def text_column(*sources: str) -> Any:
    """The `search_text` column of a searchable model (then `searchable(Model, *sources)`)."""
    return mapped_column(Text, nullable=False, default=column_default(*sources), info={"search": True}, sort_order=AFTER_STAMPS + 1)


def searchable(model: Any, *sources: str, column: str = "search_text") -> Spec:
    """Register `model` as searchable on `column`, made of `sources`; keeps it current on every
    ORM flush that changes a source."""
    t: Table = model.__table__
    (pk,) = t.primary_key.columns
    spec = Spec(table=t, column=column, sources=tuple(sources), key=pk.name, rowid_key=pk.type.python_type is int)
    SPECS[t.name] = spec

    def before_update(_mapper: Any, _conn: Connection, target: Any) -> None:
        value = compose(*(getattr(target, s) for s in sources))
        if getattr(target, column) != value:
            setattr(target, column, value)

    event.listen(model, "before_update", before_update)
    return spec


def spec_of(model_or_table: Any) -> Spec:
    t = getattr(model_or_table, "__table__", model_or_table)
    return SPECS[t.name]


def with_search_text(t: Table, rows: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """`rows` for a bulk INSERT into `t`, each with its search text when `t` is searchable and the
    row has none (PostgreSQL's COPY never runs the column default)."""
    spec = SPECS.get(t.name)
    if spec is None:
        return rows

    def filled() -> Iterator[Mapping[str, Any]]:
        for row in rows:
            yield row if spec.column in row else {**row, spec.column: spec.text_of(row)}

    return filled()


def scrubbed(t: Table, row: Mapping[Any, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """`changed` (new values of some columns of a row now holding `row`) with the search text
    recomputed when a searched column is among them (and never rewritten on its own)."""
    spec = SPECS.get(t.name)
    if spec is None:
        return changed
    changed = {k: v for k, v in changed.items() if k != spec.column}
    if any(s in changed for s in spec.sources):
        changed[spec.column] = spec.text_of({**row, **changed})
    return changed


def refresh(session: Session, model: Any, where: ColumnElement[bool]) -> int:
    """Recompute the search text of the rows matching `where` (after a set-based UPDATE of a
    searched column): read in batches, rewritten by key where it changed. Returns rows rewritten."""
    spec = spec_of(model)
    t = spec.table
    key, target = t.c[spec.key], t.c[spec.column]
    stmt = select(key, target, *(t.c[s] for s in spec.sources)).where(where).order_by(key)
    update = t.update().where(key == bindparam("_key")).values({spec.column: bindparam("_text")})
    n = 0
    pending: list[dict[str, Any]] = []
    for row in session.execute(stmt).mappings().all():
        text = spec.text_of(row)
        if text != row[spec.column]:
            pending.append({"_key": row[spec.key], "_text": text})
        if len(pending) == BATCH:
            session.execute(update, pending)
            n, pending = n + len(pending), []
    if pending:
        session.execute(update, pending)
        n += len(pending)
    return n


def like_pattern(needle: str) -> str:
    """A LIKE pattern for `needle` anywhere, `%`, `_` and `\\` taken literally (escape `\\`)."""
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_phrase(needle: str) -> str:
    """`needle` as one FTS5 string (a phrase of its trigrams: the substring)."""
    return '"' + needle.replace('"', '""') + '"'


def matches(session: Session, model: Any, q: str) -> ColumnElement[bool]:
    """Rows of `model` whose search text contains `q` (normalised), for a list's WHERE."""
    spec = spec_of(model)
    needle = normalise(q)
    if not needle:
        return true()
    t = spec.table
    if session.get_bind().dialect.name != "sqlite":
        return _postgresql_match(session, spec, needle)
    like = t.c[spec.column].like(like_pattern(needle), escape="\\")
    if len(needle) < TRIGRAM:
        return like
    fts = table(spec.fts, column("rowid"), column(spec.key))
    found: ColumnClause[Any] = fts.c.rowid if spec.rowid_key else fts.c[spec.key]
    hits = select(found).where(literal_column(spec.fts).op("MATCH")(fts_phrase(needle)))
    return and_(t.c[spec.key].in_(hits), like)


# -- PostgreSQL: what the trigram index is asked ------------------------------------------------

#: A trigram in more than this share of a table's rows is *common*: its entry in the trigram
#: index lists most of the table, and a search whose pattern holds it reads that whole list.
COMMON_SHARE = 0.10
#: How many rows a table's common trigrams are counted in (a random sample of its pages).
SAMPLE_ROWS = 5_000
#: How long a process keeps a table's common trigrams before sampling again (seconds).
SAMPLE_TTL = 3_600.0
#: Below this many rows (PostgreSQL's estimate) no trigram list is long: nothing is sampled.
SMALL_TABLE = 20_000

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class _Sampled:
    trigrams: frozenset[str]
    at: float


_common: dict[tuple[str, str], _Sampled] = {}
_sampling = threading.Lock()


def trigrams(text: str) -> set[str]:
    """The trigrams the index keeps of `text` within its words (pg_trgm's words: runs of letters
    and digits; the blank-padded trigrams at a word's ends are left out)."""
    return {w[i : i + 3] for w in _WORD.findall(text) for i in range(len(w) - 2)}


def common_trigrams(session: Session, spec: Spec) -> frozenset[str]:
    """The trigrams in more than `COMMON_SHARE` of `spec`'s table's rows, counted in a sample of
    `SAMPLE_ROWS` rows and kept for `SAMPLE_TTL` by this process (none for a small table). A
    guide for `_postgresql_match`, not a fact it relies on: a stale answer makes a search
    slower, never different."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    key = (engine.url.render_as_string(hide_password=True), spec.table.name)
    kept = _common.get(key)
    if kept is not None and time.monotonic() - kept.at < SAMPLE_TTL:
        return kept.trigrams
    with _sampling:
        kept = _common.get(key)
        if kept is not None and time.monotonic() - kept.at < SAMPLE_TTL:
            return kept.trigrams
        found = _sample(session, spec)
        _common[key] = _Sampled(found, time.monotonic())
        return found


def _sample(session: Session, spec: Spec) -> frozenset[str]:
    rows = session.scalar(
        select(literal_column("reltuples")).select_from(table("pg_class")).where(column("oid") == func.to_regclass(spec.table.name))
    )
    if rows is not None and 0 <= rows < SMALL_TABLE:
        return frozenset()
    # SYSTEM sampling reads whole pages at random: about SAMPLE_ROWS rows, never the table.
    percent = 100.0 if not rows or rows <= SAMPLE_ROWS else max(0.01, 100.0 * SAMPLE_ROWS / rows)
    texts = session.scalars(select(spec.table.tablesample(func.system(percent)).c[spec.column]).limit(SAMPLE_ROWS)).all()
    counts: Counter[str] = Counter()
    for text_ in texts:
        counts.update(trigrams(text_))
    return frozenset(g for g, n in counts.items() if n > COMMON_SHARE * len(texts)) if texts else frozenset()


def rare_runs(needle: str, common: frozenset[str]) -> list[str]:
    """The longest pieces of `needle`'s words (3+ characters) none of whose trigrams is common."""
    runs = []
    for word in _WORD.findall(needle):
        start = 0
        for i in range(len(word) - 2):
            if word[i : i + 3] in common:
                if i + 2 - start >= 3:
                    runs.append(word[start : i + 2])
                start = i + 1
        if len(word) - start >= 3:
            runs.append(word[start:])
    return runs


def _postgresql_match(session: Session, spec: Spec, needle: str) -> ColumnElement[bool]:
    """`search_text LIKE '%needle%'`, with the trigram index asked only what is worth asking.

    The index reads, for each trigram of the pattern, the list of rows holding it, and keeps the
    rows on every list. A trigram in most rows (every synthetic name's "[SINTETIS]", every team's
    "tp posyandu", every decree number's "SK-TPP") has a list of most of the table: 32 ms to
    search "sintetis-00012" in 300,000 posyandu, 1.3 ms when the index is asked for "0012" only
    and the whole pattern is checked on the rows it gives. So, when the needle holds common
    trigrams (`common_trigrams`), the index is asked for its rare runs (`rare_runs`) and the
    pattern itself is checked on each row found, through an expression no index serves. With no
    rare run at all (every trigram of 3+ characters common, e.g. "12/sk-tpp") the index is asked
    for the whole pattern as before: walking the list's order instead cost 50-70 ms for a needle
    that most rows lack. The rows are the same either way.

    The patterns are written into the statement (quoted by the dialect), not sent as parameters:
    PostgreSQL then plans each search for its own pattern. As a parameter, a statement run five
    times became a prepared statement with a generic plan that cannot tell a rare word from a
    common one (every regions search took 16-20 ms instead of 1-2)."""
    col = spec.table.c[spec.column]

    def like(target: ColumnElement[Any], piece: str) -> ColumnElement[bool]:
        return target.like(bindparam(None, like_pattern(piece), literal_execute=True), escape="\\")

    if len(needle) < TRIGRAM or not (trigrams(needle) & (common := common_trigrams(session, spec))):
        return like(col, needle)
    runs = rare_runs(needle, common)
    if not runs:
        return like(col, needle)
    unindexed = col.op("||")(literal_column("''"))  # the same text, which no index serves
    return and_(*(like(col, run) for run in runs), like(unindexed, needle))


# -- DDL (migrations) -------------------------------------------------------------------------


def _rowid(row: str, key: str, rowid_key: bool) -> str:
    """The FTS5 rowid of a row (`row`: new, old or the table's name): its integer id, or its dotted
    region code as one integer ('1' before the digits: '33.75' is 13375; the code's fixed group
    widths make this one-to-one), so that a trigger finds a row's entry by rowid, never by a scan."""
    return f"{row}.{key}" if rowid_key else f"CAST('1' || replace({row}.{key}, '.', '') AS INTEGER)"


def sqlite_ddl(name: str, column_name: str, key: str, rowid_key: bool) -> list[str]:
    """The SQLite FTS5 table of `name` and the triggers keeping it in step (a migration runs them
    again after any batch operation that recreates the table, which drops its triggers). A table
    keyed by a region code keeps the code in an unindexed column too (what a search selects)."""
    fts = f"{name}_search"
    if rowid_key:
        create = f"CREATE VIRTUAL TABLE {fts} USING fts5({column_name}, tokenize='trigram')"
        insert = f"INSERT INTO {fts}(rowid, {column_name}) VALUES (new.{key}, new.{column_name});"
    else:
        create = f"CREATE VIRTUAL TABLE {fts} USING fts5({key} UNINDEXED, {column_name}, tokenize='trigram')"
        insert = f"INSERT INTO {fts}(rowid, {key}, {column_name}) VALUES ({_rowid('new', key, False)}, new.{key}, new.{column_name});"
    delete = f"DELETE FROM {fts} WHERE rowid = {_rowid('old', key, rowid_key)};"
    return [
        create,
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {name} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {name} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {key}, {column_name} ON {name} BEGIN {delete} {insert} END",
    ]


def sqlite_fill(name: str, column_name: str, key: str, rowid_key: bool) -> str:
    """Fill the FTS5 table of `name` from its rows (after `sqlite_ddl`)."""
    fts = f"{name}_search"
    if rowid_key:
        return f"INSERT INTO {fts}(rowid, {column_name}) SELECT {key}, {column_name} FROM {name}"
    return f"INSERT INTO {fts}(rowid, {key}, {column_name}) SELECT {_rowid(name, key, False)}, {key}, {column_name} FROM {name}"


def sqlite_drop(name: str) -> list[str]:
    fts = f"{name}_search"
    return [*(f"DROP TRIGGER IF EXISTS {fts}_{op}" for op in ("insert", "delete", "update")), f"DROP TABLE IF EXISTS {fts}"]


def include_name(name: str | None, type_: str, parent_names: Mapping[str, Any]) -> bool:
    """For Alembic's comparison: the FTS5 tables (and their shadow tables) and the trigram
    indexes are migration-only objects (one database has them, the model cannot say so)."""
    if name is None:
        return True
    if type_ == "table":
        return not any(name == f"{t}_search" or name.startswith(f"{t}_search_") for t in SPECS)
    if type_ == "index":
        return not name.endswith("_trgm")
    return True
