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
from pembina.posyandu.counters import RegistrationProgress
from pembina.posyandu.models import Posyandu
from pembina.posyandu.registration.common import AWAITING_PROPOSAL, sk_reported
from pembina.regions import service as regions
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
