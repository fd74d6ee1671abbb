"""What the registration modules share: who may act, the event each step leaves, the counters
it moves, the configured number format."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit.db import utcnow
from pembina.kit.errors import Forbidden
from pembina.kit.roles import Role
from pembina.kit.scope import Principal
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.stats import service as stats

#: Roles that verify proposals, build batches and record numbers (a regency/city coordinator
#: or above, inside their region).
COORDINATOR_ROLES = {Role.regency_coordinator, Role.province_coordinator, Role.national_admin}


def _is_coordinator(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role in COORDINATOR_ROLES


def _require_coordinator(principal: Principal, what: str) -> None:
    if not _is_coordinator(principal):
        raise Forbidden(f"Only a regency/city coordinator (or above) may {what}.")


def record(session: Session, principal: Principal, p: Posyandu, action: str, frm: str, to: str, *, reason: str | None = None, number: str | None = None, batch_id: int | None = None) -> None:
    session.add(
        RegistrationEvent(
            posyandu_id=p.id, region_code=p.region_code, action=action, from_status=frm, to_status=to, reason=reason,
            registration_number=number, batch_id=batch_id, actor=principal.subject, actor_name=principal.name, occurred_at=utcnow(),
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
