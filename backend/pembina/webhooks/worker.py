"""One round of webhook work, for `pembina worker` (or `pembina webhooks deliver`) to call in a loop."""

from __future__ import annotations

from datetime import datetime

from pembina.kit import clock
from pembina.webhooks import outbox
from pembina.webhooks.outbox import SessionFactory


def tick(session_factory: SessionFactory, now: datetime | None = None) -> int:
    """Turn new change-feed entries (and follow-ups fallen overdue) into deliveries, then send the
    deliveries that are due; how many deliveries were created plus how many attempts were made
    (0: nothing to do). Safe to run in several processes at once on PostgreSQL."""
    now = now or clock.utcnow()
    with session_factory() as session:
        session.info["actor"] = "system:webhooks"
        created = outbox.fan_out(session, now)
        session.commit()
    return created + outbox.send_due(session_factory, now)
