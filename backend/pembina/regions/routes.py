from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query

from pembina.kit.routing import api_router
from pembina.auth.deps import CurrentPrincipal, DbSession
from pembina.kit.errors import responses
from pembina.kit.pagination import Page, PageParams, sortable
from pembina.regions import service
from pembina.regions.schemas import RegionDetail, RegionLevel, RegionRead
from pembina.kit.params import CODE_PATTERN
from pembina.summary import service as summaries
from pembina.summary import trends as trend_lines
from pembina.summary.schemas import RegionSummary, RegionTrends

router = api_router(prefix="/regions", tags=["regions"])

RegionCodePath = Annotated[
    str, Path(pattern=CODE_PATTERN, description="Dotted Kemendagri code, e.g. `33.75` or `33.75.02.1008`.", examples=["33.75"])
]


@router.get("", operation_id="regions-list")
def list_regions(
    db: DbSession,
    me: CurrentPrincipal,
    params: Annotated[PageParams, Depends(sortable(service.SORTS))],
    level: RegionLevel | None = None,
    parent: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    within: Annotated[str | None, Query(pattern=CODE_PATTERN, description="That region and everything under it.")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Page[RegionRead]:
    """List regions in your scope

    Filter by `level`, `parent` (direct children), `within` (a subtree) and `q` (name substring, or a code prefix
    when it is digits and dots).
    """
    return service.list_regions(db, me, params, level=level, parent=parent, within=within, q=q)


@router.get("/summary", operation_id="regions-national-summary", responses=responses(403))
def national_summary(db: DbSession, me: CurrentPrincipal) -> RegionSummary:
    """Counts for the whole nation (national accounts)

    The national roll-up: the same sections as a region's summary, for all 38 provinces, read from per-region
    counters (never an aggregate over the records). Region-bound accounts get 403 and use `/regions/{code}/summary`
    for their own region.
    """
    return summaries.summary(db, me, None)


TrendLevel = Annotated[RegionLevel, Query(description="Count SK progress at this level (at or below the region's; default village).")]


@router.get("/trends", operation_id="regions-national-trends", responses=responses(403))
def national_trends(db: DbSession, me: CurrentPrincipal, level: TrendLevel = RegionLevel.village) -> RegionTrends:
    """Monthly trends for the whole nation (national accounts)

    The nation's SK progress at `level` and its posyandu registration at the end of each of the last 12 months (the
    last point is today), as `/regions/{code}/trends` gives them for a region. Region-bound accounts get 403.
    """
    return trend_lines.trends(db, me, None, level)


@router.get("/{code}", operation_id="regions-get")
def get_region(db: DbSession, me: CurrentPrincipal, code: RegionCodePath) -> RegionDetail:
    """Get a region with its ancestors"""
    return service.detail(db, me, code)


@router.get("/{code}/children", operation_id="regions-children")
def children(
    db: DbSession, me: CurrentPrincipal, code: RegionCodePath, params: Annotated[PageParams, Depends(sortable(service.SORTS))]
) -> Page[RegionRead]:
    """List a region's direct children"""
    return service.children(db, me, code, params)


@router.get("/{code}/summary", operation_id="regions-summary")
def summary(db: DbSession, me: CurrentPrincipal, code: RegionCodePath) -> RegionSummary:
    """Counts for a region and everything under it"""
    return summaries.summary(db, me, code)


@router.get("/{code}/trends", operation_id="regions-trends")
def trends(db: DbSession, me: CurrentPrincipal, code: RegionCodePath, level: TrendLevel = RegionLevel.village) -> RegionTrends:
    """Monthly trends: SK progress and posyandu registration over the last 12 months

    One point per month, oldest first: the end of each of the 11 months before this one, then today (Asia/Jakarta).
    SK progress counts the regions at `level` under `code` with a TP Posyandu and with an SK forming it issued,
    reported, verified at that day, replayed from the transitions' effective dates like the compliance board's
    `as_of` (today's point equals the board's live numbers); registration counts the posyandu, those registered
    and those in the pipeline then, replayed back from today's counters through the registration events. A few
    grouped queries whatever the region's size.
    """
    return trend_lines.trends(db, me, code, level)
