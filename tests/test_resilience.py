"""The database goes away: requests get a 503 problem (never a 500) and the service
recovers by itself when it returns. PostgreSQL behind a TCP proxy that we cut and restore."""

from __future__ import annotations

import os
import socket
import threading
import uuid

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url

from pembina.auth.security import hash_secret, issue_token
from pembina.config import Settings
from pembina.users.models import User


class TcpProxy:
    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._socks: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        lsock = socket.socket()
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("127.0.0.1", self.port))
        self.port = lsock.getsockname()[1]
        lsock.listen(16)
        self._listener = lsock
        threading.Thread(target=self._accept, args=(lsock,), daemon=True).start()

    def _accept(self, lsock: socket.socket) -> None:
        while True:
            try:
                client, _ = lsock.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        if self._listener:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            except OSError:
                pass
            self._listener.close()
        with self._lock:
            for s in self._socks:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self._socks.clear()


def test_database_outage_is_503_and_recovers(database, committed):
    if database.backend != "postgresql":
        pytest.skip("an outage is simulated on the PostgreSQL server")
    from fastapi.testclient import TestClient

    from pembina.main import create_app

    url = make_url(database.url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    user = User(
        username=f"outage-{uuid.uuid4().hex[:6]}", full_name="x", role="viewer", region_code="33.75", password_hash=hash_secret("x" * 12)
    )
    committed.add(user)
    committed.commit()
    headers = {"Authorization": f"Bearer {issue_token(f'user:{user.id}')[0]}"}
    app = create_app(
        Settings(database_url=url.set(port=proxy.port).render_as_string(hide_password=False), jwt_secret=os.environ["PEMBINA_JWT_SECRET"])
    )
    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            assert c.get("/healthz").status_code == 200
            assert c.get("/api/v1/regions/33.75", headers=headers).status_code == 200
            proxy.stop()
            for path in ("/healthz", "/api/v1/regions/33.75", "/api/v1/auth/me"):
                r = c.get(path, headers=headers)
                assert r.status_code == 503, (path, r.status_code, r.text)
                assert r.headers["content-type"] == "application/problem+json"
                assert r.json()["type"] == "/problems/service-unavailable" and r.headers["Retry-After"]
            proxy.start()
            assert c.get("/healthz").status_code == 200
            assert c.get("/api/v1/regions/33.75", headers=headers).json()["name"] == "Kota Pekalongan"
    finally:
        proxy.stop()
        app.state.sessionmaker.kw["bind"].dispose()
        committed.execute(delete(User).where(User.id == user.id))
        committed.commit()
