"""Test harness.

* Every database test runs on SQLite **and** PostgreSQL: the `database` fixture is
  parametrised, each backend is migrated with Alembic and loaded with the national regions
  once per session, in a database of its own (so parallel runs never collide).
* Each test runs inside a transaction that is rolled back afterwards (SQLAlchemy's "join a
  session into an external transaction" recipe): the app's commits release a SAVEPOINT.
* API tests talk HTTP to the app through httpx (Starlette's TestClient).

PostgreSQL: PEMBINA_TEST_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test)
names a server and a database to connect to first; a fresh `pembina_test_*` database is
created beside it and dropped at the end. Unreachable: a loud skip, or a failure when CI=true.
"""

from __future__ import annotations

import os
import tempfile
import uuid
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

os.environ.setdefault("PEMBINA_JWT_SECRET", "test-secret-" + uuid.uuid4().hex)
# Never the real var/files: a directory of this process's own (each xdist worker is a process);
# each test database gets a file store of its own below (`database`, `connection`).
os.environ["PEMBINA_FILES_DIR"] = tempfile.mkdtemp(prefix="pembina-test-files-")

from pembina import migrate  # noqa: E402
from pembina.audit import recorder  # noqa: E402
from pembina.kit import blobs  # noqa: E402
from pembina.kit.roles import ClientScope, Role  # noqa: E402
from pembina.auth.security import hash_secret, issue_token  # noqa: E402
from pembina.config import Settings, get_settings  # noqa: E402
from pembina.kit.db import get_session, make_engine  # noqa: E402
from pembina.regions.loader import load_regions  # noqa: E402

PG_URL = os.environ.get("PEMBINA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = [b for b in os.environ.get("PEMBINA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


@dataclass
class TestDatabase:
    backend: str
    url: str
    engine: Engine
    #: The database's own file store (its blobs), in a directory of this worker's temporary tree.
    store: blobs.LocalStore | None = None


def _pg_admin_engine() -> Engine:
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def _pg_reachable() -> str | None:
    try:
        eng = _pg_admin_engine()
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as e:  # noqa: BLE001
        return str(e).splitlines()[0]


def _create_database(backend: str, tmp: Path) -> tuple[str, Any]:
    if backend == "sqlite":
        path = tmp / f"pembina-test-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    problem = _pg_reachable()
    if problem:
        msg = f"PostgreSQL is NOT reachable at {PG_URL}: {problem}. The PostgreSQL half of the suite did not run."
        if IN_CI:
            pytest.fail(msg, pytrace=False)
        warnings.warn(msg, stacklevel=1)
        print(f"\n\n!!!!! {msg} !!!!!\n", flush=True)
        pytest.skip(msg)
    name = f"pembina_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    backend = request.param
    url, cleanup = _create_database(backend, tmp_path_factory.mktemp(backend))
    engine = make_engine(url)
    store = blobs.LocalStore(tmp_path_factory.mktemp(f"{backend}-files"))
    previous = blobs.use_store(store)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn)
            load_regions(conn, progress=False)
        yield TestDatabase(backend=backend, url=url, engine=engine, store=store)
    finally:
        blobs.use_store(previous)
        engine.dispose()
        cleanup()


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, database: TestDatabase, tmp_path: Path) -> Iterator[TestDatabase]:
    """A brand-new, unmigrated database on the same backend (for migration tests), with a file
    store of its own (not the one in use: a test makes it current when it needs to)."""
    url, cleanup = _create_database(database.backend, tmp_path)
    engine = make_engine(url)
    try:
        yield TestDatabase(backend=database.backend, url=url, engine=engine, store=blobs.LocalStore(tmp_path / "files"))
    finally:
        engine.dispose()
        cleanup()


@pytest.fixture
def connection(database: TestDatabase) -> Iterator[Connection]:
    """A connection whose outer transaction is rolled back after the test; the database's file
    store is the one in use meanwhile."""
    previous = blobs.use_store(database.store)
    conn = database.engine.connect()
    trans = conn.begin()
    try:
        yield conn
    finally:
        trans.rollback()
        conn.close()
        blobs.use_store(previous)


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    """An ORM session inside the test transaction (for arranging data and checking effects)."""
    recorder.install()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    session.info["actor"] = "system:test"
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def app() -> Any:
    from pembina.main import create_app

    settings = Settings(database_url="sqlite://", jwt_secret=os.environ["PEMBINA_JWT_SECRET"], login_rate_limit="5/minute")
    return create_app(settings)


@pytest.fixture
def client(app: Any, connection: Connection) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    def session_override() -> Iterator[Session]:
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    app.dependency_overrides[get_session] = session_override
    app.state.session_factory = lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    app.state.login_throttle.reset()
    # The suite reads problem details in English; the API's default is Indonesian (tests/test_i18n.py).
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False, headers={"Accept-Language": "en"}) as c:
        yield c
    app.dependency_overrides.clear()
    app.state.session_factory = None


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[Any, str]]:
    """The real app for `settings`, served by uvicorn on a free port in a thread: (app, base URL)."""
    import socket
    import threading
    import time

    import uvicorn

    from pembina.main import create_app

    app = create_app(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.02)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.sessionmaker.kw["bind"].dispose()


@pytest.fixture
def live_server(database: TestDatabase) -> Iterator[str]:
    """The real app served by uvicorn on a free port, on the test database with real commits
    (for concurrency tests). Whatever a test commits here it must clean up itself."""
    with serving(Settings(database_url=database.url, jwt_secret=os.environ["PEMBINA_JWT_SECRET"])) as (_, base):
        yield base


@pytest.fixture
def committed(database: TestDatabase) -> Iterator[Session]:
    """A session whose commits are real (for arranging live-server tests; clean up after)."""
    recorder.install()
    session = Session(bind=database.engine, expire_on_commit=False)
    session.info["actor"] = "system:test"
    try:
        yield session
    finally:
        session.close()


# -- accounts -------------------------------------------------------------------------


@dataclass
class Account:
    id: int
    username: str
    password: str
    role: Role | None
    region_code: str | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Accounts:
    """Creates users and API clients straight in the test transaction."""

    def __init__(self, session: Session):
        self.session = session
        self._hash_cache: dict[str, str] = {}

    def _hash(self, pw: str) -> str:
        if pw not in self._hash_cache:
            self._hash_cache[pw] = hash_secret(pw)
        return self._hash_cache[pw]

    def user(
        self, role: Role, region_code: str | None, username: str | None = None, password: str = "rahasia-sekali-123", active: bool = True
    ) -> Account:
        from pembina.users.models import User

        username = username or f"{role.value[:8]}-{uuid.uuid4().hex[:8]}"
        u = User(
            username=username,
            full_name=username.title(),
            role=role.value,
            region_code=region_code,
            password_hash=self._hash(password),
            is_active=active,
        )
        self.session.add(u)
        self.session.commit()
        token, _ = issue_token(f"user:{u.id}")
        return Account(u.id, username, password, role, region_code, token)

    def client(
        self,
        region_code: str | None,
        scope: ClientScope = ClientScope.read,
        secret: str = "s3cret-client-secret",
        scopes: Iterable[str] | None = None,
    ) -> Account:
        """An API client granted `scopes`, or what the old `scope` stands for (the domain's)."""
        from pembina.api_clients.models import ApiClient
        from pembina.kit.scopes import LEGACY, dump

        cid = f"pmb_{uuid.uuid4().hex[:16]}"
        c = ApiClient(client_id=cid, name=f"Client {cid}", secret_hash=self._hash(secret), region_code=region_code, is_active=True)
        c.scopes = dump(scopes if scopes is not None else LEGACY[scope.value])
        self.session.add(c)
        self.session.commit()
        token, _ = issue_token(f"client:{c.id}")
        return Account(c.id, cid, secret, None, region_code, token)


#: Kabupaten Aceh Selatan: the live-server tests' own regency (their writes are committed).
LIVE_REGION = "11.01"


def live_coordinator(committed: Session, prefix: str) -> tuple[Any, dict[str, str]]:
    """A regency coordinator of `LIVE_REGION`, committed (for tests against a live server, which
    delete it themselves), and the headers of its requests (a bearer token, English problems)."""
    from pembina.users.models import User

    user = User(
        username=f"{prefix}-{uuid.uuid4().hex[:8]}",
        full_name="Koordinator Aceh Selatan",
        role=Role.regency_coordinator.value,
        region_code=LIVE_REGION,
        password_hash=hash_secret("x" * 12),
    )
    committed.add(user)
    committed.commit()
    return user, {"Authorization": f"Bearer {issue_token(f'user:{user.id}')[0]}", "Accept-Language": "en"}


def report_sk(session: Session, code: str) -> None:
    """Arrange the region's SK TP Posyandu as reported, by the compliance rule: its active TP
    Posyandu (created if it has none) and a team-formation SK naming no team (so it forms that
    TP Posyandu, and the team stays deletable) in status reported, the region's counters
    refreshed as a decree transition refreshes them."""
    from sqlalchemy import select

    from pembina.decrees import compliance
    from pembina.decrees.models import Decree
    from pembina.kit.scope import level_of
    from pembina.teams.models import Team

    team = session.scalar(select(Team).where(Team.region_code == code, Team.kind == "tp_posyandu", Team.is_active.is_(True)).limit(1))
    if team is None:
        team = Team(region_code=code, level=level_of(code), kind="tp_posyandu", name=f"TP Posyandu {code}", is_active=True)
        session.add(team)
        session.flush()
    session.add(Decree(region_code=code, level=level_of(code), subject="team_formation", title=f"SK TP Posyandu {code}", status="reported"))
    session.flush()
    compliance.refresh(session, code)
    session.commit()


@pytest.fixture
def accounts(db: Session) -> Accounts:
    return Accounts(db)


@pytest.fixture
def admin(accounts: Accounts) -> Account:
    return accounts.user(Role.national_admin, None, username="admin-test")


@pytest.fixture
def pekalongan(accounts: Accounts) -> Account:
    """The Kota Pekalongan (33.75) coordinator."""
    return accounts.user(Role.regency_coordinator, "33.75", username="dpmppa-pekalongan")


@pytest.fixture
def serang(accounts: Accounts) -> Account:
    """The Kota Serang (36.73) coordinator."""
    return accounts.user(Role.regency_coordinator, "36.73", username="koordinator-serang")


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"database backends: {', '.join(BACKENDS)} (PostgreSQL via {PG_URL})", f"CI: {IN_CI}"]


__all__ = ["Account", "Accounts", "TestDatabase", "get_settings", "report_sk", "tempfile"]
