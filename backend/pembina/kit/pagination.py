"""List pages: `limit`/`offset`, a `sort` key, and the total."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple, Unpack

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pembina.kit.errors import ValidationProblem

T = TypeVar("T")
Row = TypeVarTuple("Row")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Rows matching the filters, over all pages.")
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int
    sort: str | None


def sortable(columns: dict[str, Any]) -> Any:
    """`page_params` for a list whose `sort` may name only these keys (shown in the contract)."""
    keys = "|".join(sorted(columns))
    allowed = ", ".join(sorted(columns))

    # Defaults, not annotations: this module uses postponed annotations, and the pattern is
    # built here at call time.
    def params(
        limit: int = Query(50, ge=1, le=500, description="Page size (1–500)."),
        offset: int = Query(0, ge=0, le=10_000_000, description="Rows to skip."),
        sort: str | None = Query(None, pattern=f"^-?({keys})$", description=f"Sort key, one of {allowed}; prefix with '-' for descending."),
    ) -> PageParams:
        return PageParams(limit=limit, offset=offset, sort=sort)

    return params


def contains_pattern(q: str) -> str:
    """A lower-case LIKE pattern matching `q` anywhere, with %, _ and \\ escaped (use `escape="\\"`)."""
    return "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def apply_sort(
    stmt: Select[Unpack[Row]], sort: str | None, columns: dict[str, Any], default: Sequence[Any], tiebreak: Any
) -> Select[Unpack[Row]]:
    """Order by a whitelisted key; unknown keys are a 422 naming the allowed ones."""
    if not sort:
        return stmt.order_by(*default, tiebreak)
    desc = sort.startswith("-")
    key = sort[1:] if desc else sort
    col = columns.get(key)
    if col is None:
        raise ValidationProblem(
            f"Unknown sort key '{key}'. Allowed: {', '.join(sorted(columns))} (prefix '-' for descending).",
            f"Kunci urutan '{key}' tidak dikenal. Yang diizinkan: {', '.join(sorted(columns))} (awali '-' untuk urutan menurun).",
            loc=["query", "sort"],
        )
    return stmt.order_by(col.desc() if desc else col.asc(), tiebreak)


def paginate(session: Session, stmt: Select[Any], params: PageParams, convert: Callable[[Any], T], *, total: int | None = None) -> Page[T]:
    """One page of `stmt` and the total count (counted here unless the caller knows it, e.g. from counters)."""
    if total is None:
        total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = session.execute(stmt.limit(params.limit).offset(params.offset)).scalars().all()
    return Page[T](items=[convert(r) for r in rows], total=total, limit=params.limit, offset=params.offset)


def paginate_batch(
    session: Session, stmt: Select[Any], params: PageParams, convert: Callable[[list[Any]], list[T]], *, total: int | None = None
) -> Page[T]:
    """`paginate` for pages whose records are converted together (`convert` takes the page's
    records and returns their reads in order), so that what they show of other tables (sums,
    counts, linked rows) is read in one query per page rather than one per record."""
    if total is None:
        total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = list(session.execute(stmt.limit(params.limit).offset(params.offset)).scalars().all())
    return Page[T](items=convert(rows), total=total, limit=params.limit, offset=params.offset)
