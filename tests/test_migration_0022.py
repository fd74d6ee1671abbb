"""Migration 0022 on a database with clients: the old scopes become the domain's scopes, never
accounts, the audit trail or personal data; the downgrade maps them back."""

from __future__ import annotations

from sqlalchemy import text

from pembina import migrate
from pembina.kit.scopes import DOMAIN_READ, DOMAIN_WRITE, SENSITIVE

TS = "'2025-01-01 00:00:00'"


def _client(conn, client_id, scope):
    return conn.execute(
        text(
            "INSERT INTO api_clients (client_id, name, secret_hash, scope, is_active, created_at, updated_at, version, token_generation) "
            f"VALUES (:c, 'Portal', 'x', :s, true, {TS}, {TS}, 1, 1) RETURNING id"
        ),
        {"c": client_id, "s": scope},
    ).scalar()


def test_old_scopes_become_domain_scopes_and_back(empty_database):
    engine = empty_database.engine
    with engine.begin() as conn:
        migrate.upgrade(conn, "0021")
        reader = _client(conn, "pmb_reader", "read")
        writer = _client(conn, "pmb_writer", "read_write")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0022")
    with engine.begin() as conn:
        scopes = dict(conn.execute(text("SELECT id, scopes FROM api_clients")).all())
        assert set(scopes[reader].split()) == {s.value for s in DOMAIN_READ}
        assert set(scopes[writer].split()) == {s.value for s in DOMAIN_READ | DOMAIN_WRITE}
        assert not {s.value for s in SENSITIVE} & set(scopes[writer].split())
        assert "scope" not in conn.execute(text("SELECT * FROM api_clients LIMIT 0")).keys()
        if empty_database.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with engine.begin() as conn:
        migrate.downgrade(conn, "0021")
    with engine.begin() as conn:
        assert dict(conn.execute(text("SELECT id, scope FROM api_clients")).all()) == {reader: "read", writer: "read_write"}
