"""Regions: read-only national data, always within the caller's scope."""

from __future__ import annotations

import re

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.kit.errors import NotFound
from pembina.kit.reads import read
from pembina.kit.pagination import SEARCH_COUNT_LIMIT, Page, PageParams, apply_sort, paginate
from pembina.kit import search as text_search
from pembina.kit.repository import scoped_select
from pembina.regions.models import Region
from pembina.regions.schemas import LEVEL_NUMBER, RegionDetail, RegionLevel, RegionRead, RegionRef
from pembina.kit.scope import Principal, ancestors_of

from pembina.kit.params import CODE_PATTERN
from pembina.kit.errors import ValidationProblem

_CODE_RE = re.compile(CODE_PATTERN)
_CODE_PREFIX_RE = re.compile(r"^[\d.]+$")

SORTS = {"code": Region.code, "name": Region.name, "level": Region.level}


def to_read(r: Region) -> RegionRead:
    return read(RegionRead, r)


def get_region(session: Session, principal: Principal, code: str) -> Region:
    principal.ensure_region(code)
    region = session.get(Region, code)
    if region is None:
        raise NotFound(f"Region {code} does not exist.", f"Wilayah {code} tidak ada.")
    return region


def require_existing(session: Session, code: str) -> Region:
    """For other domains: the region a record points at must exist."""
    region = session.get(Region, code)
    if region is None:
        raise ValidationProblem(f"Region {code} does not exist.", f"Wilayah {code} tidak ada.", loc=["body", "region_code"])
    return region


def detail(session: Session, principal: Principal, code: str) -> RegionDetail:
    region = get_region(session, principal, code)
    codes = ancestors_of(code)
    found = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(codes)))} if codes else {}
    return read(RegionDetail, region, ancestors=[read(RegionRef, found[c]) for c in codes if c in found])


def list_regions(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    level: RegionLevel | None = None,
    parent: str | None = None,
    within: str | None = None,
    q: str | None = None,
) -> Page[RegionRead]:
    stmt = scoped_select(select(Region), Region.code, principal, within)
    if level:
        stmt = stmt.where(Region.level == LEVEL_NUMBER[level])
    if parent:
        principal.ensure_region(parent)
        stmt = stmt.where(Region.parent_code == parent)
    if q:
        q = q.strip()
        if _CODE_PREFIX_RE.match(q):
            stmt = stmt.where(Region.code >= q, Region.code < q + "\uffff")
        else:
            stmt = stmt.where(text_search.matches(session, Region, q))
    stmt = apply_sort(stmt, params.sort, SORTS, default=[Region.level], tiebreak=Region.code)
    return paginate(session, stmt, params, to_read, count_at_most=SEARCH_COUNT_LIMIT if q else None)


def children(session: Session, principal: Principal, code: str, params: PageParams) -> Page[RegionRead]:
    get_region(session, principal, code)
    stmt = select(Region).where(Region.parent_code == code)
    stmt = apply_sort(stmt, params.sort, SORTS, default=[], tiebreak=Region.code)
    return paginate(session, stmt, params, to_read)


@dataclass(frozen=True)
class Nation:
    """The whole country, shaped like a Region for the roll-ups (level 0, no code)."""

    province_count: int
    regency_count: int
    district_count: int
    village_count: int
    code: None = None
    level: int = 0


_NATION = select(func.count(), func.sum(Region.regency_count), func.sum(Region.district_count), func.sum(Region.village_count)).where(
    Region.level == 1
)


def nation(session: Session) -> Nation:
    """Totals of the 38 province rows (their precomputed counts): one small indexed query."""
    row = session.connection().execute(_NATION).one()
    provinces, regencies, districts, villages = (int(v or 0) for v in row)
    return Nation(provinces, regencies, districts, villages)
