""" "Perlu tindakan" (GET /auth/me/tasks): what waits for the caller now.

Four groups, each a count and its first items: decrees and posyandu waiting for the caller's
verification (which statuses and levels that means comes from `auth.policy.awaiting_verification`:
no role list here, and every listed item is one `policy.allowed(..., verify, ...)` accepts),
overdue meeting follow-ups of the caller's region, and the villages of its region past their SK
reporting deadline without a reported SK. Every date is judged by the one clock (`kit.clock`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pembina.auth import policy
from pembina.auth.policy import Action, Kind
from pembina.decrees import compliance
from pembina.decrees.models import Decree
from pembina.kit import clock
from pembina.kit.pagination import PageParams
from pembina.kit.reads import read
from pembina.kit.scope import Principal
from pembina.meetings import service as meetings
from pembina.meetings.schemas import FollowUpFilters
from pembina.posyandu.models import Posyandu
from pembina.regions.models import Region
from pembina.regions.schemas import RegionRef
from pembina.summary.schemas import TaskGroup, TaskItem, TaskKind, Tasks


def _refs(session: Session, codes: set[str]) -> dict[str, RegionRef]:
    return {r.code: read(RegionRef, r) for r in session.scalars(select(Region).where(Region.code.in_(codes)))} if codes else {}


def _waiting(session: Session, principal: Principal, model: Any, status: Any, kind: Kind, limit: int) -> tuple[int, list[Any]]:
    waiting = policy.awaiting_verification(principal, kind)
    if waiting is None:
        return 0, []
    stmt = principal.readable(select(model), model.region_code).where(status.in_(sorted(waiting.statuses)))
    if hasattr(model, "level") and waiting.min_level > 1:
        stmt = stmt.where(model.level >= waiting.min_level)
    count = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.order_by(model.updated_at, model.id).limit(limit)).all()
    return count, [r for r in rows if policy.allowed(principal, Action.verify, r)]


def _day(instant: Any) -> date:
    return clock.local(instant).date()


def _to_verify(kind: TaskKind, count: int, waiting: list[tuple[Any, str, str]], refs: dict[str, RegionRef]) -> TaskGroup:
    """Decrees or posyandu waiting for the caller's verification: (record, its title, its status), since its last change."""
    items = [
        TaskItem(kind=kind, id=r.id, title=title, region=refs[r.region_code], status=status, since=_day(r.updated_at), days_late=None)
        for r, title, status in waiting
    ]
    return TaskGroup(kind=kind, count=count, items=items)


def tasks(session: Session, principal: Principal, limit: int) -> Tasks:
    today = clock.today()
    n_decrees, decrees = _waiting(session, principal, Decree, Decree.status, Kind.decree, limit)
    n_posyandu, posyandu = _waiting(session, principal, Posyandu, Posyandu.registration_status, Kind.posyandu, limit)
    follow_ups = meetings.list_follow_ups(session, principal, PageParams(limit, 0, None), FollowUpFilters(overdue=True))
    n_late, late = compliance.overdue_reports(session, principal, limit)
    codes = {d.region_code for d in decrees} | {p.region_code for p in posyandu} | {f.region_code for f in follow_ups.items}
    refs = _refs(session, {c for c in codes if c is not None})
    groups = [
        _to_verify(TaskKind.decree_to_verify, n_decrees, [(d, d.title, d.status) for d in decrees], refs),
        _to_verify(TaskKind.posyandu_to_verify, n_posyandu, [(p, p.name, p.registration_status) for p in posyandu], refs),
        TaskGroup(
            kind=TaskKind.overdue_follow_up,
            count=follow_ups.total,
            items=[
                TaskItem(
                    kind=TaskKind.overdue_follow_up,
                    id=f.id,
                    title=f.action,
                    region=refs[f.region_code] if f.region_code else None,
                    status=f.status,
                    since=f.due_on,
                    days_late=(today - f.due_on).days if f.due_on else None,
                    meeting_id=f.meeting_id,
                )
                for f in follow_ups.items
            ],
        ),
        TaskGroup(
            kind=TaskKind.late_report,
            count=n_late,
            items=[
                TaskItem(
                    kind=TaskKind.late_report,
                    id=None,
                    title=f"SK TP Posyandu {r.name}",
                    region=read(RegionRef, r),
                    status=None,
                    since=due,
                    days_late=(today - due).days,
                )
                for r, due in late
            ],
        ),
    ]
    return Tasks(today=today, total=sum(g.count for g in groups), groups=groups)
