"""Registration progress of a region: the counts by status (its counters) and, counted live, the
posyandu blocked by their village's SK: waiting to be proposed while the SK TP Posyandu of their
village is not reported."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit.repository import scoped_select
from pembina.kit.scope import Principal
from pembina.posyandu import counters
from pembina.posyandu.counters import ChildProgress, ProgressByRegion, RegistrationProgress
from pembina.posyandu.models import Posyandu
from pembina.posyandu.registration.common import AWAITING_PROPOSAL, sk_reported
from pembina.regions import service as regions
from pembina.regions.models import Region
from pembina.stats import service as stats
from pembina.regions.filters import InRegion


def progress(session: Session, principal: Principal, filters: InRegion) -> RegistrationProgress:
    code = filters.region or principal.region_code
    if code is not None:
        regions.get_region(session, principal, code)
    awaiting = scoped_select(
        select(func.count()).select_from(Posyandu).where(Posyandu.registration_status.in_(AWAITING_PROPOSAL)),
        Posyandu.region_code,
        principal,
        filters.region,
    )
    blocked = awaiting.where(~sk_reported(Posyandu.region_code))
    return RegistrationProgress(
        region_code=code,
        registration=counters.summary(session, code).registration,
        awaiting_proposal=session.scalar(awaiting) or 0,
        blocked_by_sk=session.scalar(blocked) or 0,
        sk_required=get_settings().registration_requires_sk,
    )


def by_region(session: Session, principal: Principal, filters: InRegion) -> ProgressByRegion:
    """The registration counts of each direct child of `region` (default: the caller's region), from
    the counters: one indexed read for the rows, one for the region's own total."""
    code = filters.region or principal.region_code
    if code is not None:
        regions.get_region(session, principal, code)
    children = session.execute(
        select(Region.code, Region.name, Region.level)
        .where(Region.parent_code == code if code else Region.level == 1)
        .order_by(Region.code)
    ).all()
    metrics = [counters.TOTAL, *(counters.status_metric(s) for s in counters.STATUSES)]
    values = stats.children_values(session, code, metrics) if children else {}
    rows = [
        ChildProgress(
            code=c,
            name=name,
            level=level,
            total=values.get(c, {}).get(counters.TOTAL, 0),
            registration=counters.registration_counts(values.get(c, {})),
        )
        for c, name, level in children
    ]
    return ProgressByRegion(
        region_code=code,
        child_level=children[0].level if children else None,
        total=counters.registration_counts(stats.values(session, code, metrics)),
        rows=rows,
    )
