from __future__ import annotations

from sqlalchemy.orm import Session

from pembina.auth import policy
from pembina.budgets import counters as budget_counters
from pembina.decrees import compliance
from pembina.kit.errors import Forbidden
from pembina.kit.scope import Principal
from pembina.meetings import service as meetings
from pembina.posyandu import counters as posyandu_counters
from pembina.regions.models import Region
from pembina.regions.schemas import RegionCounts
from pembina.regions.service import Nation, get_region, nation, to_read
from pembina.stats import service as stats
from pembina.summary.schemas import RegionSummary


def summary(session: Session, principal: Principal, code: str | None) -> RegionSummary:
    """Counts for a region and its subtree, or (code None) for the nation: per-region counters (O(1) in the data) and an indexed count of pending follow-ups."""
    if code is None:
        if not principal.is_national:
            raise Forbidden(
                f"The national roll-up is for national accounts; yours is bound to {principal.region_code}: "
                f"use /api/v1/regions/{principal.region_code}/summary.",
                f"Rekap nasional hanya untuk akun nasional; akun Anda terikat pada {principal.region_code}: gunakan /api/v1/regions/{principal.region_code}/summary.",
            )
        country = nation(session)
        whole: Region | Nation = country
        counts = RegionCounts(
            children=country.province_count,
            regencies=country.regency_count,
            districts=country.district_count,
            villages=country.village_count,
        )
        read = None
    else:
        whole = get_region(session, principal, code)
        counts = RegionCounts(
            children=whole.child_count, regencies=whole.regency_count, districts=whole.district_count, villages=whole.village_count
        )
        read = to_read(whole)
    counters = stats.values(session, code)  # every section's counters, in one read
    return RegionSummary(
        region=read,
        counts=counts,
        compliance=compliance.level_counts(session, whole, counters),
        posyandu=posyandu_counters.summary(session, code, counters),
        budgets=budget_counters.summary(session, code, counters),
        follow_ups=meetings.summary_counts(session, code),
        allowed_actions=policy.allowed_actions(principal, policy.region(code)),
    )
