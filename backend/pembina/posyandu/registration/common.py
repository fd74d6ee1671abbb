"""What the registration modules share (who may act is `pembina.auth.policy`'s): the event each step leaves, the counters
it moves, the configured number format, and the SK rule registration follows."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pembina.kit.i18n import tr
from pembina.config import get_settings
from pembina.kit.db import utcnow
from pembina.kit.scope import Principal
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.regions.models import Region
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


def number_pattern(region_code: str) -> str | None:
    """The configured number format for a posyandu of `region_code` (None: no check)."""
    pattern = get_settings().registration_number_pattern
    if not pattern:
        return None
    return pattern.replace("{region}", re.escape(region_code)).replace("{region_digits}", region_code.replace(".", ""))


def check_number_format(number: str, p: Posyandu) -> str | None:
    """Why `number` cannot be the posyandu's Nomor Registrasi under the configured format, or None."""
    pattern = number_pattern(p.region_code)
    if pattern is None or re.fullmatch(pattern, number):
        return None
    configured = get_settings().registration_number_pattern
    if "{region" in configured:
        code = p.region_code.replace(".", "") if "{region_digits}" in configured else p.region_code
        return tr(
            f"Posyandu {p.id} ({p.name}): '{number}' does not carry its region code {code} where the registration number "
            f"format puts it ({configured}).",
            f"Posyandu {p.id} ({p.name}): '{number}' tidak memuat kode wilayahnya {code} di tempat yang ditentukan format "
            f"nomor registrasi ({configured}).",
        )
    return tr(
        f"Posyandu {p.id} ({p.name}): '{number}' does not match the configured registration number format ({configured}).",
        f"Posyandu {p.id} ({p.name}): '{number}' tidak sesuai dengan format nomor registrasi yang ditetapkan ({configured}).",
    )


#: The compliance rule, registered by `pembina.decrees.compliance` (a layer above): given a column
#: of village codes, a clause true where that village's SK TP Posyandu is reported (or verified).
SK_REPORTED: list[Callable[[Any], ColumnElement[bool]]] = []


def sk_reported(column: Any) -> ColumnElement[bool]:
    if not SK_REPORTED:
        raise RuntimeError("pembina.decrees.compliance is not loaded: the SK rule of registration is unknown.")
    return SK_REPORTED[-1](column)


def village_sk_reported(session: Session, village_code: str) -> bool:
    return session.scalar(select(Region.code).where(Region.code == village_code, sk_reported(Region.code))) is not None


#: Registration statuses that wait for the village's proposal (`propose` starts from them).
AWAITING_PROPOSAL = ("unregistered", "returned")
