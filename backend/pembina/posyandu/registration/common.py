"""What the registration modules share (who may act is `pembina.auth.policy`'s): the event each step leaves, the counters
it moves, the configured number format."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit.db import utcnow
from pembina.kit.scope import Principal
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.stats import service as stats


def record(
    session: Session,
    principal: Principal,
    p: Posyandu,
    action: str,
    frm: str,
    to: str,
    *,
    reason: str | None = None,
    number: str | None = None,
    batch_id: int | None = None,
) -> None:
    session.add(
        RegistrationEvent(
            posyandu_id=p.id,
            region_code=p.region_code,
            action=action,
            from_status=frm,
            to_status=to,
            reason=reason,
            registration_number=number,
            batch_id=batch_id,
            actor=principal.subject,
            actor_name=principal.name,
            occurred_at=utcnow(),
        )
    )


def move_counters(session: Session, changes: list[tuple[str, dict[str, int], dict[str, int]]]) -> None:
    """Apply (region, old contribution, new contribution) changes, one adjust per region."""
    per_region: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region, old, new in changes:
        for k, v in old.items():
            per_region[region][k] -= v
        for k, v in new.items():
            per_region[region][k] += v
    for region in sorted(per_region):
        stats.adjust(session, region, per_region[region])


def check_number_format(number: str) -> str | None:
    pattern = get_settings().registration_number_pattern
    if pattern and not re.fullmatch(pattern, number):
        return f"'{number}' does not match the configured registration number format ({pattern})."
    return None
