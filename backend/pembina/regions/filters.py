"""The filters of lists held by regions, and the opening of such a list's query."""

from __future__ import annotations

from typing import Any, TypeVarTuple, Unpack

from pydantic import Field
from sqlalchemy import Select

from pembina.kit.params import CODE_PATTERN, Filters
from pembina.kit.repository import scoped_select, where_equal
from pembina.kit.scope import Principal
from pembina.regions.schemas import LEVEL_NUMBER, RegionLevel

Row = TypeVarTuple("Row")


class InRegion(Filters):
    """A region's subtree (within the caller's)."""

    region: str | None = Field(None, pattern=CODE_PATTERN, description="That region and everything under it.")


class AtLevel(InRegion):
    """... and the level of the region that holds the record."""

    level: RegionLevel | None = None


def held_in(stmt: Select[Unpack[Row]], model: Any, principal: Principal, filters: InRegion) -> Select[Unpack[Row]]:
    """`stmt` over `model` (a record with `region_code` and `level`) restricted to the caller's
    region and to the filters' region and level (`scoped_select`)."""
    stmt = scoped_select(stmt, model.region_code, principal, filters.region)
    level = filters.level if isinstance(filters, AtLevel) else None
    return where_equal(stmt, (model.level, LEVEL_NUMBER[level] if level else None))
