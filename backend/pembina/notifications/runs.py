"""The worker's own bookkeeping (`worker_runs`): when it last completed a task, kept in the
database so that a restarted worker (or one stopped for weeks) knows how far back to look, and a
daily task runs once a day however many workers share the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pembina.kit.db import rowcount
from pembina.notifications.models import WorkerRun


def last_done(session: Session, task: str) -> datetime | None:
    """When `task` last completed (None: never)."""
    return session.scalar(select(WorkerRun.done_at).where(WorkerRun.task == task))


def mark_done(session: Session, task: str, now: datetime) -> None:
    """Record that `task` completed at `now` (in the caller's transaction: it counts once committed)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(WorkerRun.__table__).values(task=task, done_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["task"], set_={"done_at": now}))


def claim(session: Session, task: str, now: datetime, every: timedelta) -> bool:
    """Whether `task` is due (never run, or last run at least `every` ago); if so it is marked as
    run at `now` in the caller's transaction, so that another worker finds it not due (on
    PostgreSQL the second worker's UPDATE waits for the first's commit, then matches nothing).
    Roll back to give the turn up."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    made = session.execute(
        insert(WorkerRun.__table__).values(task=task, done_at=now).on_conflict_do_nothing(index_elements=["task"]).returning(WorkerRun.task)
    ).first()
    if made is not None:
        return True
    moved = session.execute(
        update(WorkerRun).where(WorkerRun.task == task, WorkerRun.done_at <= now - every).values(done_at=now),
        execution_options={"synchronize_session": False},
    )
    return rowcount(moved) == 1
