"""One clock: every "today", "now", due date and "overdue" is judged in the offices' time zone.

SKs are dated, follow-ups fall due and exports are named in the time of the offices that use
Pembina (WIB, Asia/Jakarta, by default: the `PEMBINA_TIMEZONE` setting), never in the server's:
on a UTC host `date.today()` is still yesterday from 00:00 to 07:00 WIB, and a follow-up due
"today" would turn overdue seven hours late. So nothing calls `date.today()` or a bare
`datetime.now()`: `today()` and `now()` are here, and instants stored in the database stay UTC
(`utcnow()`, which `kit.db` uses for every created_at/updated_at) and are turned into office
dates and times with `local()`.

Tests set the source of the current instant (`frozen(...)` or `set_source`) instead of mocking
the system clock; the zone is read from the settings each time (tests may change them too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from pembina.config import get_settings


def _system() -> datetime:
    return datetime.now(UTC)


#: Where the current instant comes from (an aware datetime): the system clock, or a test's.
_source: Callable[[], datetime] = _system


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The offices' time zone (`PEMBINA_TIMEZONE`, default Asia/Jakarta)."""
    return _zone(get_settings().timezone)


def utcnow() -> datetime:
    """The current instant, in UTC (what the database stores)."""
    return _source().astimezone(UTC)


def now() -> datetime:
    """The current time in the offices' zone (aware)."""
    return _source().astimezone(zone())


def today() -> date:
    """Today's date in the offices' zone: the day SKs are dated and follow-ups judged on."""
    return now().date()


def local(instant: datetime) -> datetime:
    """A stored (UTC) instant in the offices' zone; a naive one is taken to be UTC."""
    return (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(zone())


def start_of(day: date) -> datetime:
    """The instant the office day `day` begins (aware, in the offices' zone)."""
    return datetime.combine(day, time.min, tzinfo=zone())


def zone_label() -> str:
    """The zone's short name as offices write it after a time: "WIB" (or "WITA", "WIT", ...)."""
    return now().tzname() or get_settings().timezone


def set_source(source: Callable[[], datetime] | None) -> None:
    """Take the current instant from `source` (aware datetimes) from now on; None: the system clock."""
    global _source
    _source = source or _system


@contextmanager
def frozen(instant: datetime) -> Iterator[None]:
    """Within the block, the current instant is `instant` (aware) for every caller of this clock."""
    if instant.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous = _source
    set_source(lambda: instant)
    try:
        yield
    finally:
        set_source(previous)
