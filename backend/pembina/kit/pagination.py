"""List pages: `limit` with `offset` or an opaque `cursor`, a `sort` key, and the total.

Two ways through a list:

- `offset` (rows to skip) stays for compatibility, up to `MAX_OFFSET`: the database still reads
  and drops every skipped row, so a deep offset costs what the rows before it cost.
- `cursor` (keyset pagination): a page's `next_cursor` / `prev_cursor` hold the sort values of its
  last / first row and the tiebreak id, and the next query asks for the rows after (before) them
  with a comparison on the indexed sort columns, so a page deep in 300,000 rows costs what the
  first page costs. Cursors are base64url JSON signed with the app's secret and bound to the list's
  ordering: a tampered cursor, one from another list or one used with another `sort` is a 422.

`apply_sort` orders the statement and records the ordering on it (an execution option), which
`paginate` / `paginate_batch` read to build the cursor comparison: a list that pages through these
two gets cursors without a change of its own.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple, Unpack

from fastapi import Query
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from pembina.config import get_settings
from pembina.kit import memo
from pembina.kit.errors import ValidationProblem

T = TypeVar("T")
Row = TypeVarTuple("Row")

#: The deepest `offset` a list accepts; deeper pages are reached with `cursor`.
MAX_OFFSET = 10_000
#: A text search counts its matches up to this many (`paginate(count_at_most=...)`): a word
#: found in most rows ("pembentukan" in every decree) would otherwise cost a count of the whole
#: table on every page (46 ms of 84,239 decrees), where the page itself takes under 1 ms.
SEARCH_COUNT_LIMIT = 1_000
#: Set while an export reads a list: it needs the exact number of rows, whatever the search.
_EXACT_TOTALS: ContextVar[bool] = ContextVar("pembina_exact_totals", default=False)


@contextmanager
def exact_totals() -> Iterator[None]:
    """Within: every page counts all its rows (`count_at_most` is ignored), e.g. for an export."""
    token = _EXACT_TOTALS.set(True)
    try:
        yield
    finally:
        _EXACT_TOTALS.reset(token)


#: The execution option under which `apply_sort` records the ordering for `paginate`.
_ORDER_OPTION = "pembina_order"


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(
        description="Rows matching the filters, over all pages; with `total_capped`, the number counted "
        f"({SEARCH_COUNT_LIMIT:,}) and there are more."
    )
    total_capped: bool = Field(
        default=False,
        description=f"True when a text search (`q`) matched more than {SEARCH_COUNT_LIMIT:,} rows: they are not all counted "
        "(`total` is the limit), so that a common word answers as fast as a rare one. Page on with `next_cursor`, or narrow "
        "the search to count them.",
    )
    limit: int
    offset: int | None = Field(description="Rows skipped before this page; null when the page was asked for by `cursor`.")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the page after this one (with the same `sort`); null on the last page."
    )
    prev_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the page before this one (with the same `sort`); null on the first page."
    )


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int
    sort: str | None
    cursor: str | None = None


def _offset_too_deep(offset: int) -> ValidationProblem:
    return ValidationProblem(
        f"offset may be at most {MAX_OFFSET:,}. Page deeper with `cursor`: pass the `next_cursor` of the page before.",
        f"offset paling besar {MAX_OFFSET:,}. Untuk halaman yang lebih dalam gunakan `cursor`: kirim `next_cursor` dari halaman sebelumnya.",
        loc=["query", "offset"],
    )


def sortable(columns: dict[str, Any], *, cursor: bool = True) -> Any:
    """`page_params` for a list whose `sort` may name only these keys (shown in the contract);
    with `cursor` (lists paged by `paginate` / `paginate_batch`), the `cursor` parameter too and
    the offset ceiling `MAX_OFFSET` (a list without cursors keeps its deep offsets: nothing else
    reaches its deep pages)."""
    keys = "|".join(sorted(columns))
    allowed = ", ".join(sorted(columns))

    # Defaults, not annotations: this module uses postponed annotations, and the pattern is
    # built here at call time. Coroutines: no I/O, so FastAPI runs them on the event loop
    # rather than sending each request's page parameters to a worker thread and back.
    async def params(
        limit: int = Query(50, ge=1, le=500, description="Page size (1–500)."),
        offset: int = Query(0, ge=0, le=10_000_000, description="Rows to skip."),
        sort: str | None = Query(None, pattern=f"^-?({keys})$", description=f"Sort key, one of {allowed}; prefix with '-' for descending."),
    ) -> PageParams:
        return PageParams(limit=limit, offset=offset, sort=sort)

    if not cursor:
        return params

    async def cursor_params(
        limit: int = Query(50, ge=1, le=500, description="Page size (1–500)."),
        offset: int = Query(0, ge=0, description=f"Rows to skip (at most {MAX_OFFSET:,}; page deeper with `cursor`)."),
        sort: str | None = Query(None, pattern=f"^-?({keys})$", description=f"Sort key, one of {allowed}; prefix with '-' for descending."),
        cursor: str | None = Query(
            None,
            max_length=2000,
            description="A page's `next_cursor` or `prev_cursor`: the page after or before it, as fast deep in the list as at its start. "
            "Send the same `sort` as the page it came from, and no `offset`.",
        ),
    ) -> PageParams:
        if cursor is not None and offset:
            raise ValidationProblem(
                "Send either `offset` or `cursor`, not both.", "Kirim `offset` atau `cursor`, tidak keduanya.", loc=["query", "offset"]
            )
        if offset > MAX_OFFSET:
            raise _offset_too_deep(offset)
        return PageParams(limit=limit, offset=offset, sort=sort, cursor=cursor or None)

    return cursor_params


def contains_pattern(q: str) -> str:
    """A lower-case LIKE pattern matching `q` anywhere, with %, _ and \\ escaped (use `escape="\\"`)."""
    return "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# -- ordering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    column: ColumnElement[Any]  # the column (or expression) sorted on
    desc: bool
    nullable: bool


@dataclass(frozen=True)
class _Order:
    keys: tuple[_Key, ...]  # the sort columns, the unique tiebreak last
    signature: str  # what a cursor is bound to: the columns, their directions and the `sort` asked for

    def clauses(self, reverse: bool = False) -> list[Any]:
        out = []
        for k in self.keys:
            desc = k.desc != reverse
            c = k.column.desc() if desc else k.column.asc()
            if k.nullable:  # NULL sorts as the largest value on both databases (PostgreSQL's default)
                c = c.nulls_first() if desc else c.nulls_last()
            out.append(c)
        return out


def _nullable(col: Any) -> bool:
    return bool(getattr(col, "nullable", True)) and not getattr(col, "primary_key", False)


def _key(expr: Any, default_desc: bool = False) -> _Key:
    """A sort key from a column or its `.asc()` / `.desc()`."""
    desc = default_desc
    if isinstance(expr, UnaryExpression) and expr.modifier in (operators.desc_op, operators.asc_op):
        desc = expr.modifier is operators.desc_op
        expr = expr.element
    return _Key(expr, desc, _nullable(expr))


def _same(a: Any, b: Any) -> bool:
    a, b = (x.__clause_element__() if hasattr(x, "__clause_element__") else x for x in (a, b))
    return a is b or bool(a.compare(b))


def apply_sort(
    stmt: Select[Unpack[Row]], sort: str | None, columns: dict[str, Any], default: Sequence[Any], tiebreak: Any
) -> Select[Unpack[Row]]:
    """Order by a whitelisted key (or `default`) then the unique `tiebreak`, which follows the last
    key's direction (so that one index serves both directions); unknown keys are a 422 naming the
    allowed ones. Nullable columns sort their NULLs last ascending and first descending."""
    if not sort:
        keys = [_key(d) for d in default]
    else:
        desc = sort.startswith("-")
        name = sort[1:] if desc else sort
        col = columns.get(name)
        if col is None:
            raise ValidationProblem(
                f"Unknown sort key '{name}'. Allowed: {', '.join(sorted(columns))} (prefix '-' for descending).",
                f"Kunci urutan '{name}' tidak dikenal. Yang diizinkan: {', '.join(sorted(columns))} (awali '-' untuk urutan menurun).",
                loc=["query", "sort"],
            )
        keys = [_Key(col, desc, _nullable(col))]
    own = [k for k in keys if _same(k.column, tiebreak)]  # e.g. the audit events' `-id`
    keys = [k for k in keys if not _same(k.column, tiebreak)]
    keys.append(_Key(tiebreak, own[0].desc if own else keys[-1].desc if keys else False, False))
    signature = ";".join(f"{k.column}{' desc' if k.desc else ''}" for k in keys) + f"|{sort or ''}"
    order = _Order(tuple(keys), signature)
    return stmt.order_by(*order.clauses()).execution_options(**{_ORDER_OPTION: order})


# -- cursors ----------------------------------------------------------------------------


def _bad_cursor() -> ValidationProblem:
    return ValidationProblem(
        "This cursor is not valid for this list and sort: pass a `next_cursor` or `prev_cursor` of this list as it was given, "
        "with the same `sort`, or start again without `cursor`.",
        "Cursor ini tidak berlaku untuk daftar dan urutan ini: kirim `next_cursor` atau `prev_cursor` dari daftar ini apa adanya, "
        "dengan `sort` yang sama, atau mulai lagi tanpa `cursor`.",
        loc=["query", "cursor"],
    )


def _mac(payload: bytes) -> bytes:
    key = hashlib.sha256(b"pembina-cursor:" + get_settings().signing_secret().encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode(order: _Order, values: Sequence[Any], before: bool) -> str:
    body = {"o": hashlib.sha256(order.signature.encode()).hexdigest()[:16], "b": before, "v": to_jsonable_python(list(values))}
    payload = json.dumps(body, separators=(",", ":")).encode()
    return _b64(payload) + "." + _b64(_mac(payload))


def _python_type(col: Any) -> Any:
    t = col.type
    try:
        return (t.impl_instance if isinstance(t, TypeDecorator) else t).python_type
    except NotImplementedError:
        return Any


def _decode(order: _Order, cursor: str) -> tuple[list[Any], bool]:
    """The sort values and direction (True: the rows before them) of a cursor of this ordering."""
    try:
        data, mac = cursor.split(".")
        payload = _unb64(data)
        if not hmac.compare_digest(_unb64(mac), _mac(payload)):
            raise _bad_cursor()
        body = json.loads(payload)
        if body["o"] != hashlib.sha256(order.signature.encode()).hexdigest()[:16] or len(body["v"]) != len(order.keys):
            raise _bad_cursor()
        values = [
            None if v is None else TypeAdapter(_python_type(k.column)).validate_python(v)
            for k, v in zip(order.keys, body["v"], strict=True)
        ]
        return values, bool(body["b"])
    except (ValueError, KeyError, TypeError, binascii.Error, ValidationError):
        raise _bad_cursor() from None


def _after(order: _Order, values: Sequence[Any], reverse: bool) -> ColumnElement[bool]:
    """Rows strictly after `values` in the ordering (before them when `reverse`), NULL-aware."""
    keys = order.keys
    dirs = [k.desc != reverse for k in keys]
    if not any(k.nullable for k in keys) and len(set(dirs)) == 1:
        # one direction, no NULLs: a row-value comparison, which the index on the columns serves
        cols, vals = tuple_(*(k.column for k in keys)), tuple_(*(literal(v, k.column.type) for k, v in zip(keys, values, strict=True)))
        return cols < vals if dirs[0] else cols > vals

    def gt(k: _Key, desc: bool, v: Any) -> ColumnElement[bool]:
        # "comes after v": NULL is the largest value (last ascending, first descending)
        if v is None:
            return k.column.is_not(None) if desc else false()
        if desc:
            before: ColumnElement[bool] = k.column < v
            return before
        return or_(k.column > v, k.column.is_(None)) if k.nullable else k.column > v

    def eq(k: _Key, v: Any) -> ColumnElement[bool]:
        return k.column.is_(None) if v is None else k.column == v

    branches = []
    for i, k in enumerate(keys):
        branches.append(and_(*(eq(keys[j], values[j]) for j in range(i)), gt(k, dirs[i], values[i])))
    first, d0, v0 = keys[0], dirs[0], values[0]
    # a bound on the first column alone, so that an index scan starts at the cursor
    if v0 is None:
        bound = first.column.is_(None) if not d0 else true()
    elif first.nullable:
        bound = true()
    else:
        bound = first.column <= v0 if d0 else first.column >= v0
    return and_(bound, or_(*branches))


def _page_rows(session: Session, stmt: Select[Any], params: PageParams) -> tuple[list[Any], str | None, str | None]:
    """The page's records, its next and previous cursors."""
    order: _Order | None = stmt.get_execution_options().get(_ORDER_OPTION)
    if order is None:  # a list not ordered by `apply_sort`: offset only
        if params.cursor is not None:
            raise _bad_cursor()
        return list(session.execute(stmt.limit(params.limit).offset(params.offset)).scalars().all()), None, None
    with_keys = stmt.add_columns(*(k.column for k in order.keys))
    n = len(order.keys)
    if params.cursor is None:
        rows = list(session.execute(with_keys.limit(params.limit + 1).offset(params.offset)).all())
        more_after, before = len(rows) > params.limit, False
        rows = rows[: params.limit]
        more_before = params.offset > 0
    else:
        values, before = _decode(order, params.cursor)
        q = with_keys.where(_after(order, values, reverse=before))
        if before:
            q = q.order_by(None).order_by(*order.clauses(reverse=True))
        rows = list(session.execute(q.limit(params.limit + 1)).all())
        more = len(rows) > params.limit
        rows = rows[: params.limit]
        if before:
            rows.reverse()
            more_before, more_after = more, True
        else:
            more_before, more_after = True, more
    if not rows:
        return [], None, None
    next_cursor = _encode(order, tuple(rows[-1])[-n:], before=False) if more_after else None
    prev_cursor = _encode(order, tuple(rows[0])[-n:], before=True) if more_before else None
    return [r[0] for r in rows], next_cursor, prev_cursor


def _total(session: Session, stmt: Select[Any], at_most: int | None = None) -> tuple[int, bool]:
    """The rows of `stmt`, and whether there are more than `at_most` (then counted only so far)."""
    counted = stmt.order_by(None)
    if at_most is not None and not _EXACT_TOTALS.get():
        counted = counted.limit(at_most + 1)
        n = session.execute(select(func.count()).select_from(counted.subquery())).scalar_one()
        return (at_most, True) if n > at_most else (n, False)
    return session.execute(select(func.count()).select_from(counted.subquery())).scalar_one(), False


def _converted(build: Callable[[], list[T]]) -> list[T]:
    """A page's reads, built in one `memo.scope()`: what its rows ask alike (the caller's allowed
    actions on records of one region and state) is worked out once per page."""
    with memo.scope():
        return build()


def _page(
    session: Session,
    stmt: Select[Any],
    params: PageParams,
    convert: Callable[[list[Any]], list[T]],
    total: int | None,
    count_at_most: int | None,
) -> Page[T]:
    rows, next_cursor, prev_cursor = _page_rows(session, stmt, params)
    capped = False
    if total is None:
        total, capped = _total(session, stmt, count_at_most)
    return Page[T](
        items=_converted(lambda: convert(rows)),
        total=total,
        total_capped=capped,
        limit=params.limit,
        offset=None if params.cursor else params.offset,
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
    )


def paginate(
    session: Session,
    stmt: Select[Any],
    params: PageParams,
    convert: Callable[[Any], T],
    *,
    total: int | None = None,
    count_at_most: int | None = None,
) -> Page[T]:
    """One page of `stmt` (by offset or cursor) and the total count (counted here unless the caller
    knows it, e.g. from counters; only up to `count_at_most` when given, e.g. `SEARCH_COUNT_LIMIT`
    for a text search)."""
    return _page(session, stmt, params, lambda rows: [convert(r) for r in rows], total, count_at_most)


def paginate_batch(
    session: Session,
    stmt: Select[Any],
    params: PageParams,
    convert: Callable[[list[Any]], list[T]],
    *,
    total: int | None = None,
    count_at_most: int | None = None,
) -> Page[T]:
    """`paginate` for pages whose records are converted together (`convert` takes the page's
    records and returns their reads in order), so that what they show of other tables (sums,
    counts, linked rows) is read in one query per page rather than one per record."""
    return _page(session, stmt, params, convert, total, count_at_most)
