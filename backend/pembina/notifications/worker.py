"""The reminder worker: each round evaluates the rules (`generate`) and delivers the outbox
(`mailer`), then runs the further tasks of `EXTRA_TICKS`: the integrators' webhooks deliver
theirs, and once a day the retention pruning (`pembina.privacy`) removes what is kept too long.

`pembina worker` runs rounds in a loop (several may run against one PostgreSQL database: the
reminders are unique and e-mails are claimed with SKIP LOCKED); `pembina serve` runs the same
loop in a thread beside the server unless `PEMBINA_WORKER_EMBEDDED=false`."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pembina.config import get_settings
from pembina.kit import clock
from pembina.notifications import generate, mailer

log = logging.getLogger("pembina.worker")

#: Further tasks called each round, `tick(session_factory, now) -> int`, by module name: modules
#: of layers this package may not import (a sibling, or one above it), found when the round runs.
#: Each decides for itself whether it is due (the pruning: once a day, `worker_runs`).
EXTRA_TICKS = ["pembina.webhooks.worker", "pembina.privacy"]


def _extra() -> list[Callable[[Callable[[], Session], datetime], int]]:
    found = []
    for name in EXTRA_TICKS:
        try:
            found.append(importlib.import_module(name).tick)
        except ModuleNotFoundError:
            continue
    return found


def tick(session_factory: Callable[[], Session], now: datetime | None = None) -> int:
    """One round at `now` (default: the kit clock): the reminders made plus the messages delivered."""
    now = now or clock.utcnow()
    done = generate.evaluate(session_factory, now)
    done += mailer.deliver(session_factory, now)
    for extra in _extra():
        done += extra(session_factory, now)
    return done


def run(session_factory: Callable[[], Session], stop: threading.Event, interval: float | None = None) -> None:
    """Rounds every `interval` seconds (`PEMBINA_WORKER_INTERVAL_SECONDS`) until `stop` is set;
    a failed round is logged and the next one tries again."""
    wait = interval if interval is not None else get_settings().worker_interval_seconds
    while not stop.is_set():
        try:
            n = tick(session_factory)
            if n:
                log.info("worker round: %d reminder(s) made or delivered", n)
        except Exception:  # noqa: BLE001 - the loop outlives a bad round (a database restart, an SMTP outage)
            log.exception("worker round failed; trying again in %.0f s", wait)
        stop.wait(wait)


def start_embedded(session_factory: Callable[[], Session]) -> Any:
    """The loop in a daemon thread (`pembina serve`); returns the event that stops it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(session_factory, stop), name="pembina-worker", daemon=True).start()
    return stop
