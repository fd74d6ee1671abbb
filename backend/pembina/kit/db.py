"""Engine, sessions and the declarative base.

The request owns the transaction: `get_session` opens one session per request, commits
when the route returns normally and rolls back on any error. Services never commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Unpack, cast

import anyio

from sqlalchemy import DateTime, Integer, MetaData, String, Table, create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator
from starlette.requests import Request

from pembina.config import get_settings
from pembina.kit import clock
from pembina.kit.errors import PreconditionFailed

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def __repr__(self) -> str:  # how Alembic autogenerate renders it
        return "UTCDateTime()"

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Region codes compare bytewise ("C" collation on PostgreSQL) so that a subtree is a
#: plain index range: code > '33.75.' AND code < '33.75/' ('/' follows '.').
RegionCode = String(20).with_variant(String(20, collation="C"), "postgresql")


def utcnow() -> datetime:
    """The current instant in UTC, from the one clock (`kit.clock`, which tests may set)."""
    return clock.utcnow()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}

    if TYPE_CHECKING:
        # every model here is mapped to one Table (no mapping to joins or selects), so
        # `Model.__table__.insert()` and friends type-check; no effect at run time
        __table__: ClassVar[Table]


def rowcount(result: Result[Unpack[tuple[Any, ...]]]) -> int:
    """The rows matched by an executed UPDATE or DELETE (typed as a plain Result by `Session.execute`)."""
    return cast(CursorResult[Unpack[tuple[Any, ...]]], result).rowcount


#: Where the columns that mixins give stand among a table's own, which have `sort_order` 0: a
#: table keeps the column order its migration created (backups record it): its key, the columns
#: that place the record (`regions.models.RegionHeld`), its own columns, its creation and update
#: times, then its version. The few own columns that a table added after its times (an account's
#: last login) say so with AFTER_STAMPS.
KEY_COLUMN, PLACE_COLUMNS, STAMP_COLUMNS, AFTER_STAMPS, VERSION_COLUMN = -2, -1, 1, 2, 3


class Versioned:
    """Optimistic concurrency: every UPDATE checks and bumps `version` (ETag/If-Match).

    SQLAlchemy adds ``WHERE version = :old`` to each UPDATE; a concurrent writer that
    got there first makes the flush raise StaleDataError, which becomes a 412.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, sort_order=VERSION_COLUMN)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class Tracked(Versioned):
    """A record that the API reads and edits: its surrogate key, when it was created and last
    updated, and its version (its read model ends with the same: `kit.reads.TrackedRead`)."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=KEY_COLUMN)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, sort_order=STAMP_COLUMNS)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow, sort_order=STAMP_COLUMNS)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy own BEGIN (pysqlite's implicit transactions break SAVEPOINT).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE) so that two concurrent writers
    # queue on busy_timeout instead of one failing with "database is locked" when it
    # upgrades a stale read snapshot; readers stay lock-free under WAL.
    conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, **kwargs)


def pool_options(settings: Any, url: str | None = None) -> dict[str, Any]:
    """The pool settings for `make_engine` (none for in-memory SQLite, which has no pool)."""
    url = url or settings.database_url
    if url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:"):
        return {}
    return {"pool_size": settings.db_pool_size, "max_overflow": settings.db_pool_max_overflow, "pool_timeout": settings.db_pool_timeout}


@lru_cache
def get_engine() -> Engine:
    s = get_settings()
    return make_engine(s.database_url, **pool_options(s))


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False, autoflush=True)


_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=64)
def _immediate(engine: Engine) -> Engine:
    """The engine whose transactions begin with SQLite's write lock (BEGIN IMMEDIATE): a
    writing request queues on busy_timeout instead of failing on a stale read snapshot."""
    return engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")


def after_read(session: Session, write: Callable[[Session], None]) -> None:
    """A write by a request that otherwise only reads (a GET, e.g. an export's audit event).

    On SQLite such a write must not upgrade the request's read transaction: that fails at once
    with "database is locked" whenever another writer committed since the read began
    (busy_timeout does not apply). Under `get_session` the write is therefore done after the
    read transaction ends, in a short transaction of its own that queues behind the other
    writers like any write request. Elsewhere (PostgreSQL, scripts, tests' sessions) it is
    done at once, in the current transaction."""
    later = session.info.get("after_read")
    if later is None:
        write(session)
    else:
        later.append(write)


def _write_gate(request: Request) -> anyio.Lock:
    gate = getattr(request.app.state, "sqlite_write_gate", None)
    if gate is None:
        gate = request.app.state.sqlite_write_gate = anyio.Lock()
    return gate


class DatabaseGate:
    """How many of a process's requests may hold a database session at once, and the threads
    that end their transactions: no request ever waits for a connection while holding what
    another needs to give one back.

    A request holds its session's connection across several hops to worker threads (the
    caller's lookup, the route, the commit), and between hops it holds no thread. Were more
    requests to open sessions than the pool has connections, the route threads (40) could all
    wait for a connection, held by requests that wait for a thread to go on and give it back:
    nothing moves until the pool's timeout. Measured with 64 writers on one worker: no write
    finished in 10 s, 20 connections "idle in transaction" and 40 threads in the pool's
    checkout. So a request takes one of `slots` (as many as the engine's pool has
    connections) on the event loop, before its first hop, and gives it back when its session
    closes; the commits and rollbacks run on threads of their own (`ending`), never queued
    behind routes that wait on a row lock their holder would release by committing."""

    def __init__(self, connections: int) -> None:
        self.connections = connections
        self.slots = anyio.Semaphore(connections)
        self.ending = anyio.CapacityLimiter(connections)


def _connections(engine: Engine) -> int:
    pool = engine.pool
    if hasattr(pool, "size") and hasattr(pool, "_max_overflow"):  # QueuePool
        return max(int(pool.size()) + max(int(pool._max_overflow), 0), 1)
    return 8  # a pool of one shared connection (in-memory SQLite) or no pool: no deadlock to avoid


def database_gate(app: Any, bind: Engine | Connection) -> DatabaseGate:
    """The gate of `app`'s sessions (one per application and engine, made on first use; a
    session bound to a connection, as in tests, counts its engine's)."""
    engine = bind.engine
    gates: dict[int, DatabaseGate] | None = getattr(app.state, "database_gates", None)
    if gates is None:
        gates = app.state.database_gates = {}
    gate = gates.get(id(engine))
    if gate is None:
        gate = gates[id(engine)] = DatabaseGate(_connections(engine))
    return gate


def _write_later(session: Session, writes: list[Callable[[Session], None]]) -> None:
    session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
    for write in writes:
        write(session)
    session.commit()


#: The session of the current read request (GET, HEAD, OPTIONS), for `end_read`.
_READ_SESSION: ContextVar[Session | None] = ContextVar("pembina_read_session", default=None)


def end_read() -> None:
    """End a read request's transaction in the worker thread its route ran in, once the route
    has returned (`kit.routing.in_worker_thread` calls it): `get_session` then finds nothing
    to commit and needs no further hop to a thread. A read request's commit has nothing to wait
    for (no idempotency record, no response headers to note first), so ending it here changes
    nothing but the cost: one hop fewer of the two or three a GET made. Writes keep their
    commit in `get_session`, after the route's handler has noted the response; a read with
    writes saved for later (`after_read`, SQLite) too."""
    session = _READ_SESSION.get()
    if session is None or session.info.get("after_read"):
        return
    if session.in_transaction() or session.new or session.dirty or session.deleted:
        session.commit()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """FastAPI dependency: one session and transaction per request (from the app's own
    sessionmaker, `app.state.sessionmaker`, set by create_app from its settings).

    Opening a session does no I/O (the connection is taken at the first query, in the
    route's worker thread), so it happens on the event loop; the commit, or the rollback
    on any error, runs in a worker thread: one thread hop per request instead of two.

    On SQLite, writing requests of this process take turns on the event loop (SQLite has one
    writer at a time anyway): a writer waiting for the write lock in a worker thread would
    hold that thread while the lock's holder may need one to commit, and under load every
    thread then waits on the lock until busy_timeout ends it with "database is locked"."""
    factory = getattr(request.app.state, "sessionmaker", None) or get_sessionmaker()
    session = factory()
    bind = session.get_bind()
    db_gate = database_gate(request.app, bind)
    await db_gate.slots.acquire()
    gate: anyio.Lock | None = None
    _READ_SESSION.set(session if request.method in _READ_METHODS else None)
    try:
        if bind.dialect.name == "sqlite":
            if request.method not in _READ_METHODS:
                session.bind = _immediate(bind)
                writers = _write_gate(request)
                await writers.acquire()
                gate = writers
            else:
                session.info["after_read"] = []
        try:
            yield session
            if session.in_transaction() or session.new or session.dirty or session.deleted:
                await anyio.to_thread.run_sync(session.commit, limiter=db_gate.ending)
            writes = session.info.get("after_read")
            if writes:
                async with _write_gate(request):
                    await anyio.to_thread.run_sync(_write_later, session, writes, limiter=db_gate.ending)
        except BaseException:
            if session.in_transaction():
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(session.rollback, limiter=db_gate.ending)
            raise
    finally:
        _READ_SESSION.set(None)
        session.close()
        db_gate.slots.release()
        if gate is not None:
            gate.release()


def flush_write(session: Session) -> None:
    """Flush a write; a concurrent writer that committed first makes it a 412.

    PostgreSQL: the versioned UPDATE matches no row (StaleDataError, handled globally).
    SQLite (WAL): a transaction whose snapshot predates another writer's commit cannot
    write at all ("database is locked", SQLITE_BUSY_SNAPSHOT): that, too, is a lost race.
    """
    try:
        session.flush()
    except OperationalError as e:
        if session.get_bind().dialect.name == "sqlite" and "locked" in str(e.orig).lower():
            raise PreconditionFailed(
                "Another change was saved first; reload and reapply yours.",
                "Perubahan lain tersimpan lebih dulu; muat ulang lalu terapkan lagi perubahan Anda.",
            ) from None
        raise
