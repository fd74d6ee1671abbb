"""Reading records in the caller's scope: one record by id, the opening of a list, a text search.

Every domain service reads through these three, so that a record outside the caller's region
looks exactly like a missing one (404 "<Label> not found."), a list never shows another
region's rows, and every search box escapes and matches the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar, TypeVarTuple, Unpack

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.elements import ColumnElement

from pembina.kit.errors import NotFound
from pembina.kit.pagination import contains_pattern
from pembina.kit.scope import Principal, subtree_clause

M = TypeVar("M")
Row = TypeVarTuple("Row")


def own_region(record: Any) -> str | None:
    """Where most records keep their region: their own `region_code` column."""
    code: str | None = record.region_code
    return code


def get_or_404(
    session: Session,
    model: type[M],
    ident: Any,
    label: str,
    *,
    parent: tuple[Any, Any] | None = None,
    lock: bool = False,
    options: Sequence[ORMOption] = (),
    visible: Callable[[Any], bool] | None = None,
) -> M:
    """The `model` record with primary key `ident`, or a 404 "<label> not found.".

    `parent` (an attribute and the value it must have, e.g. `(TeamMember.team_id, team_id)`)
    makes a record of another parent look missing too. `lock` reads the row FOR UPDATE, of the
    record's own table only (never of a joined-loaded relation). `options` are loader options
    for the first load (an already-loaded record is returned as it is, like `Session.get`).
    `visible(record)` false (the caller may not read it, e.g. `policy.readable`) looks missing too.
    """
    record = session.get(model, ident, options=options, with_for_update={"of": model} if lock else None)
    if record is None or (parent is not None and getattr(record, parent[0].key) != parent[1]) or (visible and not visible(record)):
        raise NotFound(f"{label} not found.", f"{label} tidak ditemukan.")
    return record


def get_scoped(
    session: Session,
    principal: Principal,
    model: type[M],
    ident: Any,
    label: str,
    *,
    region: Callable[[M], str | None] = own_region,
    parent: tuple[Any, Any] | None = None,
    lock: bool = False,
    options: Sequence[ORMOption] = (),
) -> M:
    """`get_or_404`, then the caller's scope: a record outside it is a 404 with the same message.

    `region` says where the record's region code is (its own `region_code` unless told, e.g.
    `lambda m: m.team.region_code` for a record placed through its parent).
    """
    record = get_or_404(session, model, ident, label, parent=parent, lock=lock, options=options)
    principal.ensure_record(region(record), label)
    return record


def scoped_select(stmt: Select[Unpack[Row]], column: Any, principal: Principal, region: str | None) -> Select[Unpack[Row]]:
    """The opening of every region-bound list: `stmt` restricted to the caller's subtree (by the
    region code `column`) and, when the list is asked for a `region`, to that region's subtree
    (a 403 when `region` lies outside the caller's)."""
    stmt = principal.readable(stmt, column)
    if region:
        principal.ensure_region(region)
        stmt = stmt.where(subtree_clause(column, region))
    return stmt


def where_equal(stmt: Select[Unpack[Row]], *conditions: tuple[Any, Any]) -> Select[Unpack[Row]]:
    """`stmt` with `column == value` for each `(column, value)` whose value was given (not
    None): a list's equality filters. An enum member compares by its value."""
    for column, value in conditions:
        if value is not None:
            stmt = stmt.where(column == (value.value if isinstance(value, Enum) else value))
    return stmt


def search(q: str, *columns: Any) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `q`, case-insensitively, with `%`, `_` and `\\`
    taken literally. `lower(column) LIKE lower-case pattern` on both databases (what SQLAlchemy's
    `ilike` renders on SQLite); a NULL column matches nothing."""
    if not columns:
        raise ValueError("search() needs at least one column")
    like = contains_pattern(q)
    return or_(*(func.lower(column).like(like, escape="\\") for column in columns))
