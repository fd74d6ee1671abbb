"""The filters of lists held by regions, and the opening of such a list's query."""

from __future__ import annotations

from typing import Any, TypeVarTuple, Unpack

from pydantic import Field
from sqlalchemy import Select, or_

from pembina.kit.params import CODE_PATTERN, Filters
from pembina.kit.repository import scoped_select, where_equal
from pembina.kit.scope import Principal, subtree_clause
from pembina.regions.schemas import HELD_LEVEL_NUMBER, LEVEL_NUMBER, HeldLevel, RegionLevel

Row = TypeVarTuple("Row")


class InRegion(Filters):
    """A region's subtree (within the caller's)."""

    region: str | None = Field(None, pattern=CODE_PATTERN, description="That region and everything under it.")


class AtLevel(InRegion):
    """... and the level of the region that holds the record."""

    level: RegionLevel | None = None


class AtHeldLevel(InRegion):
    """... and the level of the record's holder, the nation included (national records)."""

    level: HeldLevel | None = Field(None, description="`nation`: the national records only.")


def held_in(
    stmt: Select[Unpack[Row]], model: Any, principal: Principal, filters: InRegion, *, national: bool = False
) -> Select[Unpack[Row]]:
    """`stmt` over `model` (a record with `region_code` and `level`) restricted to the caller's
    region and to the filters' region and level (`scoped_select`). `national`: the caller may also
    read the national records (region code NULL; `auth.policy.reads_national`), unless the list is
    asked for a region."""
    root = principal.region_code
    if national and root is not None and not filters.region:
        stmt = stmt.where(or_(model.region_code.is_(None), subtree_clause(model.region_code, root)))
    else:
        stmt = scoped_select(stmt, model.region_code, principal, filters.region)
    if isinstance(filters, AtHeldLevel):
        return where_equal(stmt, (model.level, HELD_LEVEL_NUMBER[filters.level] if filters.level else None))
    level = filters.level if isinstance(filters, AtLevel) else None
    return where_equal(stmt, (model.level, LEVEL_NUMBER[level] if level else None))
